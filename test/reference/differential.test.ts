/**
 * Differential tests: the native addon against the TypeScript twin, bit for bit, on thousands of random
 * small cases of every path and every epilogue variant, and on the edge values of the epilogue (saturation, ties, overflow). Every
 * failure prints the run seed, the case id and the case (see differential-support.ts).
 * A8W8_DIFF_CASES sets the random cases per path (default 1000).
 */
import assert from 'node:assert/strict';
import { hashSeed, mulberry32, randomInt } from '../../harness/data/random';
import type { EpilogueArgs, EpilogueVariant } from '../../harness/reference/impl';
import { computeReference } from '../../harness/reference/reference';
import { twinImpl } from '../../harness/reference/twin';
import type { PathId, ReferenceOptions } from '../../harness/reference/types';
import {
  RUN_SEED, asReferenceCase, assertSameValues, compareEpilogue, compareRandomCase, replayHint,
} from './differential-support';
import { describeNative } from './impls';
import { ALL_VARIANTS, PATHS, randomCase, type RandomCase } from './random-cases';

const CASES_PER_PATH = Number(process.env.A8W8_DIFF_CASES ?? 1000);
const PRIMARY: EpilogueVariant = ALL_VARIANTS[1]!; // fp19, sequential, inf, even, clamp9

/** A seeded generator for one case id. */
const randomFor = (id: string): ReturnType<typeof mulberry32> => mulberry32(hashSeed(RUN_SEED, id));

/** Epilogue args with acc given directly (1 x count output) and the rest of a path's inputs. */
function accCase(path: PathId, acc: number[], scale: number, extra: Partial<EpilogueArgs> = {}): EpilogueArgs {
  return {
    path, acc: Int32Array.from(acc), outShape: [1, acc.length], scale: { dtype: 'float32', data: new Float32Array([scale]) },
    offset: null, bias: null, pertoken: path === 'fp16-pertoken' ? new Float32Array([1]) : null, variant: PRIMARY, ...extra,
  };
}

/** Odd integers in [lo, hi]: with a power-of-two scale each lands exactly half way between two outputs. */
const odds = (lo: number, hi: number, step = 2): number[] => {
  const out: number[] = [];
  for (let a = lo | 1; a <= hi; a += step) out.push(a);
  return out;
};

describeNative('differential: twin vs native', (native) => {
  for (const path of PATHS) {
    it(`${path}: ${CASES_PER_PATH} random cases, every variant combination`, () => {
      for (let i = 0; i < CASES_PER_PATH; i++) {
        const id = `${path}#${i}`;
        const variants = [ALL_VARIANTS[i % 32]!, ALL_VARIANTS[(i * 7 + 3) % 32]!];
        compareRandomCase(twinImpl, native(), randomCase(randomFor(id), path), variants, id);
      }
    });
  }

  it('computeReference: whole outputs agree on random cases of every path', () => {
    for (const path of PATHS) {
      for (let i = 0; i < 60; i++) {
        const id = `reference:${path}#${i}`;
        const random = randomFor(id);
        const { c, inputs } = asReferenceCase(randomCase(random, path));
        const options: ReferenceOptions = {
          fp16Overflow: (['inf', 'saturate', 'either'] as const)[randomInt(random, 0, 2)]!,
          bf16ScaleTruncation: ([true, false, 'either'] as const)[randomInt(random, 0, 2)]!,
        };
        const t = computeReference(c, inputs, options, twinImpl);
        const n = computeReference(c, inputs, options, native());
        const where = `${replayHint(id)} options ${JSON.stringify(options)}`;
        assertSameValues('expected', t.expected.data as Int32Array, n.expected.data as Int32Array, where, c);
        assert.deepEqual(n.alternatives.map((a) => a.kind), t.alternatives.map((a) => a.kind), `alternative kinds\n${where}`);
        t.alternatives.forEach((a, j) => assertSameValues(`alternative ${a.kind}`, a.values.data as Int32Array, n.alternatives[j]!.values.data as Int32Array, where, c));
        assertSameValues('ideal', t.ideal, n.ideal, where, c);
        assertSameValues('acc', t.acc, n.acc, where, c);
        assertSameValues('scaleGap', [t.scaleGap], [n.scaleGap], where, c);
      }
    }
  });

  it('edge: -128 and 127 everywhere, k = 1, 2 and 40, every path', () => {
    for (const path of PATHS) {
      for (let i = 0; i < 24; i++) {
        const id = `extremes:${path}#${i}`;
        const random = randomFor(id);
        const base = randomCase(random, path);
        const fill = (data: Int8Array): Int8Array => data.map(() => (random() < 0.5 ? -128 : 127));
        const k = [1, 2, 40][i % 3]!;
        const x1Shape = [...base.x1Shape.slice(0, -1), k];
        const weightShape = [...base.weightShape.slice(0, -1), k];
        const c: RandomCase = {
          ...base, x1Shape, weightShape,
          x1: fill(new Int8Array(x1Shape.reduce((p, d) => p * d, 1))),
          weight: fill(new Int8Array(weightShape.reduce((p, d) => p * d, 1))),
        };
        compareRandomCase(twinImpl, native(), c, [ALL_VARIANTS[i % 32]!, PRIMARY], id);
      }
    }
  });

  it('edge: k = 65535 with all -128 (m, n = 1..2), tiny to huge scales, offsets at +-256', () => {
    const k = 65535;
    for (const path of PATHS) {
      for (const [m, n] of [[1, 1], [1, 2], [2, 1], [2, 2]] as const) {
        for (const scale of [1, 2 ** -30, 1e-9, 2 ** -149, 3e38, -0.5]) {
          const id = `k65535:${path}:${m}x${n}:${scale}`;
          const c: RandomCase = {
            x1: new Int8Array(m * k).fill(-128), x1Shape: [m, k], weight: new Int8Array(n * k).fill(-128), weightShape: [n, k],
            epilogue: {
              path, scale: { dtype: 'float32', data: new Float32Array([scale]) },
              offset: path === 'int8-requant' ? new Float32Array([scale > 0 ? -256 : 256]) : null, bias: null,
              pertoken: path === 'fp16-pertoken' || path === 'bf16-vector' ? new Float32Array(m).fill(0.75) : null,
            },
          };
          compareRandomCase(twinImpl, native(), c, ALL_VARIANTS, id);
        }
      }
    }
  });

  it('edge: exact .5 ties of int8 requant, offsets at and beyond +-256, subnormal and huge scales', () => {
    const accs = [...odds(-41, 41), 511, -511, 513, 1023, 100001, -100001, 2 ** 30 - 1];
    for (const scale of [0.5, 0.25, 2 ** -10, 2 ** -149, 1e-40, 1e38, 3.4e38, -0.5]) {
      for (const offset of [null, [0], [1], [256], [-256], [255.5], [-256.5], [1000], [-1000]]) {
        const args = accCase('int8-requant', accs, scale, { offset: offset === null ? null : new Float32Array(offset) });
        for (const variant of ALL_VARIANTS) compareEpilogue(twinImpl, native(), { ...args, variant }, `int8-ties:${scale}:${offset}`);
      }
    }
  });

  it('edge: half-ulp ties of fp16 (normal, subnormal, at the overflow) and bf16', () => {
    const cases: [PathId[], number[], number][] = [
      [['fp16-fixpipe', 'fp16-pertoken', 'fp16-float-bias'], odds(2049, 4095), 2 ** -11], // [1, 2): ulp 2^-10
      [['fp16-fixpipe', 'fp16-pertoken'], odds(1, 2047), 2 ** -25], // subnormal fp16: ulp 2^-24
      [['fp16-fixpipe', 'fp16-pertoken'], odds(2049, 4095), 16], // up to 65520, the tie that overflows
      [['bf16-vector'], odds(257, 511), 2 ** -8], // [1, 2): ulp 2^-7
      [['bf16-vector'], odds(1, 255), 2 ** -141], // bf16 subnormals (the scale is an fp32 subnormal)
      [['bf16-vector'], odds(257, 511), 2 ** 119], // near the top of the range
    ];
    for (const [paths, accs, scale] of cases) {
      for (const path of paths) {
        const bias = path === 'fp16-float-bias' ? { bias: { dtype: 'float32' as const, data: new Float32Array(accs.length).fill(0), shape: [accs.length] } } : {};
        const args = accCase(path, accs, scale, { scale: { dtype: 'float32', data: new Float32Array(accs.length).fill(scale) }, ...bias });
        for (const variant of ALL_VARIANTS) compareEpilogue(twinImpl, native(), { ...args, variant }, `float-ties:${path}:${scale}`);
      }
    }
  });

  it('casts: every fp16/bf16 midpoint and its neighbours, random bit patterns; NaN stays NaN', () => {
    const random = randomFor('casts');
    const bits: number[] = [];
    for (let h = 0; h < 0x7f80; h++) bits.push(((h << 16) | 0x8000) >>> 0, ((h << 16) | 0x7fff) >>> 0, ((h << 16) | 0x8001) >>> 0);
    for (let i = 0; i < 200000; i++) bits.push(randomInt(random, 0, 0xffffffff));
    const values = new Float32Array(new Uint32Array(bits).buffer);
    const finite = values.filter((v) => !Number.isNaN(v));
    const twinF16 = twinImpl.f32ToF16(finite), twinBf16 = twinImpl.f32ToBf16(finite);
    assertSameValues('f32ToF16', twinF16, native().f32ToF16(finite), replayHint('casts'), 'finite fp32 patterns');
    assertSameValues('f32ToBf16', twinBf16, native().f32ToBf16(finite), replayHint('casts'), 'finite fp32 patterns');
    // NaN payload bits are not part of the contract: only that NaN stays NaN
    const nans = values.filter((v) => Number.isNaN(v));
    const isNanF16 = (h: number): number => ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0 ? 1 : 0);
    const isNanBf16 = (h: number): number => ((h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0 ? 1 : 0);
    assertSameValues('f32ToF16 NaN', Array.from(nans, () => 1), Array.from(native().f32ToF16(nans), isNanF16), replayHint('casts'), 'NaN inputs');
    assertSameValues('f32ToBf16 NaN', Array.from(nans, () => 1), Array.from(native().f32ToBf16(nans), isNanBf16), replayHint('casts'), 'NaN inputs');
  });

  it('trans_quant_param: device round modes 0/1 and the host variant, random patterns and offsets', () => {
    for (let i = 0; i < 200; i++) {
      const id = `trans-quant-param#${i}`;
      const random = randomFor(id);
      const n = randomInt(random, 1, 64);
      const scaleLength = [1, n][randomInt(random, 0, 1)]!;
      const offsetLength = [1, n][randomInt(random, 0, 1)]!;
      const scale = new Float32Array(new Uint32Array(Array.from({ length: scaleLength }, () => randomInt(random, 0, 0xffffffff))).buffer);
      const offset = random() < 0.2 ? null
        : Float32Array.from({ length: offsetLength }, () => {
          const edges = [256, -256, 255.5, -256.5, 0.5, -0.5, 1e6];
          return random() < 0.5 ? edges[randomInt(random, 0, edges.length - 1)]! : randomInt(random, -1200, 1200) / 2;
        });
      for (const mode of [0, 1] as const) {
        assertSameValues(`transQuantParam mode ${mode}`, twinImpl.transQuantParam(scale, offset, mode), native().transQuantParam(scale, offset, mode), replayHint(id), { scale, offset });
      }
      const finiteScale = scale.map((s) => (Number.isNaN(s) ? 1 : s)); // the host variant copies bits; keep NaN out anyway
      assertSameValues('transQuantParamHost', twinImpl.transQuantParamHost(finiteScale, offset), native().transQuantParamHost(finiteScale, offset), replayHint(id), { scale: finiteScale, offset });
    }
  });
});

/** The twin, run against itself through computeReference, must be deterministic (a sanity check that needs no native). */
describe('differential: the twin is deterministic', () => {
  it('the same seed gives the same case and the same output', () => {
    for (const path of PATHS) {
      const a = asReferenceCase(randomCase(randomFor(`determinism:${path}`), path));
      const b = asReferenceCase(randomCase(randomFor(`determinism:${path}`), path));
      const options: ReferenceOptions = { fp16Overflow: 'either', bf16ScaleTruncation: 'either' };
      const ra = computeReference(a.c, a.inputs, options, twinImpl);
      const rb = computeReference(b.c, b.inputs, options, twinImpl);
      assertSameValues(`determinism ${path}`, ra.expected.data as Int32Array, rb.expected.data as Int32Array, replayHint(`determinism:${path}`), a.c);
    }
  });
});
