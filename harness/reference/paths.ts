/**
 * Which numeric path a case takes, and whether its fp32 scale is truncated to fp19 (docs/semantics.md
 * §2.2, §2.4; for old releases the rule is an admissible alternative, §5). Both are functions of the case's effective dtypes and the reference options.
 */
import type { CellValue, Column } from '../dtypes';
import type { PathId, ReferenceOptions } from './types';

/** The effective dtypes of a case (Case.dtypes): output_dtype is the effective one (int8 for None). */
export type CaseDtypes = { readonly [C in Column]: CellValue };

const FLOAT_BIASES: readonly CellValue[] = ['float16', 'bfloat16', 'float32'];

/** The path of a case, from its output dtype, pertoken_scale and bias dtype (types.ts PathId). */
export function selectPath(dtypes: CaseDtypes): PathId {
  // null output_dtype should not reach here, but None means the default int8 output
  const output = dtypes.output_dtype ?? 'int8';
  // an fp16 offset exists only on the A4W4 per-group row (docs/semantics.md 3.4); its inputs are checked later
  if (dtypes.offset === 'float16') {
    if (output === 'bfloat16') return 'group-dequant-bf16';
    if (output === 'float16') return 'group-dequant-fp16';
    throw new RangeError(`selectPath: the per-group path (float16 offset) outputs bfloat16 or float16, not ${output}`);
  }
  switch (output) {
    case 'int8': return 'int8-requant';
    case 'bfloat16': return 'bf16-vector';
    case 'int32': return 'int32-acc';
    case 'float16':
      if (dtypes.pertoken_scale !== null) return 'fp16-pertoken';
      return FLOAT_BIASES.includes(dtypes.bias) ? 'fp16-float-bias' : 'fp16-fixpipe';
    default:
      throw new RangeError(`selectPath: output_dtype ${output} is not an output of the op (int8, float16, bfloat16, int32)`);
  }
}

/** The path of a case, or null where no path takes its dtypes (module-guard probes, outside the op). */
export function pathOrNull(dtypes: CaseDtypes): PathId | null {
  try {
    return selectPath(dtypes);
  } catch {
    return null;
  }
}

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
  dtypes: CaseDtypes, options: Pick<ReferenceOptions, 'bf16ScaleTruncation'>,
): ScaleTruncation {
  const none: ScaleTruncation = { primary: false, alternative: null };
  if (dtypes.scale !== 'float32' || dtypes.pertoken_scale !== null) return none;
  switch (selectPath(dtypes)) {
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
