import assert from 'node:assert/strict';
import { bf16BitsToF32 } from '../../../harness/reference/twin/bf16';
import { dequantF32 } from '../../../harness/reference/twin/dequant';
import { epilogue } from '../../../harness/reference/twin/epilogue';
import { f16BitsToF32 } from '../../../harness/reference/twin/fp16';
import { f32FromBits } from '../../../harness/reference/twin/fp32';
import { ideal } from '../../../harness/reference/twin/ideal';
import { transQuantParam } from '../../../harness/reference/twin/quant-param';
import { requantInt8 } from '../../../harness/reference/twin/requant';
import { columnParams } from '../../../harness/reference/twin/scale';
import { PRIMARY, epilogueArgs } from '../helpers';

const UNTRUNCATED = { ...PRIMARY, scaleFp19: false };

describe('twin/scale', () => {
  it('masks an fp32 scale only when the variant says so, and broadcasts length 1', () => {
    const s = f32FromBits(0x3f801fff);
    const scale = { dtype: 'float32' as const, data: new Float32Array([s]) };
    assert.deepEqual(columnParams(scale, null, { scaleFp19: true }, 2), { scale: [1, 1], offset9: [0, 0] });
    assert.deepEqual(columnParams(scale, null, { scaleFp19: false }, 2).scale, [s, s]);
  });

  it('decodes int64 scales and ignores the separate offset array for them', () => {
    const scale = { dtype: 'int64' as const, data: transQuantParam(new Float32Array([3, f32FromBits(0x3f801fff)]), new Float32Array([5, -7]), 0) };
    const params = columnParams(scale, new Float32Array([100, 100]), { scaleFp19: false }, 2);
    assert.deepEqual(params, { scale: [3, 1], offset9: [5, -7] });
  });

  it('widens bf16 scales exactly and rounds fp32 offsets half to even into 9 bits', () => {
    const scale = { dtype: 'bfloat16' as const, data: new Uint16Array([0x3f81, 0xc000]) };
    const params = columnParams(scale, new Float32Array([2.5, -300]), { scaleFp19: false }, 2);
    assert.deepEqual(params, { scale: [bf16BitsToF32(0x3f81), -2], offset9: [2, -256] });
  });
});

describe('twin/dequant and requant', () => {
  it('rounds every fp32 operation once, in the variant order', () => {
    const x = { accWithBias: 16777217, scale: 1, pertoken: null, floatBias: null };
    assert.equal(dequantF32(x, 'sequential'), 16777216); // int32 -> fp32 rounds to nearest even
    assert.equal(dequantF32({ ...x, accWithBias: 3, scale: 1 / 3 }, 'sequential'), Math.fround(3 * Math.fround(1 / 3)));
    assert.equal(Object.is(dequantF32({ ...x, accWithBias: 0, scale: -1 }, 'sequential'), -0), true);
  });

  it('requantises with ties per variant, the 9-bit clamp, then the offset and saturation', () => {
    assert.equal(requantInt8(2.5, 0, PRIMARY), 2);
    assert.equal(requantInt8(2.5, 0, { ...PRIMARY, int8Tie: 'odd' }), 3);
    assert.equal(requantInt8(300, -200, PRIMARY), 55);
    assert.equal(requantInt8(300, -200, { ...PRIMARY, int8Clamp9: false }), 100);
    assert.equal(requantInt8(-1000, 0, PRIMARY), -128);
    assert.equal(requantInt8(Infinity, -256, PRIMARY), -1);
  });
});

describe('twin/epilogue', () => {
  it('int32-acc adds the int32 bias and ignores the scale', () => {
    const args = epilogueArgs('int32-acc', [1, 2, 3, 4], [2, 2], [0.5], {
      bias: { dtype: 'int32', data: new Int32Array([10, 20]), shape: [2] },
    });
    assert.deepEqual([...epilogue(args)], [11, 22, 13, 24]);
  });

  it('indexes a (batch, 1, n) bias by the output batch, broadcasting a batch of 1', () => {
    const bias3 = { dtype: 'int32' as const, data: new Int32Array([1, 2, 3, 4]), shape: [2, 1, 2] };
    assert.deepEqual([...epilogue(epilogueArgs('int32-acc', [0, 0, 0, 0], [2, 1, 2], [1], { bias: bias3 }))], [1, 2, 3, 4]);
    const bias1 = { dtype: 'int32' as const, data: new Int32Array([5, 6]), shape: [1, 1, 2] };
    assert.deepEqual([...epilogue(epilogueArgs('int32-acc', [0, 0, 0, 0], [2, 1, 2], [1], { bias: bias1 }))], [5, 6, 5, 6]);
  });

  it('fp16 paths saturate or overflow per variant; bf16 rounds to nearest even', () => {
    const args = epilogueArgs('fp16-fixpipe', [70000, -70000, 65519, 1], [2, 2], [1]);
    assert.deepEqual([...epilogue(args)], [0x7c00, 0xfc00, 0x7bff, 0x3c00]);
    assert.deepEqual([...epilogue({ ...args, variant: { ...PRIMARY, fp16Overflow: 'saturate' } })], [0x7bff, 0xfbff, 0x7bff, 0x3c00]);
    const bf = epilogueArgs('bf16-vector', [257, 259], [1, 2], [1 / 256], { variant: UNTRUNCATED });
    assert.deepEqual([...epilogue(bf)].map(bf16BitsToF32), [1, 1 + 2 / 128]);
  });

  it('applies pertoken per row and a float bias per column after scaling', () => {
    const args = epilogueArgs('fp16-pertoken', [1, 1, 1, 1], [2, 2], [2], {
      pertoken: new Float32Array([1, 3]),
      bias: { dtype: 'float16', data: new Uint16Array([0x3c00, 0x4000]), shape: [2] }, // 1, 2
      variant: UNTRUNCATED,
    });
    assert.deepEqual([...epilogue(args)].map(f16BitsToF32), [3, 4, 7, 8]);
  });

  it('rejects inconsistent lengths with a RangeError naming the argument', () => {
    assert.throws(() => epilogue(epilogueArgs('int8-requant', [1, 2, 3], [2, 2], [1])), /acc has length 3/);
    assert.throws(() => epilogue(epilogueArgs('int8-requant', [1, 2, 3, 4], [2, 2], [1, 2, 3])), /scale has length 3/);
    assert.throws(() => epilogue(epilogueArgs('fp16-pertoken', [1, 2, 3, 4], [2, 2], [1], { pertoken: new Float32Array(3) })), /pertoken/);
    assert.throws(() => epilogue(epilogueArgs('int32-acc', [1, 2, 3, 4], [2, 2], [1], {
      bias: { dtype: 'int32', data: new Int32Array(4), shape: [2, 1, 2] },
    })), /bias shape/);
  });
});

describe('twin/ideal', () => {
  it('is the formula in double with the effective parameters, before rounding', () => {
    const args = epilogueArgs('int8-requant', [3, 1000], [1, 2], [f32FromBits(0x3f801fff)], { offset: new Float32Array([2.5]) });
    assert.deepEqual([...ideal(args)], [3 * 1 + 2, 1000 + 2]);
    const pt = epilogueArgs('bf16-vector', [3], [1, 1], [0.1], {
      pertoken: new Float32Array([0.2]), bias: { dtype: 'float32', data: new Float32Array([0.5]), shape: [1] }, variant: UNTRUNCATED,
    });
    assert.deepEqual([...ideal(pt)], [3 * Math.fround(0.1) * Math.fround(0.2) + 0.5]);
  });
});
