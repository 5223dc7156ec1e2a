/**
 * Whether a case's fp32 scale is truncated to fp19 (docs/semantics.md §2.2; for old releases the rule is
 * an admissible alternative, §5): a function of the case's dtypes, its numeric path (which the spec's
 * `numerics` names) and the reference options.
 */
import type { CellValue, Column } from '../dtypes';
import type { PathId, ReferenceOptions } from './types';

/** The effective dtypes of a case (Case.dtypes): output_dtype is the effective one (int8 for None). */
export type CaseDtypes = { readonly [C in Column]: CellValue };

/** Whether an fp32 scale is truncated to fp19: the primary answer, and the other admissible one if any. */
export interface ScaleTruncation {
  /** truncate in the primary answer (HEAD torch_npu) */
  primary: boolean;
  /** the other version's answer when it is admissible too (bf16 with an unknown torch_npu version), else null */
  alternative: boolean | null;
}

/**
 * torch_npu converts an fp32 scale with npu_trans_quant_param (fp19 truncation) when there is no
 * pertoken_scale and the output is int8 or fp16 (the bias is not looked at, so the float-bias fp16 row
 * too); for bf16 output only in 6.0.rc1/rc2 (docs/semantics.md §2.2), as `options.bf16ScaleTruncation` says; never with
 * pertoken and never for int32 output. int64 scales are always decoded (masked) and bf16 scales are
 * exact, so for them the question does not arise: both answers are false.
 */
export function scaleTruncation(
  dtypes: CaseDtypes, path: PathId, options: Pick<ReferenceOptions, 'bf16ScaleTruncation'>,
): ScaleTruncation {
  const none: ScaleTruncation = { primary: false, alternative: null };
  if (dtypes.scale !== 'float32' || dtypes.pertoken_scale !== null) return none;
  switch (path) {
    case 'int8-requant': case 'fp16-fixpipe': case 'fp16-float-bias':
      return { primary: true, alternative: null };
    case 'bf16-vector': {
      const setting = options.bf16ScaleTruncation;
      return setting === 'either' ? { primary: false, alternative: true } : { primary: setting, alternative: null };
    }
    case 'fp16-pertoken': case 'int32-acc': case 'group-dequant-bf16': case 'group-dequant-fp16':
      return none;
  }
}
