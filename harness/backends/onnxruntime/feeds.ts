/**
 * A case and its inputs turned into a graph signature and the session's feeds: x1 as MatMulInteger's A,
 * the weight transposed to (..., k, n), the host-side effective scale/offset (host-params.ts), pertoken
 * as an (m, 1) column, biases in the dtype the graph expects. int4-packed operands are unpacked to int8.
 */
import { Tensor as OrtTensor } from 'onnxruntime-node';
import type { CaseInputs, Tensor } from '../../data/tensor';
import { broadcastBatch as broadcastShapes } from '../../spec/broadcast';
import type { Case } from '../../expand/case';
import { effectiveParams, widenBf16 } from './host-params';
import { INPUT, type AFeed, type GraphSignature } from './model';
import { unpackedTensor } from '../../reference/int4';

export type Feeds = Record<string, OrtTensor>;

/** numpy broadcast of two batch shapes (the harness's); throws when they do not broadcast. */
export function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const out = broadcastShapes(a, b);
  if (out === null) throw new RangeError(`onnxruntime: batch dims [${a}] and [${b}] do not broadcast`);
  return out;
}

/** (..., n, k) row-major -> (..., k, n) row-major, per batch. */
export function transposeLastTwo(data: Int8Array, shape: readonly number[]): { data: Int8Array; shape: number[] } {
  const n = shape[shape.length - 2]!;
  const k = shape[shape.length - 1]!;
  const out = new Int8Array(data.length);
  const plane = n * k;
  for (let base = 0; base < data.length; base += plane) {
    for (let j = 0; j < n; j++) {
      const row = base + j * k;
      for (let p = 0; p < k; p++) out[base + p * n + j] = data[row + p]!;
    }
  }
  return { data: out, shape: [...shape.slice(0, -2), k, n] };
}

/** x1 as A: unchanged for int8, or x ^ 0x80 (x + 128 as uint8) for the uint8 feeds with zero point 128. */
function aFeedData(x1: Int8Array, aFeed: AFeed): Int8Array | Uint8Array {
  if (aFeed === 'int8') return x1;
  const out = new Uint8Array(x1.length);
  for (let i = 0; i < x1.length; i++) out[i] = (x1[i]! ^ 0x80) & 0xff;
  return out;
}

/** A feed for a float bias: fp16 bits as ORT float16, bf16 widened to fp32, fp32 as is. */
function floatBiasFeed(bias: Tensor): OrtTensor {
  if (bias.dtype === 'float16') return new OrtTensor('float16', bias.data as Uint16Array, bias.shape);
  const data = bias.dtype === 'bfloat16' ? widenBf16(bias.data as Uint16Array) : bias.data as Float32Array;
  return new OrtTensor('float32', data, bias.shape);
}

/** A prepared case: its graph signature, the feeds, and the float baseline's weight on demand. */
export interface PreparedCase {
  sig: GraphSignature;
  feeds: Feeds;
  /** x1 as int8 (unpacked where it came int4-packed), for the float baseline */
  x1: Int8Array;
  /** the transposed weight as fp32, built from the feeds when the float baseline is timed */
  floatWeightT: () => Float32Array;
}

/**
 * The split feed's halves, w = 2*high + low, with high = w >> 1 in [-64, 63] and low = w & 1 (model.ts
 * says why). The high half overwrites the transposed weight, so the case holds two weight-sized arrays,
 * not three.
 */
function splitWeight(wT: Int8Array): { high: Int8Array; low: Int8Array } {
  const low = new Int8Array(wT.length);
  for (let i = 0; i < wT.length; i++) {
    low[i] = wT[i]! & 1;
    wT[i] = wT[i]! >> 1;
  }
  return { high: wT, low };
}

/** The signature and feeds of one case. */
export function prepareCase(c: Pick<Case, 'dtypes' | 'path'>, inputs: CaseInputs, aFeed: AFeed): PreparedCase {
  if (c.path === null) throw new TypeError('the case has no numeric path (its spec names none for these dtypes)');
  const path = c.path;
  const { bias, pertoken_scale: pertoken } = inputs;
  // int4 (int32-packed) operands are unpacked exactly on the host: MatMulInteger has no int4 input,
  // and int4 values are int8 values, so the accumulator is the same exact sum
  const x1 = unpackedTensor(inputs.x1);
  const weight = unpackedTensor(inputs.weight);
  if (x1.dtype !== 'int8' || weight.dtype !== 'int8') {
    throw new TypeError(`onnxruntime: x1 and weight must be int8 or int4-packed int32, got ${inputs.x1.dtype} and ${inputs.weight.dtype}`);
  }
  const m = x1.shape[x1.shape.length - 2]!;
  const wT = transposeLastTwo(weight.data as Int8Array, weight.shape);
  const out = [...broadcastBatch(x1.shape.slice(0, -2), weight.shape.slice(0, -2)), m, wT.shape[wT.shape.length - 1]!];
  const feeds: Feeds = {
    [INPUT.x1]: new OrtTensor(aFeed === 'int8' ? 'int8' : 'uint8', aFeedData(x1.data as Int8Array, aFeed), x1.shape),
  };
  let floatWeightT: () => Float32Array;
  if (aFeed === 'uint8-split') {
    const { high, low } = splitWeight(wT.data);
    feeds[INPUT.weightT] = new OrtTensor('int8', high, wT.shape);
    feeds[INPUT.weightTLow] = new OrtTensor('int8', low, wT.shape);
    floatWeightT = () => {
      const out = new Float32Array(high.length);
      for (let i = 0; i < high.length; i++) out[i] = 2 * high[i]! + low[i]!;
      return out;
    };
  } else {
    feeds[INPUT.weightT] = new OrtTensor('int8', wT.data, wT.shape);
    floatWeightT = () => Float32Array.from(wT.data);
  }
  const intOnly = path === 'int32-acc';
  let paramLength: number | null = null;
  if (!intOnly) {
    const params = effectiveParams(c, inputs);
    paramLength = params.scale.length;
    feeds[INPUT.scale] = new OrtTensor('float32', params.scale, [paramLength]);
    if (path === 'int8-requant') feeds[INPUT.offset9] = new OrtTensor('float32', params.offset9, [paramLength]);
  }
  const usePertoken = pertoken !== null && !intOnly;
  if (usePertoken) feeds[INPUT.pertoken] = new OrtTensor('float32', pertoken.data as Float32Array, [m, 1]);
  let intBias: number[] | null = null;
  let floatBias: GraphSignature['floatBias'] = null;
  if (bias !== null && bias.dtype === 'int32') {
    intBias = [...bias.shape];
    feeds[INPUT.intBias] = new OrtTensor('int32', bias.data as Int32Array, bias.shape);
  } else if (bias !== null && !intOnly) {
    floatBias = { feed: bias.dtype === 'float16' ? 'float16' : 'float32', shape: [...bias.shape] };
    feeds[INPUT.floatBias] = floatBiasFeed(bias);
  }
  const sig: GraphSignature = {
    path, aFeed, x1: [...x1.shape], weightT: wT.shape, out, paramLength,
    pertoken: usePertoken ? m : null, intBias, floatBias,
  };
  return { sig, feeds, x1: x1.data as Int8Array, floatWeightT };
}
