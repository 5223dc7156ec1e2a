/**
 * The contract as an ONNX graph (docs/semantics.md §2.4): MatMulInteger for the exact int32 accumulator, then the
 * epilogue of the case's path as separate ops, each one IEEE fp32 operation in the order of that
 * page's formula:  (f32(acc + b_i32) * scale) * pt + f32(float_bias), then the output cast or requant.
 *
 * One graph per *signature* (path, shapes, which inputs exist): the data (weight, scale, offset, bias,
 * pertoken) are graph inputs, so cases that differ only in data share a session.
 */
import type { onnx } from 'onnx-proto';
import type { PathId } from '../../reference/types';
import { ElemType, encodeModel, node, scalarInitializer, valueInfo } from './proto';

/**
 * How x1 and the weight reach MatMulInteger (probe.ts decides per host):
 * - `uint8`: A = x1 ^ 0x80 with a_zero_point 128 (the same integers), MLAS's fast u8s8 kernels;
 * - `uint8-split`: the same A, and the weight split as w = 2*(w >> 1) + (w & 1), two MatMulIntegers whose
 *   u8 x s8 pair sums stay within int16 (255*64*2 < 2^15), so they are exact on hosts without VNNI;
 *   acc = (acc_hi + acc_hi) + acc_lo in int32, exact for k <= 65535 (|2*acc_hi| <= 2*128*64*65535 < 2^31;
 *   beyond that every step wraps mod 2^32, as one int32 accumulator would);
 * - `int8`: x1 and the weight as they are (MLAS's s8s8 kernels; exact, but slow without VNNI).
 */
export type AFeed = 'uint8' | 'uint8-split' | 'int8';

/** Everything a graph depends on; equal signatures give identical models. */
export interface GraphSignature {
  path: PathId;
  aFeed: AFeed;
  x1: number[];
  /** the weight transposed to (..., k, n): MatMulInteger multiplies A (..., m, k) by B (..., k, n) */
  weightT: number[];
  /** broadcast batch + (m, n) */
  out: number[];
  /** length of the effective scale and offset vectors (1 or n); null on the int32 path (no scale) */
  paramLength: number | null;
  /** m when there is a pertoken scale (fed as (m, 1) so it broadcasts over columns), else null */
  pertoken: number | null;
  /** shape of an int32 bias, (n) or (batch, 1, n) */
  intBias: number[] | null;
  /** a float bias: fp16 is fed as fp16 and widened by a Cast; fp32 and bf16 (widened on the host) as fp32 */
  floatBias: { feed: 'float32' | 'float16'; shape: number[] } | null;
}

/** Graph input names, shared with feeds.ts. */
export const INPUT = {
  x1: 'x1', weightT: 'weight_t', weightTLow: 'weight_t_low', scale: 'scale', offset9: 'offset9', pertoken: 'pertoken',
  intBias: 'bias_i32', floatBias: 'bias_float',
} as const;
export const OUTPUT = 'y';

/** The stable cache key of a signature. */
export function signatureKey(sig: GraphSignature): string {
  return JSON.stringify(sig);
}

/** ONNX element type of the graph output per path (bf16 leaves the graph as fp32, see buildModel). */
export function outputElemType(path: PathId): ElemType {
  switch (path) {
    case 'int8-requant': return ElemType.INT8;
    case 'int32-acc': return ElemType.INT32;
    case 'bf16-vector': return ElemType.FLOAT;
    case 'fp16-fixpipe': case 'fp16-float-bias': case 'fp16-pertoken': return ElemType.FLOAT16;
    case 'group-dequant-bf16': case 'group-dequant-fp16':
      throw new RangeError(`onnxruntime: path ${path} is not modelled (such cases are skipped)`);
  }
}

/** Accumulates nodes; each step consumes the previous tensor and names its own output. */
class Chain {
  readonly nodes: onnx.INodeProto[] = [];
  readonly inputs: onnx.IValueInfoProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  last = '';

  input(name: string, type: ElemType, shape: readonly number[]): string {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  constant(name: string, type: typeof ElemType.UINT8 | typeof ElemType.FLOAT, value: number): string {
    this.initializers.push(scalarInitializer(name, type, value));
    return name;
  }

  op(opType: string, output: string, others: string[] = [], attrs: Record<string, number> = {}): string {
    this.nodes.push(node(opType, [this.last, ...others], output, attrs));
    this.last = output;
    return output;
  }
}

/** The exact int32 accumulator x1 @ weight^T, named `output`, per the A feed. */
function accumulatorStage(g: Chain, sig: GraphSignature, output: string): void {
  const unsigned = sig.aFeed !== 'int8';
  const x1 = g.input(INPUT.x1, unsigned ? ElemType.UINT8 : ElemType.INT8, sig.x1);
  const w = g.input(INPUT.weightT, ElemType.INT8, sig.weightT);
  const a = unsigned ? [x1, g.constant('a_zero_point', ElemType.UINT8, 128)] : [x1];
  if (sig.aFeed !== 'uint8-split') {
    g.nodes.push(node('MatMulInteger', [a[0]!, w, ...a.slice(1)], output));
  } else {
    const low = g.input(INPUT.weightTLow, ElemType.INT8, sig.weightT);
    g.nodes.push(node('MatMulInteger', [a[0]!, w, ...a.slice(1)], 'acc_high'));
    g.nodes.push(node('MatMulInteger', [a[0]!, low, ...a.slice(1)], 'acc_low'));
    g.nodes.push(node('Add', ['acc_high', 'acc_high'], 'acc_high2'));
    g.nodes.push(node('Add', ['acc_high2', 'acc_low'], output));
  }
  g.last = output;
}

/** The int8 output stage (docs/semantics.md §2.4, the int8 row): RNE, 9-bit clamp, + offset, saturate to int8, then the exact Cast. */
function requantStage(g: Chain, sig: GraphSignature): void {
  g.op('Round', 'rounded'); // half to even
  g.op('Clip', 'clamped9', [g.constant('lo9', ElemType.FLOAT, -256), g.constant('hi9', ElemType.FLOAT, 255)]);
  g.op('Add', 'with_offset', [g.input(INPUT.offset9, ElemType.FLOAT, [sig.paramLength!])]);
  g.op('Clip', 'saturated', [g.constant('lo8', ElemType.FLOAT, -128), g.constant('hi8', ElemType.FLOAT, 127)]);
  // Cast float -> int8 wraps out-of-range values; the Clip before it makes the cast exact
  g.op('Cast', OUTPUT, [], { to: ElemType.INT8 });
}

/** The serialized ONNX model of a signature. */
export function buildModel(sig: GraphSignature): Uint8Array {
  const g = new Chain();
  const intOnly = sig.path === 'int32-acc';
  const hasIntBias = sig.intBias !== null;
  accumulatorStage(g, sig, intOnly && !hasIntBias ? OUTPUT : 'acc');

  if (hasIntBias) {
    // in the integer domain, before dequant (SetBias into L0C)
    g.op('Add', intOnly ? OUTPUT : 'acc_bias', [g.input(INPUT.intBias, ElemType.INT32, sig.intBias!)]);
  }
  if (!intOnly) {
    g.op('Cast', 'acc_f32', [], { to: ElemType.FLOAT });
    g.op('Mul', 'scaled', [g.input(INPUT.scale, ElemType.FLOAT, [sig.paramLength!])]);
    if (sig.pertoken !== null) g.op('Mul', 'per_token', [g.input(INPUT.pertoken, ElemType.FLOAT, [sig.pertoken, 1])]);
    if (sig.floatBias !== null) {
      let bias = g.input(INPUT.floatBias, sig.floatBias.feed === 'float16' ? ElemType.FLOAT16 : ElemType.FLOAT,
        sig.floatBias.shape);
      if (sig.floatBias.feed === 'float16') {
        g.nodes.push(node('Cast', [bias], 'bias_f32', { to: ElemType.FLOAT })); // exact widening
        bias = 'bias_f32';
      }
      g.op('Add', 'biased', [bias]);
    }
    switch (sig.path) {
      case 'int8-requant':
        requantStage(g, sig);
        break;
      case 'bf16-vector':
        // a bf16 tensor cannot cross the Node boundary: round to bf16 (RNE) in the graph and widen back,
        // exactly; the host keeps the top 16 bits of the fp32 result
        g.op('Cast', 'rounded_bf16', [], { to: ElemType.BFLOAT16 });
        g.op('Cast', OUTPUT, [], { to: ElemType.FLOAT });
        break;
      default:
        g.op('Cast', OUTPUT, [], { to: ElemType.FLOAT16 }); // RNE, overflow to inf
    }
  }
  const outputs = [valueInfo(OUTPUT, outputElemType(sig.path), sig.out)];
  return encodeModel(`a8w8_${sig.path}`, g.nodes, g.inputs, outputs, g.initializers);
}

/** An fp32 MatMul of the same shape, for the float comparison of performance cases. */
export function buildFloatBaselineModel(x1: number[], weightT: number[], out: number[]): Uint8Array {
  const inputs = [valueInfo('a', ElemType.FLOAT, x1), valueInfo('b', ElemType.FLOAT, weightT)];
  return encodeModel('a8w8_fp32_baseline', [node('MatMul', ['a', 'b'], OUTPUT)], inputs,
    [valueInfo(OUTPUT, ElemType.FLOAT, out)], []);
}
