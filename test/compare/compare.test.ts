import assert from 'node:assert/strict';
import { compareOutputs } from '../../harness/compare/compare';
import type { Tensor } from '../../harness/data/tensor';
import type { ReferenceOutput } from '../../harness/reference/types';
import { f32ToF16Bits } from '../../harness/reference/twin/fp16';
import { f32ToBf16Bits } from '../../harness/reference/twin/bf16';

const f16 = (values: number[]): Tensor => ({ dtype: 'float16', shape: [1, values.length], data: Uint16Array.from(values, f32ToF16Bits) });
const bf16 = (values: number[]): Tensor => ({ dtype: 'bfloat16', shape: [1, values.length], data: Uint16Array.from(values, f32ToBf16Bits) });
const i8 = (values: number[]): Tensor => ({ dtype: 'int8', shape: [1, values.length], data: Int8Array.from(values) });

function ref(expected: Tensor, alternatives: ReferenceOutput['alternatives'] = [], ideal?: number[]): ReferenceOutput {
  const n = expected.data.length;
  return {
    path: expected.dtype === 'int8' ? 'int8-requant' : expected.dtype === 'float16' ? 'fp16-fixpipe' : 'bf16-vector',
    shape: expected.shape, expected, alternatives, acc: new Int32Array(n), scaleGap: 0,
    ideal: Float64Array.from(ideal ?? Array.from({ length: n }, (_, i) => Number((expected.data as ArrayLike<number>)[i]))),
  };
}

const exact = { mode: 'exact' as const, bf16Tolerance: 1e-3 };

describe('compare: compareOutputs', () => {
  it('matches bit-identical outputs and reports zero error', () => {
    const c = compareOutputs(f16([1, 2.5, -3]), ref(f16([1, 2.5, -3])), exact);
    assert.equal(c.status, 'match');
    assert.equal(c.metrics.maxAbs, 0);
    assert.equal(c.metrics.mismatches, 0);
  });

  it('fails one ulp off in exact mode, with metrics and the worst element located', () => {
    const got = f16([1, 2.5, -3]);
    (got.data as Uint16Array)[1]! += 1;
    const c = compareOutputs(got, ref(f16([1, 2.5, -3])), exact);
    assert.equal(c.status, 'mismatch');
    assert.equal(c.metrics.mismatches, 1);
    assert.equal(c.metrics.maxUlp, 1);
    assert.deepEqual(c.worst[0]!.at, [0, 1]);
    assert.ok(c.metrics.meanSignedError > 0, 'the bias shows in the mean signed error');
  });

  it('accepts an admissible alternative and records which one matched', () => {
    const alt = i8([1, 3]);
    const c = compareOutputs(i8([1, 3]), ref(i8([1, 2]), [{ kind: 'int8-tie-other', values: alt }]), exact);
    assert.equal(c.status, 'match');
    assert.deepEqual(c.metrics.alternatives, { 'int8-tie-other': 1 });
  });

  it('never passes NaN where a number is expected, in any mode', () => {
    for (const mode of ['exact', 'vendor', 'bound'] as const) {
      const c = compareOutputs(f16([NaN, 1]), ref(f16([1, 1])), { mode, bf16Tolerance: 1e-3 });
      assert.equal(c.status, 'mismatch', mode);
      assert.equal(c.metrics.nanCount, 1);
    }
  });

  it('vendor mode: int8 within 1 passes, 2 fails', () => {
    const vendor = { mode: 'vendor' as const, bf16Tolerance: 1e-3 };
    assert.equal(compareOutputs(i8([11, -4]), ref(i8([10, -5])), vendor).status, 'match');
    assert.equal(compareOutputs(i8([12, -5]), ref(i8([10, -5])), vendor).status, 'mismatch');
  });

  it('vendor mode: fp16 at 1e-3 relative, at most 0.1% of points failing', () => {
    const vendor = { mode: 'vendor' as const, bf16Tolerance: 1e-3 };
    const n = 2000;
    const base = Array.from({ length: n }, (_, i) => 100 + i * 0.25);
    const within = base.map((v) => v * (1 + 5e-4));
    assert.equal(compareOutputs(f16(within), ref(f16(base)), vendor).status, 'match');
    const twoBad = base.map((v, i) => (i < 2 ? v * 1.01 : v));
    assert.equal(compareOutputs(f16(twoBad), ref(f16(base)), vendor).status, 'match', '2 of 2000 = 0.1% allowed');
    const threeBad = base.map((v, i) => (i < 3 ? v * 1.01 : v));
    assert.equal(compareOutputs(f16(threeBad), ref(f16(base)), vendor).status, 'mismatch');
  });

  it('vendor mode: bf16 tolerance 4e-3 is an option', () => {
    const got = bf16([512]); // one bf16 ulp above 510: 2/510 = 3.9e-3 relative
    assert.equal(compareOutputs(got, ref(bf16([510])), { mode: 'vendor', bf16Tolerance: 1e-3 }).status, 'mismatch');
    assert.equal(compareOutputs(got, ref(bf16([510])), { mode: 'vendor', bf16Tolerance: 4e-3 }).status, 'match');
  });

  it('bound mode: half an output ulp around the ideal passes, a full ulp off fails', () => {
    const bound = { mode: 'bound' as const, bf16Tolerance: 1e-3 };
    // ideal 1000.2: fp16 ulp at 1000 is 0.5; 1000 and 1000.5 are within 0.5 ulp + fp32 slack? 1000 yes (0.2), 1000.5 no (0.3 > 0.25)
    assert.equal(compareOutputs(f16([1000]), ref(f16([1000.5]), [], [1000.2]), bound).status, 'match');
    assert.equal(compareOutputs(f16([1001]), ref(f16([1000]), [], [1000.2]), bound).status, 'mismatch');
  });

  it('reports dtype and shape mismatches as such', () => {
    assert.match((compareOutputs(i8([1]), ref(f16([1])), exact) as { reason: string }).reason, /output dtype: expected float16, got int8/);
    const wrongShape: Tensor = { dtype: 'float16', shape: [2, 1], data: f16([1, 2]).data };
    assert.match((compareOutputs(wrongShape, ref(f16([1, 2])), exact) as { reason: string }).reason, /output shape/);
  });

  it('takes a whole-tensor behaviour as one choice: inf or saturation, not a mix (docs/semantics.md §2.9)', () => {
    const primary = f16([Infinity, -Infinity, 5]);
    const saturate = f16([65504, -65504, 5]);
    const r = ref(primary, [{ kind: 'fp16-overflow-saturate', values: saturate }]);
    assert.equal(compareOutputs(f16([65504, -65504, 5]), r, exact).status, 'match');
    assert.deepEqual(compareOutputs(f16([65504, -65504, 5]), r, exact).metrics.alternatives, { 'fp16-overflow-saturate': 2 });
    assert.equal(compareOutputs(f16([Infinity, -Infinity, 5]), r, exact).status, 'match');
    assert.equal(compareOutputs(f16([65504, -Infinity, 5]), r, exact).status, 'mismatch');
  });

  it('bound mode: past the fp16 range only the overflow value passes', () => {
    const bound = { mode: 'bound' as const, bf16Tolerance: 1e-3 };
    assert.equal(compareOutputs(f16([1]), ref(f16([Infinity]), [], [70000]), bound).status, 'mismatch');
    assert.equal(compareOutputs(f16([0]), ref(f16([65504]), [], [65510]), bound).status, 'mismatch');
    assert.equal(compareOutputs(f16([65504]), ref(f16([65504]), [], [65510]), bound).status, 'match');
  });
});


describe('compare: the short path for elements equal to the primary answer', () => {
  it('gives the metrics the element-by-element definition gives (NaN, inf, past-range ideals included)', () => {
    const values = [1, -2.5, 65504, Infinity, NaN, 0.1, -0, 300, 7];
    const ideal = [1.0004, -2.49, 70000, 1e9, 0, 0.1001, 0, 299.9, 7.2];
    const bits = Uint16Array.from(values, (v) => f32ToF16Bits(v));
    const expected: Tensor = { dtype: 'float16', shape: [bits.length], data: bits };
    // every element equal except the last two
    const actual: Tensor = { dtype: 'float16', shape: [bits.length], data: Uint16Array.from(bits) };
    (actual.data as Uint16Array)[7] = f32ToF16Bits(301);
    (actual.data as Uint16Array)[8] = f32ToF16Bits(8);
    const c = compareOutputs(actual, ref(expected, [], ideal), { mode: 'exact', bf16Tolerance: 1e-3 });
    const got = [1, -2.5, 65504, Infinity, NaN, 0.1, -0, 301, 8].map((v) => f16Value(v));
    const clamp = (x: number): number => (Math.abs(x) >= 65520 ? Math.sign(x) * Infinity : x);
    let sumIdeal = 0;
    for (let i = 0; i < got.length; i++) if (Number.isFinite(got[i]!)) sumIdeal += got[i]! - clamp(ideal[i]!);
    assert.equal(c.metrics.nanCount, 1);
    assert.equal(c.metrics.mismatches, 2);
    assert.equal(c.metrics.maxAbs, Infinity, 'a NaN is at no finite distance, even from the same NaN');
    assert.ok(Object.is(c.metrics.meanSignedErrorVsIdeal, sumIdeal / got.length) || Math.abs(c.metrics.meanSignedErrorVsIdeal - sumIdeal / got.length) < 1e-12, `${c.metrics.meanSignedErrorVsIdeal} vs ${sumIdeal / got.length}`);
    assert.ok(Math.abs(c.metrics.meanSignedError - 2 / got.length) < 1e-12);
  });
});

/** fp16's value of x (rounded to nearest even), as the output holds it. */
function f16Value(x: number): number {
  const h = f32ToF16Bits(x);
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
}
