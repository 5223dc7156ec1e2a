/**
 * The family's new inputs on onnxruntime: int4 operands (int32-packed, unpacked exactly on the host
 * before MatMulInteger) and int32 output (the MatMulInteger result + bias, no Cast), end to end against
 * the twin reference; the per-group path is skipped with its reason.
 */
import * as assert from 'node:assert/strict';
import type { CaseInputs, Int4Packing, Tensor } from '../../../harness/data/tensor';
import type { OutputDtype } from '../../../harness/dtypes';
import { SKIP_GROUP, skipReason } from '../../../harness/backends/onnxruntime';
import { packedTensor } from '../../../harness/reference/int4';
import { transQuantParam } from '../../../harness/reference/twin/quant-param';
import { assertMatchesTwin, describePerFeed, f32, inputs, int32, int8, makeCase, noAbort, rngFor } from './helpers';

const DIM1: Int4Packing = { kind: 'int4', perStorage: 8, dim: -1 };
const DIM2: Int4Packing = { kind: 'int4', perStorage: 8, dim: -2 };

/** int4 values as an int8 tensor, then packed. */
function int4(r: () => number, shape: number[], packing: Int4Packing = DIM1): Tensor {
  return packedTensor(int8(r, shape, -8, 7), packing);
}

describePerFeed('onnxruntime backend: int4 operands and int32 output', (backend) => {
  async function check(name: string, out: OutputDtype, ins: CaseInputs, target: 'module' | 'op' = 'op'): Promise<void> {
    const c = makeCase({ out, inputs: ins, target, id: name });
    assert.equal(skipReason(c), null);
    const ref = assertMatchesTwin(await backend.run(c, ins, noAbort()), c, ins);
    assert.ok(ref.acc.some((v) => v !== 0), 'the accumulator is all zero: the data tests nothing');
  }

  for (const packing of [DIM1, DIM2]) {
    it(`int4 x int4 -> fp16 with the packed int64 scale (A4W4 per-channel), weight packing dim ${packing.dim}`, async () => {
      const r = rngFor(`int4-fp16-${packing.dim}`);
      const scale = f32(r, [16], -9, -7).data as Float32Array;
      await check(`int4-fp16-${packing.dim}`, 'float16', inputs({
        x1: int4(r, [5, 64]), weight: int4(r, [16, 64], packing),
        scale: { dtype: 'int64', shape: [16], data: transQuantParam(scale, null, 0) }, bias: int32(r, [16], -500, 500),
      }));
    });
  }

  // each entry: name, output dtype, and the inputs from the test's seeded generator
  const cases: [string, OutputDtype, (r: () => number) => CaseInputs][] = [
    ['int4 x int4 -> bf16 with pertoken (A4W4 per-token)', 'bfloat16', (r) => inputs({
      x1: int4(r, [4, 32]), weight: int4(r, [8, 32]), scale: f32(r, [8], -8, -6), pertoken_scale: f32(r, [4], -2, 2),
    })],
    ['int4 x int4 -> fp16 with a float bias and pertoken', 'float16', (r) => inputs({
      x1: int4(r, [3, 128]), weight: int4(r, [24, 128]), scale: f32(r, [24], -8, -6), pertoken_scale: f32(r, [3], -1, 1),
      bias: f32(r, [24], -2, 2),
    })],
    ['int8 x int8 -> int32: acc + int32 bias, the scale not applied', 'int32', (r) => inputs({
      x1: int8(r, [6, 40]), weight: int8(r, [16, 40]), scale: f32(r, [16], -8, -6), bias: int32(r, [16], -100000, 100000),
    })],
    ['int8 x int8 -> int32 without a bias, batched x1', 'int32', (r) => inputs({
      x1: int8(r, [2, 3, 24]), weight: int8(r, [8, 24]), scale: f32(r, [1], -8, -8),
    })],
    ['int4 x int4 -> int32 (exact, as the reference defines it)', 'int32', (r) => inputs({
      x1: int4(r, [2, 16]), weight: int4(r, [8, 16], DIM2), scale: f32(r, [8], -8, -6), bias: int32(r, [8], -50, 50),
    })],
  ];
  for (const [name, out, make] of cases) {
    it(name, async () => { await check(name, out, make(rngFor(name))); });
  }
});

describe('onnxruntime backend: per-group A4W4', () => {
  it('is skipped with its reason, not run', () => {
    const r = rngFor('group-skip');
    const ins = inputs({
      x1: int4(r, [2, 16]), weight: int4(r, [8, 16], DIM2), scale: f32(r, [2, 8], -8, -6),
      offset: { dtype: 'float16', shape: [2, 8], data: new Uint16Array(16) }, pertoken_scale: f32(r, [2, 1], -1, 1),
    });
    assert.equal(skipReason(makeCase({ out: 'bfloat16', inputs: ins, target: 'op' })), SKIP_GROUP);
  });
});
