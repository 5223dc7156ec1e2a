import type { Tensor, TensorData } from '../data/tensor';
import { optionalAddon, type NanLane, type NativeAddon, type ShortRunArray } from '../reference/native-addon';
import type { AlternativeKind, ReferenceOutput } from '../reference/types';
import type { Comparison, CompareMode, ElementDiff, Metrics } from './types';
import { decodeTable, isNaNElement, NAN_BITS, sameElement, ulpDistance, valueAt } from './values';

export interface CompareOptions {
  mode: CompareMode;
  /** vendor mode: relative tolerance for bf16 (1e-3 ttk, 4e-3 AscendOpTest); fp16 is always 1e-3 */
  bf16Tolerance: number;
  /** how many worst elements to keep */
  worst?: number;
}

/** The output format's unit in the last place at magnitude x (fp16: 10 fraction bits, bf16: 7). */
function ulpAt(dtype: Tensor['dtype'], x: number): number {
  const [bits, minExp] = dtype === 'float16' ? [10, -14] : dtype === 'bfloat16' ? [7, -126] : [0, 0];
  if (bits === 0) return 1;
  const e = Math.max(Math.floor(Math.log2(Math.max(Math.abs(x), Number.MIN_VALUE))), minExp);
  return 2 ** (e - bits);
}

/** Where rounding to the output format overflows: the largest finite value plus half its ulp. */
const OVERFLOW_AT: Partial<Record<Tensor['dtype'], number>> = { float16: 65520, bfloat16: (2 - 2 ** -8) * 2 ** 127 };

/**
 * Alternatives that are one behaviour of the whole kernel (overflow mode, scale handling): a kernel has
 * one or the other, so it may not match inf here and 65504 there. Ties and the 9-bit clamp are decided
 * element by element.
 */
export const WHOLE_TENSOR: ReadonlySet<AlternativeKind> = new Set(['fp16-overflow-inf', 'fp16-overflow-saturate', 'scale-truncated', 'scale-untruncated']);

/** The whole-tensor behaviour (primary, or one alternative) the output agrees with best. */
function chooseBehaviour(actual: Tensor, ref: ReferenceOutput): { base: Tensor; kind: AlternativeKind | null; perElement: ReferenceOutput['alternatives'] } {
  const perElement = ref.alternatives.filter((a) => !WHOLE_TENSOR.has(a.kind));
  let best: { base: Tensor; kind: AlternativeKind | null; misses: number } = { base: ref.expected, kind: null, misses: countDiffering(actual, ref.expected) };
  for (const alt of ref.alternatives.filter((a) => WHOLE_TENSOR.has(a.kind))) {
    const misses = countDiffering(actual, alt.values);
    if (misses < best.misses) best = { base: alt.values, kind: alt.kind, misses };
  }
  return { base: best.base, kind: best.kind, perElement };
}

function countDiffering(a: Tensor, b: Tensor): number {
  const native = nativeArrays(a.data, b.data);
  if (native !== null) return native.countDiffering(a.data as ShortRunArray, b.data as ShortRunArray);
  let n = 0;
  for (let i = 0; i < b.data.length; i++) if (a.data[i] !== b.data[i]) n++;
  return n;
}

/**
 * Compares a kernel's output with the reference (a pure function). Every element is first checked against
 * the admissible set (primary answer and alternatives, bit for bit); the mode then decides what a
 * non-admissible element may be. Metrics are measured against the primary answer whatever the mode.
 */
export function compareOutputs(actual: Tensor, ref: ReferenceOutput, opts: CompareOptions): Comparison {
  const expected = ref.expected;
  const n = expected.data.length;
  const metrics: Metrics = {
    count: n, maxAbs: 0, maxRel: 0, maxUlp: 0, mismatches: 0, mismatchFraction: 0, meanSignedError: 0,
    meanSignedErrorVsIdeal: 0, nanCount: 0, alternatives: {}, scaleGap: ref.scaleGap,
  };
  const fail = (reason: string): Comparison => ({ status: 'mismatch', mode: opts.mode, reason, metrics, worst: [] });
  if (actual.dtype !== expected.dtype) return fail(`output dtype: expected ${expected.dtype}, got ${actual.dtype}`);
  if (actual.shape.join(',') !== ref.shape.join(',')) return fail(`output shape: expected [${ref.shape.join(', ')}], got [${actual.shape.join(', ')}]`);
  if (actual.data.length !== n) return fail(`output length: expected ${n}, got ${actual.data.length}`);

  const isFloat = expected.dtype === 'float16' || expected.dtype === 'bfloat16';
  const rtol = expected.dtype === 'bfloat16' ? opts.bf16Tolerance : 1e-3;
  const keep = opts.worst ?? 8;
  const worst: ElementDiff[] = [];
  let sum = 0, sumIdeal = 0, vendorFails = 0, boundFails = 0;
  const { base, kind: baseKind, perElement } = chooseBehaviour(actual, ref);
  if (baseKind !== null) metrics.alternatives[baseKind] = countDiffering(base, expected);
  // Most elements of a right output are the primary answer bit for bit: for those every error is 0 and
  // only the NaN count and the error against the ideal move, so they take a short path over the raw
  // storage (same results as the full path below; judging was a fifth of a CPU run's wall time).
  const ad = actual.data, ed = expected.data, bd = base.data;
  const table = isFloat ? decodeTable(expected.dtype as 'float16' | 'bfloat16') : null;
  const overflow = OVERFLOW_AT[expected.dtype];
  const int8 = expected.dtype === 'int8';
  // the addon runs the short path where it reads these arrays (one call per run of equal elements); the
  // loop below stays the definition, and the fallback
  const native = ref.ideal.length >= n && (table !== null) === (ed instanceof Uint16Array) ? nativeArrays(ad, ed, bd) : null;
  const state = native !== null ? new Float64Array(4) : null;
  // A call into the addon costs what a few hundred elements of the loop below do: where differing
  // elements come every few places (the undefined-input outputs), short runs stay here. Each element is
  // looked ahead at once at most: a run found short is not looked at again.
  let lookedTo = 0;
  // The undefined-input cases' outputs hold NaNs by the hundred thousand, a few places apart, whose bit
  // patterns a kernel need not share with the reference's. Each such element would take the whole loop
  // below for the same outcome (a NaN, a mismatch, a vendor and a bound failure, an infinite error),
  // so once no more of them can enter the worst list, the addon takes them with the equal elements.
  const bits = native !== null && table !== null ? NAN_BITS[expected.dtype as 'float16' | 'bfloat16'] : null;
  const lane: NanLane | null = bits !== null && perElement.length <= (native!.compareLaneMaxAlts ?? -1)
    ? { ...bits, alts: perElement.map((x) => x.values.data as Uint16Array) }
    : null;
  const exponent = bits?.exponent;
  let laneOn = false;
  for (let i = 0; i < n; i++) {
    const raw = ad[i]!;
    const same = raw === ed[i] && raw === bd[i];
    if (native !== null && state !== null && i >= lookedTo && (same || (laneOn && isNaNElement(actual, i)))) {
      const end = Math.min(n, i + NATIVE_RUN);
      let j = i + 1;
      while (j < end && ((ad[j] === ed[j] && ad[j] === bd[j]) || (laneOn && isNaNElement(actual, j)))) j++;
      lookedTo = j;
      if (j === end) {
        state[0] = sumIdeal;
        state[1] = 0;
        state[2] = metrics.maxUlp;
        state[3] = 0;
        const stop = native.compareShortRun(ad as ShortRunArray, ed as ShortRunArray, bd as ShortRunArray, ref.ideal, table, int8,
          overflow ?? Infinity, i, state, laneOn ? lane! : undefined, exponent);
        sumIdeal = state[0]!;
        if (state[1]! > 0) {
          metrics.nanCount += state[1]!;
          metrics.maxAbs = Infinity;
        }
        const lanes = state[3]!;
        if (lanes > 0) {
          metrics.nanCount += lanes;
          metrics.mismatches += lanes;
          vendorFails += lanes;
          boundFails += lanes;
          metrics.maxAbs = Infinity;
          metrics.maxUlp = state[2]!;
        }
        // it stops at once only at a NaN the base or an alternative holds: the loop below takes that one
        if (stop > i) {
          i = stop - 1;
          continue;
        }
      }
    }
    if (same) {
      const a = table !== null ? table[raw as number]! : Number(raw);
      // a NaN is never within any distance, even of the same NaN (maxAbs is infinite, as on the full path)
      if (a !== a) { metrics.nanCount++; metrics.maxAbs = Infinity; continue; } // eslint-disable-line no-self-compare -- NaN test without a call
      if (a === Infinity || a === -Infinity) continue;
      const x = ref.ideal[i]!;
      const target = int8 ? Math.max(-128, Math.min(127, x)) : overflow !== undefined && Math.abs(x) >= overflow ? Math.sign(x) * Infinity : x;
      sumIdeal += a - target;
      continue;
    }
    const a = valueAt(actual, i), e = valueAt(expected, i);
    const ideal = ref.ideal[i]!;
    let admissible = sameElement(actual, base, i);
    if (!admissible) {
      const alt = perElement.find((x) => sameElement(actual, x.values, i));
      if (alt) {
        admissible = true;
        metrics.alternatives[alt.kind] = (metrics.alternatives[alt.kind] ?? 0) + 1;
      }
    }
    const nan = isNaNElement(actual, i);
    if (nan) metrics.nanCount++;
    const abs = a === e ? 0 : Math.abs(a - e);
    const absErr = Number.isNaN(abs) ? Infinity : abs;
    const ulps = ulpDistance(expected.dtype, actual.data[i]!, expected.data[i]!);
    if (Number.isFinite(a) && Number.isFinite(e)) {
      sum += a - e;
      sumIdeal += a - clampTo(expected.dtype, ideal);
      metrics.maxRel = Math.max(metrics.maxRel, absErr / Math.max(Math.abs(e), Number.MIN_VALUE));
    }
    metrics.maxAbs = Math.max(metrics.maxAbs, absErr);
    metrics.maxUlp = Math.max(metrics.maxUlp, ulps);
    if (admissible) continue;
    metrics.mismatches++;
    // vendor: ttk's isclose for floats (|d| <= atol + rtol|e|), |d| <= 1 for integers; NaN never passes.
    const vendorOk = !nan && (isFloat ? absErr <= 1e-8 + rtol * Math.abs(e) : absErr <= 1);
    if (!vendorOk) vendorFails++;
    // bound: output rounding plus four fp32 roundings (acc convert, scale, pertoken, bias) around the ideal.
    // (a NaN never passes, so its bound is not worked out: outputs of undefined inputs hold many NaNs)
    let boundOk = false;
    if (!nan) {
      const target = clampTo(expected.dtype, ideal);
      const bound = (isFloat ? 0.5 * ulpAt(expected.dtype, target) : 0.5) + 4 * 2 ** -24 * Math.abs(ideal);
      // past the format's range the only right answer is the overflow value itself (inf, or the saturated max
      // where that is admissible, which the admissible check above already took)
      boundOk = Number.isFinite(target) ? Number.isFinite(a) && Math.abs(a - target) <= bound : a === target;
    }
    if (!boundOk) boundFails++;
    // built only when it would enter the list (insertWorst's own test, ahead of the allocation)
    if (worst.length < keep || worst[keep - 1]!.absError < absErr) {
      insertWorst(worst, keep, { index: i, at: unravel(i, ref.shape), actual: a, expected: e, ideal, absError: absErr, ulps });
      laneOn = lane !== null && worst.length === keep && worst[keep - 1]!.absError === Infinity;
    }
  }
  metrics.mismatchFraction = n === 0 ? 0 : metrics.mismatches / n;
  metrics.meanSignedError = n === 0 ? 0 : sum / n;
  metrics.meanSignedErrorVsIdeal = n === 0 ? 0 : sumIdeal / n;
  const verdict = judgeMode(opts.mode, { mismatches: metrics.mismatches, vendorFails, boundFails, n, isFloat, nanCount: metrics.nanCount });
  return verdict === null
    ? { status: 'match', mode: opts.mode, metrics, worst }
    : { status: 'mismatch', mode: opts.mode, reason: verdict, metrics, worst };
}

/** The shortest run of equal elements handed to the addon. */
const NATIVE_RUN = 256;

let nativeOn = true;
let loaded: NativeAddon | null | undefined;

/**
 * Turns the addon's compare helpers, and the run of NaN outputs beside them, on or off for this process
 * (on by default); returns the previous setting. Off, the element-by-element loop does all the work: the
 * tests check both give the same comparison.
 */
export function useNativeCompare(on: boolean): boolean {
  const was = nativeOn;
  nativeOn = on;
  return was;
}

/** The addon, when it is on and reads these arrays: one typed array type of those it knows, one length. */
function nativeArrays(...arrays: TensorData[]): NativeAddon | null {
  if (!nativeOn) return null;
  const first = arrays[0]!;
  if (!(first instanceof Int8Array || first instanceof Uint16Array || first instanceof Int32Array)) return null;
  if (arrays.some((a) => a.constructor !== first.constructor || a.length !== first.length)) return null;
  // not built, or built before these helpers: the TypeScript loop gives the same results
  if (loaded === undefined) loaded = optionalAddon('compareShortRun');
  return loaded;
}

function judgeMode(mode: CompareMode, c: { mismatches: number; vendorFails: number; boundFails: number; n: number; isFloat: boolean; nanCount: number }): string | null {
  switch (mode) {
    case 'exact':
      return c.mismatches === 0 ? null : `${c.mismatches} of ${c.n} elements differ from every admissible answer`;
    case 'vendor': {
      // floats may fail on at most 0.1% of points; integers never by more than 1
      const allowed = c.isFloat ? Math.floor(c.n * 1e-3) : 0;
      return c.vendorFails <= allowed ? null
        : `${c.vendorFails} of ${c.n} elements outside the vendor tolerance (${c.isFloat ? 'relative error' : '|d| <= 1'}), at most ${allowed} allowed`;
    }
    case 'bound':
      return c.boundFails === 0 ? null : `${c.boundFails} of ${c.n} elements outside the derived error bound`;
  }
}

/** The ideal as the output format can hold it: int8 saturated, floats past the max as +-inf. */
function clampTo(dtype: Tensor['dtype'], x: number): number {
  const overflow = OVERFLOW_AT[dtype];
  if (dtype === 'int8') return Math.max(-128, Math.min(127, x));
  if (overflow !== undefined && Math.abs(x) >= overflow) return Math.sign(x) * Infinity;
  return x;
}

function unravel(i: number, shape: number[]): number[] {
  const at = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    at[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return at;
}

function insertWorst(list: ElementDiff[], keep: number, d: ElementDiff): void {
  if (list.length === keep && list[keep - 1]!.absError >= d.absError) return;
  list.push(d);
  list.sort((a, b) => b.absError - a.absError);
  if (list.length > keep) list.pop();
}
