import type { Dtype } from '../dtypes';
import type { Case } from '../expand/case';
import { twinImpl } from '../reference/twin';
import type { Distribution, Generator, Spec } from '../spec/types';
import { generateValues, generatorStd, type GenContext } from './generators';
import { int32BiasLimit } from './generators/int32-range';
import { gaussian } from './generators/types';
import { hashSeed, mulberry32 } from './random';
import { numel, type CaseInputs, type Tensor } from './tensor';

/** The default offset, pertoken and float-bias generators where a distribution names none. */
const DEFAULT_OFFSET: Generator = { kind: 'normal', mean: 0, std: 6 };

/**
 * Generates a case's inputs from (case seed, tensor name) only, so any case is rebuilt bit for bit from
 * its recipe. Shapes are taken as given, even when they break a rule (rejected cases still need data).
 */
export function generateInputs(spec: Spec, c: Case): CaseInputs {
  const dist = spec.distributions.find((d) => d.id === c.distribution);
  if (!dist) throw new RangeError(`case ${c.id}: unknown distribution '${c.distribution}'`);
  const k = c.shapes.x1[c.shapes.x1.length - 1] ?? 1;
  const ctxFor = (name: string): GenContext => ({
    random: mulberry32(hashSeed(c.seed, name)), k, xStd: generatorStd(dist.x1), wStd: generatorStd(dist.weight),
  });
  const values = (g: Generator, shape: number[], name: string) => generateValues(g, numel(shape), ctxFor(name));

  const x1 = toTensor(c.dtypes.x1!, c.shapes.x1, values(dist.x1, c.shapes.x1, 'x1'));
  const weight = toTensor(c.dtypes.weight!, c.shapes.weight, values(dist.weight, c.shapes.weight, 'weight'));
  const offsetF32 = c.shapes.offset && c.dtypes.offset
    ? Float32Array.from(quarter(values(dist.offset ?? DEFAULT_OFFSET, c.shapes.offset, 'offset'))) : null;
  const scaleF32 = Float32Array.from(values(dist.scale, c.shapes.scale, 'scale'));
  const { scale, scaleSource } = scaleTensor(c, scaleF32, offsetF32);
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
    offset: offsetF32 && c.shapes.offset ? { dtype: 'float32', shape: c.shapes.offset, data: offsetF32 } : null,
    bias, pertoken_scale: pertoken,
    ...(scaleSource ? { scaleSource } : {}),
  };
}

/**
 * int64 scales are built as the module would (D6): npu_trans_quant_param(scale, offset, round_mode).
 * The fp32 source goes along (scaleSource), so a backend can pack with the library under test instead.
 */
function scaleTensor(c: Case, scale: Float32Array, offset: Float32Array | null): Pick<CaseInputs, 'scale' | 'scaleSource'> {
  const shape = c.shapes.scale;
  if (c.dtypes.scale !== 'int64') return { scale: floatTensor(c.dtypes.scale!, shape, scale) };
  const build = c.call.scaleBuild ?? { roundMode: 0, packOffset: offset !== null };
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
 * int32 biases keep acc + bias inside int32 (D7). Float biases are, by default or under
 * `accumulator-scale`, sized like the outputs (factor x the scale's target), so a bias added before
 * instead of after dequant shows (defect class 4); any other generator gives the values directly. Finite
 * float biases are clamped to their dtype's finite range (an inf input is outside the contract, D7).
 */
function biasTensor(c: Case, dist: Distribution, shape: number[], ctx: GenContext, k: number): Tensor {
  const n = numel(shape);
  if (c.dtypes.bias === 'int32') {
    const g: Generator = dist.bias ?? { kind: 'accumulator-scale', factor: 0.5 };
    const limit = int32BiasLimit(k);
    return { dtype: 'int32', shape, data: Int32Array.from(generateValues(g, n, ctx), (v) => Math.max(-limit, Math.min(limit, v))) };
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
  return floatTensor(c.dtypes.bias!, shape, Float32Array.from(v, (x) => (Number.isFinite(x) ? Math.max(-max, Math.min(max, x)) : x)));
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
  switch (dtype) {
    case 'int8': return { dtype, shape, data: Int8Array.from(v, (x) => Math.max(-128, Math.min(127, x))) };
    case 'uint8': return { dtype, shape, data: Uint8Array.from(v, (x) => Math.max(0, Math.min(255, x + 128))) };
    case 'int32': return { dtype, shape, data: Int32Array.from(v) };
    case 'int64': return { dtype, shape, data: BigInt64Array.from(v, (x) => BigInt(Math.trunc(x))) };
    default: return floatTensor(dtype, shape, Float32Array.from(v));
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
