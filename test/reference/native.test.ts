import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { EpilogueArgs } from '../../harness/reference/impl';
import { loadNativeReference } from '../../harness/reference/native';
import { nativeAddon } from '../../harness/reference/native-addon';

const ref = loadNativeReference();
const addon = nativeAddon();

const variant = { scaleFp19: true, pertokenOrder: 'sequential', fp16Overflow: 'inf', int8Tie: 'even', int8Clamp9: true } as const;
function args(over: Partial<EpilogueArgs> = {}): EpilogueArgs {
  return {
    path: 'fp16-fixpipe', acc: new Int32Array(6), outShape: [2, 3],
    scale: { dtype: 'float32', data: new Float32Array([1, 2, 3]) }, offset: null, bias: null, pertoken: null, variant, ...over,
  };
}

/** Calls fn through the TS layer and straight into the addon; both must throw `type` matching `pattern`. */
function bothThrow(type: ErrorConstructor, pattern: RegExp, viaTs: () => unknown, viaAddon: () => unknown): void {
  assert.throws(viaTs, (e: unknown) => e instanceof type && pattern.test((e as Error).message));
  assert.throws(viaAddon, (e: unknown) => e instanceof type && pattern.test((e as Error).message));
}

describe('native reference: the guarded boundary', () => {
  const x = new Int8Array(6), w = new Int8Array(12);

  it('rejects a wrong x1 length', () => {
    bothThrow(RangeError, /x1/, () => ref.gemm(new Int8Array(5), [2, 3], w, [4, 3]), () => addon.gemm(new Int8Array(5), [2, 3], w, [4, 3]));
  });
  it('rejects a wrong weight length', () => {
    bothThrow(RangeError, /weight/, () => ref.gemm(x, [2, 3], new Int8Array(13), [4, 3]), () => addon.gemm(x, [2, 3], new Int8Array(13), [4, 3]));
  });
  it('rejects negative, zero, fractional and huge dims', () => {
    for (const bad of [[-2, 3], [0, 3], [2.5, 3], [2 ** 41, 3], [NaN, 3], [Infinity, 3]]) {
      bothThrow(RangeError, /dim|too large|elements|integer|>= 1/, () => ref.gemm(x, bad, w, [4, 3]), () => addon.gemm(x, bad, w, [4, 3]));
    }
  });
  it('rejects shapes whose element count overflows', () => {
    const huge = [65536, 65536, 65536, 65536, 2, 3];
    bothThrow(RangeError, /elements/, () => ref.gemm(x, huge, w, [4, 3]), () => addon.gemm(x, huge, w, [4, 3]));
  });
  it('rejects rank 1 and rank 7', () => {
    bothThrow(RangeError, /dims/, () => ref.gemm(x, [6], w, [4, 3]), () => addon.gemm(x, [6], w, [4, 3]));
    const seven = [1, 1, 1, 1, 1, 2, 3];
    bothThrow(RangeError, /dims/, () => ref.gemm(x, seven, w, [4, 3]), () => addon.gemm(x, seven, w, [4, 3]));
  });
  it('rejects batches that do not broadcast and a k mismatch', () => {
    const x2 = new Int8Array(2 * 2 * 3), w3 = new Int8Array(3 * 4 * 3);
    bothThrow(RangeError, /broadcast/, () => ref.gemm(x2, [2, 2, 3], w3, [3, 4, 3]), () => addon.gemm(x2, [2, 2, 3], w3, [3, 4, 3]));
    bothThrow(RangeError, /k/, () => ref.gemm(x, [3, 2], w, [4, 3]), () => addon.gemm(x, [3, 2], w, [4, 3]));
  });
  it('rejects k beyond the exact int32 range', () => {
    const k = 131072;
    bothThrow(RangeError, /k/, () => ref.gemm(new Int8Array(k), [1, k], new Int8Array(k), [1, k]), () => addon.gemm(new Int8Array(k), [1, k], new Int8Array(k), [1, k]));
  });
  it('rejects wrong storage types and non-array shapes', () => {
    const bad = new Uint8Array(6) as unknown as Int8Array;
    bothThrow(TypeError, /Int8Array/, () => ref.gemm(bad, [2, 3], w, [4, 3]), () => addon.gemm(bad, [2, 3], w, [4, 3]));
    const shape = '2,3' as unknown as number[];
    bothThrow(TypeError, /array/, () => ref.gemm(x, shape, w, [4, 3]), () => addon.gemm(x, shape, w, [4, 3]));
    const dims = ['2', 3] as unknown as number[];
    bothThrow(TypeError, /number/, () => ref.gemm(x, dims, w, [4, 3]), () => addon.gemm(x, dims, w, [4, 3]));
  });
  it('rejects bad thread counts', () => {
    bothThrow(RangeError, /threads/, () => ref.gemm(x, [2, 3], w, [4, 3], 0), () => addon.gemm(x, [2, 3], w, [4, 3], 0));
    bothThrow(RangeError, /threads/, () => ref.gemm(x, [2, 3], w, [4, 3], 1.5), () => addon.gemm(x, [2, 3], w, [4, 3], 1.5));
  });
  it('an output array handed in: of the answer\'s type and length, sharing no memory with an input', () => {
    const o = new Int32Array(8);
    bothThrow(TypeError, /out.*Int32Array/, () => ref.gemm(x, [2, 3], w, [4, 3], undefined, new Float64Array(8) as never),
      () => addon.gemm(x, [2, 3], w, [4, 3], undefined, new Float64Array(8) as never));
    bothThrow(RangeError, /out.*7 elements, expected 8/, () => ref.gemm(x, [2, 3], w, [4, 3], undefined, o.subarray(1)),
      () => addon.gemm(x, [2, 3], w, [4, 3], undefined, o.subarray(1)));
    // an int32 view over the weight's own bytes: the product would overwrite what it reads
    const shared = new Int8Array(32 + 12);
    const overWeight = new Int32Array(shared.buffer, 12, 8);
    bothThrow(RangeError, /out.*shares memory/, () => ref.gemm(x, [2, 3], shared.subarray(4, 16), [4, 3], undefined, overWeight),
      () => addon.gemm(x, [2, 3], shared.subarray(4, 16), [4, 3], undefined, overWeight));
    // the epilogue's own accumulator as its int32 output
    const a = args({ path: 'int32-acc' });
    bothThrow(RangeError, /out.*shares memory/, () => ref.epilogue(a, a.acc), () => addon.epilogue(a, undefined, a.acc));
    bothThrow(TypeError, /out.*Uint16Array/, () => ref.epilogue(args(), new Int8Array(6)), () => addon.epilogue(args(), undefined, new Int8Array(6)));
    bothThrow(RangeError, /out.*5 elements, expected 6/, () => ref.ideal(args(), new Float64Array(5)), () => addon.ideal(args(), new Float64Array(5)));
    // a pertoken scale inside the ideal's output bytes
    const buffer = new ArrayBuffer(48);
    const inside = args({ pertoken: new Float32Array(buffer, 40, 2) });
    bothThrow(RangeError, /out.*shares memory/, () => ref.ideal(inside, new Float64Array(buffer)), () => addon.ideal(inside, new Float64Array(buffer)));
    // beside it, not inside: accepted
    const beside = new ArrayBuffer(56);
    assert.equal(ref.ideal(args({ pertoken: new Float32Array(beside, 48, 2) }), new Float64Array(beside, 0, 6)).length, 6);
  });
  it('survives a throwing getter inside an argument (the JS error propagates)', () => {
    const shape = [2, 3];
    Object.defineProperty(shape, 1, { get: () => { throw new Error('getter boom'); } });
    assert.throws(() => addon.gemm(x, shape, w, [4, 3]), /getter boom/);
  });

  it('epilogue: rejects wrong acc, scale, offset, pertoken and bias lengths', () => {
    const cases: [RegExp, Partial<EpilogueArgs>][] = [
      [/acc/, { acc: new Int32Array(5) }],
      [/scale/, { scale: { dtype: 'float32', data: new Float32Array(2) } }],
      [/offset/, { path: 'int8-requant', offset: new Float32Array(2) }],
      [/pertoken/, { path: 'fp16-pertoken', pertoken: new Float32Array(3) }],
      [/bias/, { bias: { dtype: 'int32', data: new Int32Array(3), shape: [4] } }],
      [/bias/, { bias: { dtype: 'int32', data: new Int32Array(2), shape: [3] } }],
      [/bias/, { bias: { dtype: 'float32', data: new Float32Array(6), shape: [2, 1, 3] } }],
    ];
    for (const [pattern, over] of cases) {
      bothThrow(RangeError, pattern, () => ref.epilogue(args(over)), () => addon.epilogue(args(over)));
    }
  });
  it('epilogue: rejects mismatched dtypes and unknown names', () => {
    const wrongData = { scale: { dtype: 'int64', data: new Float32Array(3) } } as unknown as Partial<EpilogueArgs>;
    bothThrow(TypeError, /BigInt64Array/, () => ref.epilogue(args(wrongData)), () => addon.epilogue(args(wrongData)));
    const unknownPath = { path: 'int4' } as unknown as Partial<EpilogueArgs>;
    bothThrow(RangeError, /path/, () => ref.epilogue(args(unknownPath)), () => addon.epilogue(args(unknownPath)));
    const badVariant = { variant: { ...variant, int8Tie: 'up' } } as unknown as Partial<EpilogueArgs>;
    bothThrow(RangeError, /int8Tie/, () => ref.epilogue(args(badVariant)), () => addon.epilogue(args(badVariant)));
    assert.throws(() => addon.epilogue(null as unknown as EpilogueArgs), TypeError);
    assert.throws(() => addon.ideal(42 as unknown as EpilogueArgs), TypeError);
  });
  it('quant params and casts: reject wrong types and lengths', () => {
    bothThrow(RangeError, /lengths/, () => ref.transQuantParam(new Float32Array(2), new Float32Array(3), 0),
      () => addon.transQuantParam(new Float32Array(2), new Float32Array(3), 0));
    bothThrow(RangeError, /roundMode/, () => ref.transQuantParam(new Float32Array(1), null, 2 as 0),
      () => addon.transQuantParam(new Float32Array(1), null, 2));
    bothThrow(TypeError, /Float32Array/, () => ref.f32ToF16(new Float64Array(2) as unknown as Float32Array),
      () => addon.f32ToF16(new Float64Array(2) as unknown as Float32Array));
  });
  it('prepare: rejects a 3-D weight and an x1 with another k', () => {
    assert.throws(() => ref.prepare(new Int8Array(24), [2, 4, 3]), RangeError);
    assert.throws(() => new addon.PreparedWeight(new Int8Array(24), [2, 4, 3]), RangeError);
    const p = ref.prepare(new Int8Array(12), [4, 3]);
    assert.throws(() => p.run(new Int8Array(8), [2, 4]), /k=4/);
  });
  it('configure: rejects an unknown engine or path', () => {
    assert.throws(() => ref.configure({ engine: 'cuda' as 'portable' }), RangeError);
    assert.throws(() => ref.configure({ isa: 'neon' as 'scalar' }), RangeError);
    assert.equal(ref.configure({}).reason.includes('configure'), false);
  });
});
