/**
 * Random small cases of every path for the differential tests: shapes of rank 2-4 with broadcast batch
 * dims, int8 data of several distributions, and per path only the inputs the contract allows there.
 * Everything derives from one seeded generator, so a case is replayed from (run seed, case id).
 */
import { pick, randomInt, type Random } from '../../harness/data/random';
import type { BiasArg, EpilogueArgs, EpilogueVariant, ScaleArg } from '../../harness/reference/impl';
import { f32ToBf16Bits } from '../../harness/reference/twin/bf16';
import { f32ToF16Bits } from '../../harness/reference/twin/fp16';
import { broadcastShapes } from '../../harness/reference/twin/broadcast';
import { transQuantParam } from '../../harness/reference/twin/quant-param';
import type { PathId } from '../../harness/reference/types';

export const PATHS: readonly PathId[] = ['int8-requant', 'fp16-fixpipe', 'fp16-float-bias', 'bf16-vector', 'fp16-pertoken', 'int32-acc'];

/** The 32 combinations of the five variant choices, in a fixed order. */
export const ALL_VARIANTS: readonly EpilogueVariant[] = Array.from({ length: 32 }, (_, i) => ({
  scaleFp19: (i & 1) !== 0,
  pertokenOrder: i & 2 ? 'fused' : 'sequential',
  fp16Overflow: i & 4 ? 'saturate' : 'inf',
  int8Tie: i & 8 ? 'odd' : 'even',
  int8Clamp9: (i & 16) === 0,
}));

/** A gemm problem plus the epilogue inputs (acc filled in by whoever runs the gemm). */
export interface RandomCase {
  x1: Int8Array;
  x1Shape: number[];
  weight: Int8Array;
  weightShape: number[];
  /** EpilogueArgs without acc and outShape (they come from the gemm) and without a variant */
  epilogue: Omit<EpilogueArgs, 'acc' | 'outShape' | 'variant'>;
}

/** A random fp32 of random sign and magnitude 2^lo..2^hi (log-uniform). */
export function randomF32(random: Random, lo: number, hi: number): number {
  return Math.fround((random() < 0.5 ? -1 : 1) * 2 ** (lo + random() * (hi - lo)));
}

/** int8 data of one of several distributions: uniform, extremes only, small values, mostly zero. */
function int8Data(random: Random, count: number): Int8Array {
  const kind = randomInt(random, 0, 3);
  const data = new Int8Array(count);
  for (let i = 0; i < count; i++) {
    if (kind === 0) data[i] = randomInt(random, -128, 127);
    else if (kind === 1) data[i] = random() < 0.5 ? -128 : 127;
    else if (kind === 2) data[i] = randomInt(random, -3, 3);
    else data[i] = random() < 0.8 ? 0 : randomInt(random, -128, 127);
  }
  return data;
}

/** Batch dims for x1 and weight that broadcast: total rank 2-4, some dims 1 on one side. */
function batchShapes(random: Random): [number[], number[]] {
  const rank = randomInt(random, 0, 2);
  const full = Array.from({ length: rank }, () => randomInt(random, 1, 3));
  const side = (): number[] => {
    const own = full.map((d) => (random() < 0.3 ? 1 : d));
    return own.slice(randomInt(random, 0, own.length)); // may drop leading dims (numpy right-alignment)
  };
  return [side(), side()];
}

/** A scale of a kind the path allows: fp32 of varied magnitude, bf16, or a packed int64. */
function scaleFor(random: Random, path: PathId, n: number): ScaleArg {
  const length = random() < 0.3 ? 1 : n;
  const magnitude = (): number => {
    const kind = randomInt(random, 0, 9);
    if (kind === 0) return randomF32(random, -149, -126); // subnormal (outside the contract, still bit-defined)
    if (kind === 1) return randomF32(random, 60, 127); // huge: fp32 overflow to inf downstream
    if (kind === 2) return Math.fround((random() < 0.5 ? -1 : 1) * 2 ** -randomInt(random, 1, 14)); // ties
    return randomF32(random, -20, 0);
  };
  const floats = Float32Array.from({ length }, magnitude);
  const allowsInt64 = path === 'int8-requant' || path === 'fp16-fixpipe' || path === 'fp16-float-bias';
  const allowsBf16 = path === 'bf16-vector' || path === 'int32-acc';
  if (allowsInt64 && random() < 0.4) {
    if (random() < 0.3) {
      // hand-built patterns: any low 32 bits, any 9-bit offset, flag set
      return { dtype: 'int64', data: BigInt64Array.from({ length }, () =>
        BigInt(randomInt(random, 0, 0xffffffff)) | (BigInt(randomInt(random, 0, 511)) << 37n) | (1n << 46n)) };
    }
    const offsets = path === 'int8-requant' && random() < 0.7 ? Float32Array.from({ length }, () => randomInt(random, -600, 600) / 2) : null;
    return { dtype: 'int64', data: transQuantParam(floats, offsets, random() < 0.5 ? 0 : 1) };
  }
  if (allowsBf16 && random() < 0.4) return { dtype: 'bfloat16', data: Uint16Array.from(floats, f32ToBf16Bits) };
  return { dtype: 'float32', data: floats };
}

/** A bias of a dtype the path allows, shape (n) or, for a 3-D output, (batch or 1, 1, n). */
function biasFor(random: Random, path: PathId, n: number, outBatch: number[]): BiasArg | null {
  const dtypes: Record<PathId, BiasArg['dtype'][]> = {
    'int8-requant': ['int32'], 'fp16-fixpipe': ['int32'], 'int32-acc': ['int32'],
    'fp16-float-bias': ['float16', 'float32'], 'bf16-vector': ['int32', 'bfloat16', 'float32'],
    'fp16-pertoken': ['int32', 'float16', 'float32'],
    // the per-group paths take no bias and are not among PATHS (no whole-accumulator epilogue)
    'group-dequant-bf16': [], 'group-dequant-fp16': [],
  };
  if (path !== 'fp16-float-bias' && random() < 0.35) return null;
  const dtype = pick(random, dtypes[path]);
  const shape = outBatch.length === 1 && random() < 0.5 ? [random() < 0.3 ? 1 : outBatch[0]!, 1, n] : [n];
  const count = shape.reduce((p, d) => p * d, 1);
  const floats = Array.from({ length: count }, () => randomF32(random, -8, 12));
  switch (dtype) {
    case 'int32': return { dtype, shape, data: Int32Array.from({ length: count }, () => randomInt(random, -(2 ** 20), 2 ** 20)) };
    case 'float32': return { dtype, shape, data: Float32Array.from(floats) };
    case 'float16': return { dtype, shape, data: Uint16Array.from(floats, f32ToF16Bits) };
    case 'bfloat16': return { dtype, shape, data: Uint16Array.from(floats, f32ToBf16Bits) };
  }
}

/** One random case of a path: m, n, k in 1..40, ranks 2-4, scale length 1 or n, per-path optional inputs. */
export function randomCase(random: Random, path: PathId): RandomCase {
  const [m, n, k] = [randomInt(random, 1, 40), randomInt(random, 1, 40), randomInt(random, 1, 40)];
  const [b1, b2] = batchShapes(random);
  const x1Shape = [...b1, m, k];
  const weightShape = [...b2, n, k];
  const outBatch = broadcastShapes(b1, b2)!; // batchShapes only makes broadcastable pairs
  const offset = path === 'int8-requant' && random() < 0.6
    ? Float32Array.from({ length: random() < 0.3 ? 1 : n }, () => pick(random, [256, -256, 255.5, -256.5, 300, -300, randomInt(random, -520, 520) / 2]))
    : null;
  const hasPertoken = path === 'fp16-pertoken' || (path === 'bf16-vector' && random() < 0.5);
  return {
    x1: int8Data(random, x1Shape.reduce((p, d) => p * d, 1)), x1Shape,
    weight: int8Data(random, weightShape.reduce((p, d) => p * d, 1)), weightShape,
    epilogue: {
      path, scale: scaleFor(random, path, n), offset, bias: biasFor(random, path, n, outBatch),
      pertoken: hasPertoken ? Float32Array.from({ length: m }, () => randomF32(random, -10, 4)) : null,
    },
  };
}

/** A compact, replayable description of a case for failure messages (data included only when small). */
export function describeCase(c: unknown): string {
  const text = JSON.stringify(c, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `0x${BigInt.asUintN(64, value).toString(16)}`;
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const items = Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? `0x${BigInt.asUintN(64, v).toString(16)}` : v));
      return items.length > 64 ? `${value.constructor.name}(${items.length}) [${items.slice(0, 16).join(',')},...]` : items;
    }
    return value;
  });
  return text.length > 4000 ? `${text.slice(0, 4000)}...` : text;
}
