/**
 * `case.json`, the manifest of a saved case (a public interface, version 1): which `.npy` file holds
 * each tensor and how to read it, the case's whole recipe, what the judge expects of the call, the
 * reference's admissible answers and how they apply, and the outcome the harness recorded.
 */
import type { Dtype } from '../dtypes';
import type { Case } from '../expand/case';
import type { Outcome } from '../judge/outcome';
import type { CompareMode } from '../compare/types';
import type { AlternativeKind, PathId } from '../reference/types';
import type { NpyStorage } from './npy';

export const SAVED_CASE_FORMAT = 'a8w8-saved-case';
/** Version of case.json: a public interface (bump with a README note on change). */
export const SAVED_CASE_VERSION = 1;

/**
 * How a stored array maps to the logical tensor: `none`, or sub-byte values packed into a wider
 * integer (int4: 8 values per int32 along the last dim, as the kernel takes them). Nothing the harness
 * generates today is packed; the field is there so the format need not change when int4 cases come.
 */
export type Packing = { kind: 'none' } | { kind: 'int4'; perStorage: 8; storage: 'int32'; dim: -1 };

/** One tensor of a saved case. */
export interface SavedTensor {
  /** file name inside the case folder */
  file: string;
  /** the dtype the kernel sees (`int4` when packed) */
  dtype: Dtype | 'int4';
  /** the dtype the .npy file holds (bfloat16 as `uint16` bit patterns) */
  storage: NpyStorage;
  /** numpy's type string of the stored array, e.g. `<f2` */
  descr: string;
  /** the logical shape (for packed tensors the stored shape's last dim is divided by the packing) */
  shape: number[];
  packing: Packing;
  /** the device format the call puts the tensor in; the file is always row-major (C order) */
  layout: 'ND' | 'NZ';
}

/** An admissible answer besides the primary one. */
export interface SavedAlternative {
  kind: AlternativeKind;
  /**
   * `per-tensor`: one behaviour of the whole kernel (overflow mode, scale handling) — the output is held
   * against the primary answer or one such alternative as a whole; `per-element`: any element may match it.
   */
  applies: 'per-tensor' | 'per-element';
  tensor: SavedTensor;
}

/**
 * What a correct call does, as the judge reads the case: `raise` `must` (the doc rejects it), `may`
 * (a divergence of the shipped library allows either) or `never`; `values` `judged` (bit for bit
 * against the admissible answers) or `unjudged` (inputs outside the contract: only a crash counts).
 */
export interface SavedJudgement {
  raise: 'must' | 'may' | 'never';
  values: 'judged' | 'unjudged';
}

export interface SavedCaseManifest {
  format: typeof SAVED_CASE_FORMAT;
  version: typeof SAVED_CASE_VERSION;
  caseId: string;
  product: string;
  /** where the outcome came from; null when the case was rebuilt without running it (repro) */
  run: { backend: string; device: string; simulated: boolean } | null;
  outcome: Outcome | null;
  asExpected: boolean | null;
  replay: string | null;
  /** the whole recipe (as `list --json` gives it) */
  case: Case;
  judgement: SavedJudgement;
  inputs: {
    x1: SavedTensor;
    weight: SavedTensor;
    /** as the kernel reads it: for int64 scales the packed value */
    scale: SavedTensor;
    offset: SavedTensor | null;
    bias: SavedTensor | null;
    pertoken_scale: SavedTensor | null;
    /** int64 scales: the fp32 scale (and offset) to pack with npu_trans_quant_param, round mode from case.call.scaleBuild */
    scaleSource: { scale: SavedTensor; offset: SavedTensor | null } | null;
  };
  /** the kernel's output, when it produced one */
  output: SavedTensor | null;
  /** the reference's admissible answers; null where none is defined (a rejected case's broken shapes) */
  reference: {
    path: PathId;
    /** how the harness judges this path; the saved answers are for bit-exact comparison */
    compare: CompareMode;
    expected: SavedTensor;
    alternatives: SavedAlternative[];
  } | null;
  /** total bytes of the .npy files */
  bytes: number;
}

/** What the judge expects of the call (the same reading of the case as harness/judge/judge.ts). */
export function judgementOf(c: Case): SavedJudgement {
  const library = c.divergence?.library ?? null;
  if (c.tags.includes('undefined-input') && c.expect === 'accept') return { raise: 'may', values: 'unjudged' };
  if (c.expect === 'reject') return library === 'accept' ? { raise: 'may', values: 'judged' } : { raise: 'must', values: 'unjudged' };
  return { raise: library === 'reject' ? 'may' : 'never', values: 'judged' };
}

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkTensor(v: unknown, where: string, file: string): void {
  if (!isObject(v)) fail(file, `${where}: expected a tensor entry`);
  if (typeof v.file !== 'string' || !/^[\w.+-]+\.npy$/.test(v.file)) fail(file, `${where}.file: expected a plain .npy file name, got ${JSON.stringify(v.file)}`);
  if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) fail(file, `${where}.shape: expected non-negative integers`);
  if (typeof v.storage !== 'string' || typeof v.dtype !== 'string') fail(file, `${where}: dtype and storage must be strings`);
}

/**
 * Validates a parsed case.json enough to read its tensors safely (it is outside input): format,
 * version, and every tensor entry a plain file name inside the folder.
 */
export function checkManifest(v: unknown, file: string): SavedCaseManifest {
  if (!isObject(v)) fail(file, 'expected a JSON object');
  if (v.format !== SAVED_CASE_FORMAT) fail(file, `format: expected '${SAVED_CASE_FORMAT}', got ${JSON.stringify(v.format)}`);
  if (v.version !== SAVED_CASE_VERSION) fail(file, `version: expected ${SAVED_CASE_VERSION}, got ${JSON.stringify(v.version)}`);
  if (typeof v.caseId !== 'string' || !isObject(v.case) || !isObject(v.inputs)) fail(file, 'caseId, case and inputs are required');
  const inputs = v.inputs;
  for (const name of ['x1', 'weight', 'scale']) checkTensor(inputs[name], `inputs.${name}`, file);
  for (const name of ['offset', 'bias', 'pertoken_scale']) if (inputs[name] !== null) checkTensor(inputs[name], `inputs.${name}`, file);
  if (v.output !== null) checkTensor(v.output, 'output', file);
  if (v.reference !== null) {
    if (!isObject(v.reference) || !Array.isArray(v.reference.alternatives)) fail(file, 'reference: expected expected and alternatives');
    checkTensor(v.reference.expected, 'reference.expected', file);
    v.reference.alternatives.forEach((a, i) => {
      if (!isObject(a) || (a.applies !== 'per-tensor' && a.applies !== 'per-element')) fail(file, `reference.alternatives[${i}].applies: expected per-tensor or per-element`);
      checkTensor(a.tensor, `reference.alternatives[${i}].tensor`, file);
    });
  }
  return v as unknown as SavedCaseManifest;
}
