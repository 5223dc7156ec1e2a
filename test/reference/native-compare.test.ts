/**
 * The addon's short path of the compare and its count of differing elements, against the TypeScript
 * loop that defines them: random outputs of every output dtype, with runs and scattered elements that
 * differ, NaNs, infinities, ideals past the format's range, whole-tensor and per-element alternatives.
 * The two must give the same comparison to the bit (-0 and NaN included), the NaN lane included.
 */
import assert from 'node:assert/strict';
import { compareOutputs, useNativeCompare, type CompareOptions } from '../../harness/compare/compare';
import { decodeTable } from '../../harness/compare/values';
import type { Comparison } from '../../harness/compare/types';
import type { Tensor } from '../../harness/data/tensor';
import { nativeAddon, type NativeAddon } from '../../harness/reference/native-addon';
import type { ReferenceOutput } from '../../harness/reference/types';
import { mulberry32, type Random } from '../../harness/data/random';

type OutDtype = 'int8' | 'float16' | 'bfloat16' | 'int32';

function storage(dtype: OutDtype, n: number): Int8Array | Uint16Array | Int32Array {
  return dtype === 'int8' ? new Int8Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint16Array(n);
}

/** A random element: any bit pattern for the float formats (NaNs, infinities, subnormals, -0), edges and mid values for the integers. */
function element(dtype: OutDtype, r: Random): number {
  if (dtype === 'int8') return Math.floor(r() * 256) - 128;
  if (dtype === 'int32') return r() < 0.2 ? [2 ** 31 - 1, -(2 ** 31), 0, -1][Math.floor(r() * 4)]! : Math.floor(r() * 2 ** 32) - 2 ** 31;
  // a fifth of the patterns among the specials: NaNs, infinities, zeros
  if (r() < 0.2) return dtype === 'float16' ? [0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x8000, 0, 0x7bff][Math.floor(r() * 7)]! : [0x7f80, 0xff80, 0x7fc0, 0xffc1, 0x8000, 0, 0x7f7f][Math.floor(r() * 7)]!;
  return Math.floor(r() * 0x10000);
}

function ideal(dtype: OutDtype, r: Random): number {
  const u = r();
  if (u < 0.03) return NaN;
  if (u < 0.06) return r() < 0.5 ? Infinity : -Infinity;
  if (u < 0.09) return r() < 0.5 ? -0 : 0;
  // exactly at the format's overflow threshold, and the next double below it
  const at = dtype === 'float16' ? 65520 : dtype === 'bfloat16' ? (2 - 2 ** -8) * 2 ** 127 : dtype === 'int8' ? 127 : 2 ** 31;
  if (u < 0.15) return (r() < 0.5 ? 1 : -1) * (r() < 0.5 ? at : at * (1 - 2 ** -53));
  const big = dtype === 'float16' ? 70000 : dtype === 'bfloat16' ? 3.5e38 : dtype === 'int8' ? 200 : 3e9;
  return (r() * 2 - 1) * big * (r() < 0.5 ? 1 : 0.01);
}

/** A reference and an output that agrees with it except where `differs` says. */
function scenario(dtype: OutDtype, n: number, r: Random, differs: (i: number) => boolean, alternatives: boolean,
  value: (dtype: OutDtype, r: Random) => number = element): { actual: Tensor; ref: ReferenceOutput } {
  const e = storage(dtype, n);
  for (let i = 0; i < n; i++) e[i] = element(dtype, r);
  const a = e.slice();
  for (let i = 0; i < n; i++) if (differs(i)) a[i] = value(dtype, r);
  const expected: Tensor = { dtype, shape: [n], data: e };
  const alts: ReferenceOutput['alternatives'] = [];
  if (alternatives) {
    // a whole-tensor behaviour the output matches better than the primary answer, and a per-element one
    const whole = a.slice();
    for (let i = 0; i < n; i++) if (r() < 0.05) whole[i] = element(dtype, r);
    alts.push({ kind: 'fp16-overflow-saturate', values: { dtype, shape: [n], data: whole } });
    const each = e.slice();
    for (let i = 0; i < n; i++) if (r() < 0.3) each[i] = a[i]!;
    alts.push({ kind: 'int8-tie-other', values: { dtype, shape: [n], data: each } });
  }
  const ideals = new Float64Array(n);
  for (let i = 0; i < n; i++) ideals[i] = ideal(dtype, r);
  return {
    actual: { dtype, shape: [n], data: a },
    ref: { path: 'fp16-fixpipe', shape: [n], expected, alternatives: alts, ideal: ideals, acc: new Int32Array(n), scaleGap: 0 },
  };
}

/** A finite element: any bit pattern but the infinities and NaNs for the float formats. */
function finiteElement(dtype: OutDtype, r: Random): number {
  if (dtype === 'int8' || dtype === 'int32') return element(dtype, r);
  const exponent = dtype === 'float16' ? 0x7c00 : 0x7f80;
  for (;;) {
    const bits = Math.floor(r() * 0x10000);
    if ((bits & exponent) !== exponent) return bits;
  }
}

/**
 * Finite outputs, so that whole 64-element chunks are plain; then, one kind at a time, a NaN or an
 * infinity, an element that differs, or one that follows a whole-tensor alternative, in chunks 5, 20
 * and 40 at every offset. After the addon stops at such an element it starts again one past it, so the
 * later elements' offsets are varied on their own. The ideals are finite and within the format's range,
 * so that the signed mean error stays finite and shows any element added wrongly; a second set
 * overflows once, inside a plain chunk.
 */
function plainStretches(dtype: OutDtype, r: Random): void {
  const n = 64 * 70 + 5;
  const e = storage(dtype, n);
  for (let i = 0; i < n; i++) e[i] = finiteElement(dtype, r);
  const limit = dtype === 'float16' ? 65000 : dtype === 'bfloat16' ? 3e38 : dtype === 'int8' ? 300 : 3e9;
  const inRange = new Float64Array(n);
  for (let i = 0; i < n; i++) inRange[i] = (r() * 2 - 1) * limit * (r() < 0.5 ? 1 : 0.001);
  const overflowing = inRange.slice();
  overflowing[60 * 64 + 7] = dtype === 'float16' ? -70000 : dtype === 'bfloat16' ? -3.5e38 : -1e10;
  const specials = dtype === 'float16' ? [0x7c00, 0xfe00] : dtype === 'bfloat16' ? [0xff80, 0x7fc1] : [];
  const kinds = specials.length > 0 ? ['special', 'differs', 'follows'] as const : ['differs', 'follows'] as const;
  for (const ideals of [inRange, overflowing]) {
    for (let offset = 0; offset < 64; offset++) {
      for (const kind of kinds) {
        const expected = e.slice(), a = e.slice(), base = e.slice();
        for (const [chunk, at] of [[5, offset], [20, (offset * 7) % 64], [40, (offset * 13 + 5) % 64]] as const) {
          const i = chunk * 64 + at;
          if (kind === 'special') expected[i] = a[i] = base[i] = specials[chunk % specials.length]!;
          else if (kind === 'differs') a[i] = expected[i] === 1 ? 2 : 1;
          else base[i] = a[i] = expected[i] === 1 ? 2 : 1;
        }
        const ref: ReferenceOutput = {
          path: 'fp16-fixpipe', shape: [n], expected: { dtype, shape: [n], data: expected }, ideal: ideals, acc: new Int32Array(n), scaleGap: 0,
          alternatives: kind === 'follows' ? [{ kind: 'fp16-overflow-saturate', values: { dtype, shape: [n], data: base } }] : [],
        };
        const actual: Tensor = { dtype, shape: [n], data: a };
        for (const mode of ['exact', 'vendor', 'bound'] as const) {
          const [native, twin] = both(actual, ref, { mode, bf16Tolerance: 4e-3 });
          assert.deepStrictEqual(native, twin, `${dtype} ${kind} at offset ${offset} ${mode}`);
          if (ideals === inRange) assert.ok(Number.isFinite(native.metrics.meanSignedErrorVsIdeal), 'the mean error is finite');
        }
      }
    }
  }
}

function both(actual: Tensor, ref: ReferenceOutput, opts: CompareOptions): [Comparison, Comparison] {
  const native = compareOutputs(actual, ref, opts);
  useNativeCompare(false);
  try {
    return [native, compareOutputs(actual, ref, opts)];
  } finally {
    useNativeCompare(true);
  }
}

describe('native compare: the same comparison as the TypeScript loop', () => {
  let addon: NativeAddon;
  let calls = { short: 0, count: 0 };
  let restore: () => void;
  before(() => {
    addon = nativeAddon();
    assert.equal(typeof addon.compareShortRun, 'function', 'the addon has the compare helpers (rebuild it)');
    // count the calls, so a test whose data never reaches the addon fails instead of passing vacuously
    const { compareShortRun, countDiffering } = addon;
    addon.compareShortRun = (...args) => { calls.short++; return compareShortRun(...args); };
    addon.countDiffering = (...args) => { calls.count++; return countDiffering(...args); };
    restore = () => { addon.compareShortRun = compareShortRun; addon.countDiffering = countDiffering; };
  });
  after(() => restore());
  beforeEach(() => { calls = { short: 0, count: 0 }; });

  const dtypes: OutDtype[] = ['int8', 'float16', 'bfloat16', 'int32'];
  const patterns: [string, (r: Random) => (i: number) => boolean][] = [
    ['all equal', () => () => false],
    ['scattered', (r) => () => r() < 0.01],
    ['half', (r) => () => r() < 0.5],
    ['alternating', () => (i) => i % 2 === 1],
    ['runs', () => (i) => Math.floor(i / 37) % 3 === 0],
    // stretches with a differing element every third place, between equal runs longer than the addon's minimum
    ['dense then clean', () => (i) => i % 700 < 400 && i % 3 === 0],
    ['all differ', () => () => true],
  ];

  for (const dtype of dtypes) {
    it(`${dtype}: every pattern of differing elements, with and without alternatives, in every mode`, () => {
      const r = mulberry32(dtypes.indexOf(dtype) + 11);
      for (const [name, pattern] of patterns) {
        for (const n of [0, 1, 2, 31, 1000, 4099]) {
          for (const alternatives of [false, true]) {
            const { actual, ref } = scenario(dtype, n, r, pattern(r), alternatives);
            for (const mode of ['exact', 'vendor', 'bound'] as const) {
              const [native, twin] = both(actual, ref, { mode, bf16Tolerance: 4e-3 });
              assert.deepStrictEqual(native, twin, `${dtype} ${name} n=${n} alternatives=${alternatives} ${mode}`);
            }
          }
        }
      }
      assert.ok(calls.short > 100 && calls.count > 100, `the addon was called (${calls.short} short runs, ${calls.count} counts)`);
    });
  }

  it('NaN outputs in other bit patterns than the reference\'s, a few places apart: the same comparison, through the NaN lane', () => {
    let lane = 0;
    const { compareShortRun } = addon;
    addon.compareShortRun = (...args) => {
      const stop = compareShortRun(...args);
      lane += args[8][3]!;
      return stop;
    };
    try {
      // a quiet or signalling NaN of either sign, most often not the reference's pattern at that place
      const nan = (dtype: OutDtype, r: Random): number =>
        (dtype === 'float16' ? [0x7e00, 0xfe01, 0x7c01, 0xfdff] : [0x7fc0, 0xffc1, 0x7f81, 0xffbf])[Math.floor(r() * 4)]!;
      const r = mulberry32(29);
      const patterns: [(i: number) => boolean, boolean][] = [
        [(i) => i % 500 < 300, false], [(i) => i % 6 === 0, false], [(i) => i % 3 !== 0, true], [() => true, true],
      ];
      for (const dtype of ['float16', 'bfloat16'] as const) {
        for (const [differs, alternatives] of patterns) {
          const { actual, ref } = scenario(dtype, 4099, r, differs, alternatives, nan);
          for (const mode of ['exact', 'vendor', 'bound'] as const) {
            const [native, twin] = both(actual, ref, { mode, bf16Tolerance: 4e-3, worst: mode === 'bound' ? 3 : undefined });
            assert.deepStrictEqual(native, twin, `${dtype} alternatives=${alternatives} ${mode}`);
          }
        }
      }
    } finally {
      addon.compareShortRun = compareShortRun;
    }
    assert.ok(lane > 10000, `the NaN lane took ${lane} elements`);
  });

  it('long plain stretches with a special or differing element at every offset of the addon\'s 64-element chunks: the same comparison', () => {
    const exponents = new Set<number>();
    const { compareShortRun } = addon;
    addon.compareShortRun = (...args) => {
      if (args[10] !== undefined) exponents.add(args[10]);
      return compareShortRun(...args);
    };
    try {
      const r = mulberry32(41);
      for (const dtype of dtypes) plainStretches(dtype, r);
    } finally {
      addon.compareShortRun = compareShortRun;
    }
    assert.ok(calls.short > 100, `the addon was called (${calls.short} short runs)`);
    assert.ok(exponents.has(0x7c00) && exponents.has(0x7f80), 'fp16 and bf16 outputs pass their exponent bits');
  });

  it('the exponent bits must be those the decode table holds as +inf', () => {
    const n = 70;
    const a = new Uint16Array(n), ideal = new Float64Array(n), state = new Float64Array(4);
    const fp16 = decodeTable('float16');
    assert.equal(addon.compareShortRun(a, a, a, ideal, fp16, false, 65520, 0, state, undefined, 0x7c00), n);
    for (const wrong of [0x7f80, 0xfc00, 0x0400, 0x10000, 0.5, -1])
      assert.throws(() => addon.compareShortRun(a, a, a, ideal, fp16, false, 65520, 0, state, undefined, wrong), /exponent must be/, `0x${wrong.toString(16)}`);
    assert.throws(() => addon.compareShortRun(new Int8Array(n), new Int8Array(n), new Int8Array(n), ideal, null, true, Infinity, 0, state, undefined, 0x7c00), /exponent must be/);
  });

  it('an ideal shorter than the output is left to the TypeScript loop (it reads NaN past the end)', () => {
    const { actual, ref } = scenario('float16', 64, mulberry32(3), () => false, false);
    const short = { ...ref, ideal: ref.ideal.subarray(0, 40) };
    const [native, twin] = both(actual, short, { mode: 'exact', bf16Tolerance: 1e-3 });
    assert.deepStrictEqual(native, twin);
    assert.equal(calls.short, 0);
  });
});
