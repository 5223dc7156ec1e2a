import assert from 'node:assert/strict';
import { valueAt } from '../../harness/compare/values';
import type { Tensor } from '../../harness/data/tensor';
import { bf16BitsToF32 } from '../../harness/reference/twin/bf16';
import { f16BitsToF32 } from '../../harness/reference/twin/fp16';

describe('compare: element values', () => {
  it('valueAt decodes every fp16 and bf16 bit pattern as the twin does (-0, infinities and NaNs included)', () => {
    const bits = Uint16Array.from({ length: 0x10000 }, (_, h) => h);
    for (const [dtype, decode] of [['float16', f16BitsToF32], ['bfloat16', bf16BitsToF32]] as const) {
      const t: Tensor = { dtype, shape: [bits.length], data: bits };
      for (let h = 0; h < bits.length; h++) {
        const want = decode(h);
        const got = valueAt(t, h);
        if (!Object.is(got, want)) assert.fail(`${dtype} bits 0x${h.toString(16)}: got ${got}, the twin says ${want}`);
      }
    }
  });
});
