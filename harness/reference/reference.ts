/**
 * The reference's answer for one case: the primary value (HEAD torch_npu, the
 * golden's rounding), every admissible alternative of section 9 that differs from it somewhere, the
 * double-precision ideal, and the gap between the caller's scale and the one the kernel uses.
 */
import { numel, sameElements, type CaseInputs, type Tensor } from '../data/tensor';
import type { CaseShapes } from '../expand/case';
import { checkCaseInputs, type CheckedSizes } from './check-inputs';
import type { BiasArg, EpilogueArgs, EpilogueVariant, ReferenceImpl, ScaleArg } from './impl';
import { unpackedTensor } from './int4';
import { scaleTruncation, type CaseDtypes } from './paths';
import { truncateFp19 } from './twin/fp32';
import { groupDequant, groupDequantIdeal, type GroupDequantArgs } from './twin/group-dequant';
import type { ArraySource } from './pool';
import { outputArrayOf, outputDtypeOf, type AlternativeKind, type PathId, type ReferenceOptions, type ReferenceOutput } from './types';

/** What computeReference needs of a case. */
export interface ReferenceCase {
  dtypes: CaseDtypes;
  shapes: CaseShapes;
  /**
   * The op's group_sizes [group_m, group_n, group_k] (docs/semantics.md 3.4), read only on the per-group
   * path; absent or null there means group_k = k / (the scale's first dim).
   */
  groupSizes?: readonly number[] | null;
  /** the numeric path the case's spec names for its dtypes (null: none, and the reference refuses it) */
  path: PathId | null;
}

/** The scale tensor as the epilogue takes it (dtype checked before). */
function scaleArg(t: Tensor): ScaleArg {
  if (t.dtype === 'int64') return { dtype: 'int64', data: t.data as BigInt64Array };
  if (t.dtype === 'bfloat16') return { dtype: 'bfloat16', data: t.data as Uint16Array };
  return { dtype: 'float32', data: t.data as Float32Array };
}

/** The bias tensor as the epilogue takes it (dtype checked before). */
function biasArg(t: Tensor | null): BiasArg | null {
  if (t === null) return null;
  if (t.dtype === 'int32') return { dtype: 'int32', data: t.data as Int32Array, shape: t.shape };
  if (t.dtype === 'float32') return { dtype: 'float32', data: t.data as Float32Array, shape: t.shape };
  return { dtype: t.dtype as 'float16' | 'bfloat16', data: t.data as Uint16Array, shape: t.shape };
}

/** The alternatives section 9 admits on this path, each as the one change it makes to the primary. */
function candidateAlternatives(
  path: PathId, hasPertoken: boolean, options: ReferenceOptions, altTruncation: boolean | null,
): { kind: AlternativeKind; change: Partial<EpilogueVariant> }[] {
  const out: { kind: AlternativeKind; change: Partial<EpilogueVariant> }[] = [];
  if (hasPertoken && (path === 'fp16-pertoken' || path === 'bf16-vector')) {
    out.push({ kind: 'pertoken-fused-order', change: { pertokenOrder: 'fused' } });
  }
  const fp16 = path === 'fp16-fixpipe' || path === 'fp16-float-bias' || path === 'fp16-pertoken';
  if (fp16 && options.fp16Overflow === 'either') {
    out.push({ kind: 'fp16-overflow-saturate', change: { fp16Overflow: 'saturate' } });
  }
  if (path === 'int8-requant') {
    out.push({ kind: 'int8-tie-other', change: { int8Tie: 'odd' } });
    out.push({ kind: 'int8-no-9bit-clamp', change: { int8Clamp9: false } });
  }
  if (altTruncation !== null) {
    out.push({ kind: altTruncation ? 'scale-truncated' : 'scale-untruncated', change: { scaleFp19: altTruncation } });
  }
  return out;
}

/** Max relative gap |s - fp19(s)| / |s| over the caller's fp32 scale where the path truncates; 0 elsewhere. */
function scaleGapOf(scale: Tensor, truncated: boolean): number {
  if (scale.dtype !== 'float32' || !truncated) return 0;
  let gap = 0;
  for (const s of scale.data as Float32Array) {
    if (s !== 0 && Number.isFinite(s)) gap = Math.max(gap, Math.abs(s - truncateFp19(s)) / Math.abs(s));
  }
  return gap;
}

/**
 * Computes the reference output of one case with the given implementation (native or twin). With
 * `arrays`, its large arrays (the product, each variant's output, the ideal) are taken from there rather
 * than allocated (see ./pool): the output is then the taker's, valid until it gives them back. A
 * variant's output that equals the primary answer is given back at once.
 */
export function computeReference(
  c: ReferenceCase, inputs: CaseInputs, options: ReferenceOptions, impl: ReferenceImpl, arrays?: ArraySource,
): ReferenceOutput {
  const take = arrays?.take;
  const sizes = checkCaseInputs(c, inputs);
  const { outShape } = sizes;
  const count = numel(outShape);
  const path = c.path!;
  // int4 operands are unpacked exactly to int8 here; from then on they are ordinary int8 operands
  const x1 = unpackedTensor(inputs.x1).data as Int8Array;
  const weight = unpackedTensor(inputs.weight).data as Int8Array;
  const acc = impl.gemm(x1, sizes.x1Shape, weight, sizes.weightShape, options.threads, take?.(Int32Array, count));
  if (sizes.groupK !== null) return groupReference(path, sizes, x1, weight, acc, inputs, options);

  const truncation = scaleTruncation(c.dtypes, path, options);
  const primary: EpilogueVariant = {
    scaleFp19: truncation.primary,
    pertokenOrder: 'sequential',
    fp16Overflow: options.fp16Overflow === 'saturate' ? 'saturate' : 'inf',
    int8Tie: 'even',
    int8Clamp9: true,
  };
  const args: EpilogueArgs = {
    path, acc, outShape,
    scale: scaleArg(inputs.scale),
    offset: inputs.offset === null ? null : inputs.offset.data as Float32Array,
    bias: biasArg(inputs.bias),
    pertoken: inputs.pertoken_scale === null ? null : inputs.pertoken_scale.data as Float32Array,
    variant: primary,
  };
  const outType = outputArrayOf(path);
  const output = (): Int8Array | Uint16Array | Int32Array | undefined => take?.<Int8Array | Uint16Array | Int32Array>(outType, count);
  const expected = impl.epilogue(args, output());
  const dtype = outputDtypeOf(path);

  const alternatives: ReferenceOutput['alternatives'] = [];
  for (const { kind, change } of candidateAlternatives(path, args.pertoken !== null, options, truncation.alternative)) {
    const values = impl.epilogue({ ...args, variant: { ...primary, ...change } }, output());
    // fp16/bf16 compare as bit patterns: a NaN equals the same NaN
    if (!sameElements(values, expected)) alternatives.push({ kind, values: { dtype, shape: outShape, data: values } });
    else arrays?.give(values);
  }

  // acc + int32 bias, computed by the implementation itself so that the diagnostic matches its epilogue
  const accWithBias = args.bias?.dtype === 'int32'
    ? impl.epilogue({ ...args, path: 'int32-acc' }, take?.(Int32Array, count)) as Int32Array
    : acc;
  return {
    path,
    shape: outShape,
    expected: { dtype, shape: outShape, data: expected },
    alternatives,
    ideal: impl.ideal(args, take?.(Float64Array, count)),
    acc: accWithBias,
    scaleGap: scaleGapOf(inputs.scale, truncation.primary),
  };
}

/**
 * The per-group path (docs/semantics.md 3.4). Only the TypeScript twin implements it (its epilogue needs
 * per-group sums, not the whole accumulator), so it runs here whichever implementation computed `acc`;
 * `acc` is kept as the diagnostic accumulator. fp16 output admits the other overflow behaviour as the
 * vector paths do (section 2.9).
 */
function groupReference(
  path: PathId, sizes: CheckedSizes, x1: Int8Array, weight: Int8Array, acc: Int32Array, inputs: CaseInputs,
  options: ReferenceOptions,
): ReferenceOutput {
  const dtype = outputDtypeOf(path) as 'bfloat16' | 'float16';
  const args: GroupDequantArgs = {
    x1, weight, m: sizes.m, n: sizes.n, k: sizes.k, groupK: sizes.groupK!,
    scale: inputs.scale.data as Float32Array,
    offset: inputs.offset!.data as Uint16Array,
    pertoken: inputs.pertoken_scale!.data as Float32Array,
    output: dtype,
    fp16Overflow: options.fp16Overflow === 'saturate' ? 'saturate' : 'inf',
  };
  const expected = groupDequant(args);
  const alternatives: ReferenceOutput['alternatives'] = [];
  if (dtype === 'float16' && options.fp16Overflow === 'either') {
    const values = groupDequant({ ...args, fp16Overflow: 'saturate' });
    if (!sameElements(values, expected)) alternatives.push({ kind: 'fp16-overflow-saturate', values: { dtype, shape: sizes.outShape, data: values } });
  }
  return {
    path,
    shape: sizes.outShape,
    expected: { dtype, shape: sizes.outShape, data: expected },
    alternatives,
    ideal: groupDequantIdeal(args),
    acc,
    scaleGap: 0,
  };
}
