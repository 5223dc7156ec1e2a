import type { OutputDtype } from '../dtypes';
import type { Tensor } from '../data/tensor';
import type { Fp16Overflow } from '../spec/types';

/**
 * The numeric paths of the kernel (docs/semantics.md §2.4 for int8 inputs, §3 for the rest). The
 * reference picks one per case from the effective dtypes; every path has its own epilogue formula.
 * - int8-requant:   fixpipe REQ8: fp19 scale, 9-bit clamp, packed offset, saturation
 * - fp16-fixpipe:   fixpipe DEQF16: fp16_RNE(f32(acc + b_i32) * fp19(scale))
 * - fp16-float-bias: fp16 out, float bias, no pertoken: documented, rejected by the library (§2.10);
 *                   judged as fp16_RNE(f32(acc)*fp19(scale) + f32(bias)) if a kernel accepts it
 * - bf16-vector:    AscendDequant: untruncated scale, [*pt], [+float bias], bf16 RNE
 * - fp16-pertoken:  (f32(acc + b_i32)*scale)*pt [+ float bias], fp16 RNE
 * - int32-acc:      acc + b_i32 (op only; the module rejects int32 output); the scale is
 *                   required but not applied, pertoken and offset are absent (docs/semantics.md 3.2)
 * - group-dequant-bf16 / group-dequant-fp16: A4W4 per-group asymmetric (docs/semantics.md 3.4), int4
 *                   inputs, (groups, n) fp32 scale and fp16 zero point, (m, 1) pertoken; each k-group
 *                   dequantized and summed in fp32 (twin/group-dequant.ts). The TypeScript twin is the
 *                   only implementation: the reference runs it whichever implementation is chosen.
 * int4 inputs (int32 x1/weight, data/tensor.ts Int4Packing) take the same paths as int8 inputs: the
 * values are unpacked exactly and the accumulator is the same exact integer sum.
 */
export type { PathId } from '../numerics';
import type { PathId } from '../numerics';

/** The paths whose epilogue needs per-group accumulators (not an EpilogueArgs epilogue). */
export const GROUP_PATHS: readonly PathId[] = ['group-dequant-bf16', 'group-dequant-fp16'];

/**
 * Alternatives the reference returns where the behaviour is unsettled (docs/semantics.md §5). An element of
 * the kernel's output is admissible if it equals the primary value or the same element of any alternative.
 * - pertoken-fused-order: docs/semantics.md §2.7, f32(acc) * (pt[m]*scale[n]) instead of (f32(acc)*scale[n])*pt[m]
 * - fp16-overflow-inf / fp16-overflow-saturate: docs/semantics.md §2.9, the other overflow behaviour than the primary
 * - int8-tie-other: docs/semantics.md §2.8, the other neighbour of an exact .5 requant tie
 * - int8-no-9bit-clamp: docs/semantics.md §2.5, the offset added without the golden's 9-bit intermediate clamp
 * - scale-truncated / scale-untruncated: docs/semantics.md §2.2, the module's scale conversion in another torch_npu version
 */
export type AlternativeKind =
  | 'pertoken-fused-order' | 'fp16-overflow-inf' | 'fp16-overflow-saturate' | 'int8-tie-other'
  | 'int8-no-9bit-clamp' | 'scale-truncated' | 'scale-untruncated';

/** How fp16 overflow behaves (defined in the spec stage, which reads it from a product's facts). */
export type { Fp16Overflow };

/** Options that select among admissible behaviours (product facts and pins). */
export interface ReferenceOptions {
  /** fp16 overflow on this product and path (the primary answer is `inf` for `either`) */
  fp16Overflow: Fp16Overflow;
  /**
   * Whether the module converts an fp32 scale with npu_trans_quant_param (fp19 truncation) on bf16 output:
   * false at torch_npu HEAD, true in 6.0.rc1/rc2 (docs/semantics.md §2.2); 'either' when the version is unknown.
   * (int8/fp16 output without pertoken always truncate; pertoken paths never do.)
   */
  bf16ScaleTruncation: boolean | 'either';
  /** the op-level caller's int64 scale is used as given (decoded); fp32 scales go through the module rule */
  threads?: number;
}

/** The reference's answer for one case. */
export interface ReferenceOutput {
  path: PathId;
  /** output shape: broadcast batch + (m, n) */
  shape: number[];
  /** the primary answer (HEAD torch_npu, the golden's rounding); fp16/bf16 as bit patterns */
  expected: Tensor;
  /** admissible alternatives, each full length, only those that differ from `expected` somewhere */
  alternatives: { kind: AlternativeKind; values: Tensor }[];
  /** per element, the double-precision ideal with the path's effective parameters */
  ideal: Float64Array;
  /** the exact int32 accumulator plus int32 bias, for diagnostics */
  acc: Int32Array;
  /** max relative gap between the caller's fp32 scale and the effective (fp19) one; 0 where none */
  scaleGap: number;
}

/** The reference's output dtype for a path. */
export function outputDtypeOf(path: PathId): OutputDtype {
  switch (path) {
    case 'int8-requant': return 'int8';
    case 'fp16-fixpipe': case 'fp16-float-bias': case 'fp16-pertoken': case 'group-dequant-fp16': return 'float16';
    case 'bf16-vector': case 'group-dequant-bf16': return 'bfloat16';
    case 'int32-acc': return 'int32';
  }
}

/** The typed array a path's output is held in: int8 values, fp16 / bf16 bit patterns, int32 values. */
export function outputArrayOf(path: PathId): typeof Int8Array | typeof Uint16Array | typeof Int32Array {
  const dtype = outputDtypeOf(path);
  return dtype === 'int8' ? Int8Array : dtype === 'int32' ? Int32Array : Uint16Array;
}
