import type { PathId } from './types';

/** A scale as the kernel receives it. bf16 as bit patterns; int64 as the packed quant parameter. */
export type ScaleArg =
  | { dtype: 'float32'; data: Float32Array }
  | { dtype: 'bfloat16'; data: Uint16Array }
  | { dtype: 'int64'; data: BigInt64Array };

/** A bias, shape (n) or (batch, 1, n); fp16/bf16 as bit patterns. */
export type BiasArg =
  | { dtype: 'int32'; data: Int32Array; shape: number[] }
  | { dtype: 'float32'; data: Float32Array; shape: number[] }
  | { dtype: 'float16' | 'bfloat16'; data: Uint16Array; shape: number[] };

/**
 * One admissible behaviour of the epilogue. The reference runs the epilogue once per variant it needs
 * (primary, then each alternative of section 9) and keeps the ones that differ.
 */
export interface EpilogueVariant {
  /** fp32 scale truncated to fp19 (bits & 0xFFFFE000) before use; int64 scales are always decoded */
  scaleFp19: boolean;
  /** docs/semantics.md §2.7: `sequential` = (f32(acc)*scale)*pt; `fused` = f32(acc)*(pt*scale) */
  pertokenOrder: 'sequential' | 'fused';
  /** docs/semantics.md §2.9: fp16 results with |x| >= 65520 become +-inf or +-65504 */
  fp16Overflow: 'inf' | 'saturate';
  /** docs/semantics.md §2.8: exact .5 ties of the int8 requant rounded half to even, or half to odd (the other neighbour) */
  int8Tie: 'even' | 'odd';
  /** docs/semantics.md §2.5: clamp RNE(acc*scale) to [-256, 255] before adding the 9-bit offset (the golden does) */
  int8Clamp9: boolean;
}

/** Everything the epilogue needs for one case. Shapes are validated by the caller (reference.ts). */
export interface EpilogueArgs {
  path: PathId;
  /** raw int32 accumulator, shape outShape = batch + (m, n), no bias added */
  acc: Int32Array;
  outShape: number[];
  /** length 1 or n */
  scale: ScaleArg;
  /** length 1 or n; used by int8-requant only (other paths reject an offset) */
  offset: Float32Array | null;
  bias: BiasArg | null;
  /** length m */
  pertoken: Float32Array | null;
  variant: EpilogueVariant;
}

/**
 * The reference's primitive operations. Two implementations must agree bit for bit: the native addon
 * (fast) and the TypeScript twin (slow, short, obviously right). Differential tests hold them together.
 */
export interface ReferenceImpl {
  readonly name: 'native' | 'twin';
  /**
   * Exact int8 x int8 -> int32 matmul in the module's layout: x1 (..., m, k), weight (..., n, k),
   * batch dims broadcast numpy-style, 2-6 dims each. Returns batch + (m, n), row-major.
   *
   * Each of gemm, epilogue and ideal writes its answer into `out` where one is given (of the answer's
   * type and length, sharing no memory with an input; every element is written, whatever it held) and
   * returns it; otherwise into a new array.
   */
  gemm(x1: Int8Array, x1Shape: number[], weight: Int8Array, weightShape: number[], threads?: number, out?: Int32Array): Int32Array;
  /** One epilogue variant: int8 -> Int8Array, fp16/bf16 -> Uint16Array bit patterns, int32 -> Int32Array. */
  epilogue(args: EpilogueArgs, out?: Int8Array | Uint16Array | Int32Array): Int8Array | Uint16Array | Int32Array;
  /**
   * Per element, the double-precision value of the path's formula with its effective parameters
   * (fp19 scale where the variant truncates, packed 9-bit offset), before output rounding and saturation.
   */
  ideal(args: EpilogueArgs, out?: Float64Array): Float64Array;
  /** npu_trans_quant_param on the device (V2/V3): round_mode 0 masks, 1 rounds to nearest even; offset RNE */
  transQuantParam(scale: Float32Array, offset: Float32Array | null, roundMode: 0 | 1): BigInt64Array;
  /** aclnnTransQuantParam host-array variant: no mask, offset rounded half away from zero */
  transQuantParamHost(scale: Float32Array, offset: Float32Array | null): BigInt64Array;
  /** fp32 -> fp16 bits, round to nearest even, subnormals kept, overflow to inf */
  f32ToF16(x: Float32Array): Uint16Array;
  /** fp32 -> bf16 bits, round to nearest even, subnormals kept (never the denormal-flushing instruction) */
  f32ToBf16(x: Float32Array): Uint16Array;
}
