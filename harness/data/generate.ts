import type { Dtype } from '../dtypes';
import type { Case } from '../expand/case';
import { scaleBuildOf } from '../expand/scale-build';
import { twinImpl } from '../reference/twin';
import type { Distribution, Generator, Spec } from '../spec/types';
import { generateValues, generatorStd, valueStream, type Fill, type GenContext } from './generators';
import { int32BiasLimit } from './generators/int32-range';
import { gaussian } from './generators/types';
import { nativeOperandData, type OperandStore } from './native-generate';
import { hashSeed, mulberry32 } from './random';
import { numel, storageFor, type CaseInputs, type Int4Packing, type Tensor, type TensorData } from './tensor';
import { INT4_LAST_DIM, INT4_MAX, INT4_MIN, packedTensor } from '../reference/int4';

/** The default offset, pertoken and float-bias generators where a distribution names none. */
const DEFAULT_OFFSET: Generator = { kind: 'normal', mean: 0, std: 6 };

/**
 * Elements generated per step into x1 and the weight: the float64 scratch is 512 KiB, however large the
 * tensor (the long-k weight has 268 million elements).
 */
export const GENERATION_CHUNK = 1 << 16;

/**
 * Generates a case's inputs from (case seed, tensor name) only, so any case is rebuilt bit for bit from
 * its recipe. Shapes are taken as given, even when they break a rule (rejected cases still need data).
 * x1 and the weight are written chunk by chunk straight into their dtype; the per-channel and per-token
 * tensors are small and built whole.
 */
export function generateInputs(spec: Spec, c: Case): CaseInputs {
  const dist = distributionOf(spec, c);
  const k = c.shapes.x1[c.shapes.x1.length - 1] ?? 1;
  const ctxFor = (name: string): GenContext => ({
    random: mulberry32(hashSeed(c.seed, name)), k, xStd: generatorStd(dist.x1), wStd: generatorStd(dist.weight),
  });
  const values = (g: Generator, shape: number[], name: string) => generateValues(g, numel(shape), ctxFor(name));

  // a packed operand (int4 in int32) is generated as int4 values on its logical shape, then packed
  const operand = (role: 'x1' | 'weight', g: Generator): Tensor => {
    const packing = c.packing[role];
    const shape = c.shapes[role];
    const store: OperandStore = packing ? 'int4' : c.dtypes[role]!;
    const seed = hashSeed(c.seed, role);
    const data = nativeOperandData(store, numel(shape), g, seed) ?? twinOperandData(store, numel(shape), g, ctxFor(role));
    if (!packing) return { dtype: c.dtypes[role]!, shape, data };
    return packedTensor({ dtype: 'int8', shape, data }, packingOf(packing.along));
  };
  const x1 = operand('x1', dist.x1);
  const weight = operand('weight', dist.weight);
  const offsetF32 = c.shapes.offset && c.dtypes.offset
    ? Float32Array.from(quarter(values(dist.offset ?? DEFAULT_OFFSET, c.shapes.offset, 'offset'))) : null;
  const scaleF32 = Float32Array.from(values(dist.scale, c.shapes.scale, 'scale'));
  // an int64 scale packs a float32 offset only (a float16 offset is the per-group path's zero point)
  const { scale, scaleSource } = scaleTensor(c, scaleF32, c.dtypes.offset === 'float32' ? offsetF32 : null);
  const bias = c.shapes.bias && c.dtypes.bias ? biasTensor(c, dist, c.shapes.bias, ctxFor('bias'), k) : null;
  const pertoken = c.shapes.pertoken_scale && c.dtypes.pertoken_scale
    ? {
      dtype: 'float32' as const, shape: c.shapes.pertoken_scale,
      data: dist.pertoken_scale
        ? Float32Array.from(values(dist.pertoken_scale, c.shapes.pertoken_scale, 'pertoken_scale'))
        : lognormal(numel(c.shapes.pertoken_scale), ctxFor('pertoken_scale')),
    }
    : null;
  return {
    x1, weight, scale,
    // the offset in its own dtype: float32, or float16 (the per-group zero points)
    offset: offsetF32 && c.shapes.offset && c.dtypes.offset ? floatTensor(c.dtypes.offset, c.shapes.offset, offsetF32) : null,
    bias, pertoken_scale: pertoken,
    ...(scaleSource ? { scaleSource } : {}),
  };
}

/**
 * An operand's `count` values from the generator's TypeScript stream, stored as `store` (int4: int8
 * storage clamped to [-8, 7]). The definition of the bytes; the addon's nativeOperandData is its twin.
 */
export function twinOperandData(store: OperandStore, count: number, g: Generator, ctx: GenContext): TensorData {
  const stream = valueStream(g, count, ctx);
  if (store !== 'int4') return fillTensor(store, [count], stream).data;
  const v = fillTensor('int8', [count], stream).data as Int8Array;
  for (let i = 0; i < v.length; i++) v[i] = Math.max(INT4_MIN, Math.min(INT4_MAX, v[i]!));
  return v;
}

/** The packing marker of an operand packed along the logical k (the last dim of x1 (m, k) and weight (n, k)) or n. */
function packingOf(along: 'k' | 'n'): Int4Packing {
  return along === 'k' ? INT4_LAST_DIM : { kind: 'int4', perStorage: 8, dim: -2 };
}

/** The case's distribution (a case names one of its spec's). */
export function distributionOf(spec: Spec, c: Case): Distribution {
  const dist = spec.distributions.find((d) => d.id === c.distribution);
  if (!dist) throw new RangeError(`case ${c.id}: unknown distribution '${c.distribution}'`);
  return dist;
}

/**
 * int64 scales are built as the module would: npu_trans_quant_param(scale, offset, round_mode)
 * (docs/semantics.md §2.2, §2.3; the build is expand/scale-build.ts).
 * The fp32 source goes along (scaleSource), so a backend can pack with the library under test instead.
 */
function scaleTensor(c: Case, scale: Float32Array, offset: Float32Array | null): Pick<CaseInputs, 'scale' | 'scaleSource'> {
  const shape = c.shapes.scale;
  if (c.dtypes.scale !== 'int64') return { scale: floatTensor(c.dtypes.scale!, shape, scale) };
  const build = c.call.scaleBuild ?? scaleBuildOf(offset !== null);
  // Pack the offset only where the packed result keeps the scale's own length.
  const pack = build.packOffset && offset !== null && (offset.length === scale.length || offset.length === 1) ? offset : null;
  return {
    scale: { dtype: 'int64', shape, data: twinImpl.transQuantParam(scale, pack, build.roundMode) },
    scaleSource: {
      scale: { dtype: 'float32', shape, data: Float32Array.from(scale) },
      offset: pack && c.shapes.offset ? { dtype: 'float32', shape: [...c.shapes.offset], data: Float32Array.from(pack) } : null,
    },
  };
}

/**
 * int32 biases keep acc + bias inside int32 (what the device does outside it is not documented:
 * docs/semantics.md §2.1). Float biases are, by default or under
 * `accumulator-scale`, sized like the outputs (factor x the scale's target), so a bias added before
 * instead of after dequant shows (the `bias-path` tag); any other generator gives the values directly. Finite
 * float biases are clamped to their dtype's finite range (an inf input is outside the contract).
 */
function biasTensor(c: Case, dist: Distribution, shape: number[], ctx: GenContext, k: number): Tensor {
  const n = numel(shape);
  if (c.dtypes.bias === 'int32') {
    const g: Generator = dist.bias ?? { kind: 'accumulator-scale', factor: 0.5 };
    const limit = int32BiasLimit(k);
    const v = generateValues(g, n, ctx);
    // plain loops: TypedArray.from with a map function costs far more per element
    const data = new Int32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.max(-limit, Math.min(limit, v[i]!));
    return { dtype: 'int32', shape, data };
  }
  let v: Float64Array;
  if (dist.bias === null || dist.bias.kind === 'accumulator-scale') {
    const target = 'target' in dist.scale ? dist.scale.target : 10;
    const factor = dist.bias?.factor ?? 0.5;
    v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = factor * target * gaussian(ctx.random);
  } else {
    v = generateValues(dist.bias, n, ctx);
  }
  const max = FLOAT_MAX[c.dtypes.bias!] ?? FLOAT_MAX.float32!;
  const clamped = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    clamped[i] = Number.isFinite(x) ? Math.max(-max, Math.min(max, x)) : x;
  }
  return floatTensor(c.dtypes.bias!, shape, clamped);
}

/** The largest finite value of each float dtype (bf16: 0x7f7f, fp32: 0x7f7fffff). */
const FLOAT_MAX: Partial<Record<Dtype, number>> = {
  float16: 65504, bfloat16: 3.3895313892515355e38, float32: 3.4028234663852886e38,
};

function floatTensor(dtype: Dtype, shape: number[], v: Float32Array): Tensor {
  switch (dtype) {
    case 'float32': return { dtype, shape, data: v };
    case 'float16': return { dtype, shape, data: twinImpl.f32ToF16(v) };
    case 'bfloat16': return { dtype, shape, data: twinImpl.f32ToBf16(v) };
    default: return toTensor(dtype, shape, Float64Array.from(v));
  }
}

/** Integer-valued data in the tensor's dtype: int8 and uint8 saturate, floats store the same values. */
function toTensor(dtype: Dtype, shape: number[], v: Float64Array): Tensor {
  let at = 0;
  return fillTensor(dtype, shape, (out) => {
    out.set(v.subarray(at, at + out.length));
    at += out.length;
  });
}

/**
 * A tensor of `dtype` filled from a value stream, GENERATION_CHUNK elements at a time, each converted
 * as toTensor says. The only allocations are the tensor itself and one chunk of scratch.
 */
function fillTensor(dtype: Dtype, shape: number[], fill: Fill): Tensor {
  const n = numel(shape);
  const data = new (storageFor(dtype))(n);
  const chunk = new Float64Array(Math.min(GENERATION_CHUNK, n));
  for (let at = 0; at < n; at += chunk.length) {
    const part = n - at < chunk.length ? chunk.subarray(0, n - at) : chunk;
    fill(part);
    storeChunk(dtype, data, at, part);
  }
  return { dtype, shape, data };
}

/** Stores float64 values at `at` in the tensor's storage, converted as toTensor says. */
function storeChunk(dtype: Dtype, data: TensorData, at: number, v: Float64Array): void {
  switch (dtype) {
    case 'int8': {
      const out = data as Int8Array;
      for (let i = 0; i < v.length; i++) out[at + i] = Math.max(-128, Math.min(127, v[i]!));
      return;
    }
    case 'uint8': {
      const out = data as Uint8Array;
      for (let i = 0; i < v.length; i++) out[at + i] = Math.max(0, Math.min(255, v[i]! + 128));
      return;
    }
    case 'int64': {
      const out = data as BigInt64Array;
      for (let i = 0; i < v.length; i++) out[at + i] = BigInt(Math.trunc(v[i]!));
      return;
    }
    // int32 wraps like Int32Array.from, float32 rounds to nearest like Float32Array.from
    case 'int32': case 'float32':
      (data as Int32Array | Float32Array).set(v, at);
      return;
    case 'float16': case 'bfloat16':
      (data as Uint16Array).set(floatTensor(dtype, [v.length], Float32Array.from(v)).data as Uint16Array, at);
  }
}

/** Positive per-token scales around 1. */
function lognormal(n: number, ctx: GenContext): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.exp(0.5 * gaussian(ctx.random));
  return out;
}

/** Offsets on a quarter grid, so .5 ties of the offset's own rounding occur (clip and RNE are both tested). */
function quarter(v: Float64Array): Float64Array {
  return v.map((x) => Math.round(x * 4) / 4);
}
