import type { DtypeCombo } from '../dtypes';
import { hashSeed } from '../seed';
import type { Spec } from '../spec/types';
import type { Case, CaseCall, CaseShapes, RejectedBy, SourcePos } from './case';
import { judgeCall } from '../spec/oracle';
import { pathOf } from '../spec/numerics';
import { isPathId, type PathId } from '../numerics';
import { STRIDED_INPUTS } from './edges/contiguous';
import { scaleBuildOf } from './scale-build';
import { bytesOf } from './shapes';

/** Large: a limit-sized dim or over 16 MiB of tensors (tagged with their byte size in `bytes`). */
const LARGE_BYTES = 16 * 1024 * 1024;

/** Where a rule-edge case sits relative to its rule. */
export interface RuleEdgeRef {
  rule: string;
  side: 'inside' | 'outside';
  dim?: 'm' | 'k' | 'n';
}

/** Everything that defines a case before its id and seed are derived. */
export interface CaseDraft {
  product: string;
  /** the id's middle part: row or rule or guard, combination, shape class (without product and suffixes) */
  path: string;
  expect: 'accept' | 'reject';
  rejectedBy: RejectedBy | null;
  combo: DtypeCombo;
  shapes: CaseShapes;
  shapeClass: string;
  distribution: string;
  source: SourcePos;
  rows: string[];
  rules: string[];
  tags: string[];
  edge: RuleEdgeRef | null;
  /** group_sizes the case passes (shape classes of the per-group row) */
  groupSizes?: number[];
  variant?: Partial<Pick<CaseCall, 'target' | 'weightFormat' | 'mode' | 'strided' | 'scaleBuild'>> & { repeat?: number };
}

/**
 * The contract oracle's verdict must be the one the draft was built for: a draft meant to break one rule
 * that breaks another, or none, is a bug of the expansion, not a case. Returns the divergence that applies.
 */
function verdictOf(spec: Spec, draft: CaseDraft): Case['divergence'] {
  const v = judgeCall(spec, {
    product: draft.product, dtypes: draft.combo, shapes: draft.shapes, target: draft.variant?.target ?? spec.target,
    ...(draft.variant?.strided ? { strided: STRIDED_INPUTS } : {}),
  });
  const first = v.rejections[0];
  const by = first ? `${first.kind}:${first.rule}` : null;
  const meant = draft.rejectedBy ? `${draft.rejectedBy.kind}:${draft.rejectedBy.rule}` : null;
  if (v.expect !== draft.expect || by !== meant) {
    throw new Error(`expansion: case ${spec.id}/${draft.product}/${draft.path} was built to be ${meant ?? 'accepted'}, but the contract says ${by ?? 'accept'}`
      + (v.rejections.length ? ` (${v.rejections.map((r) => `${r.rule}: ${r.detail}`).join('; ')})` : ''));
  }
  if (!v.divergence) return null;
  const d = spec.divergences.find((x) => x.id === v.divergence!.id)!;
  const everyVersion = d.versions.torch_npu === 'all' && d.versions.cann === 'all';
  return {
    id: d.id, library: d.library, condition: d.condition, source: d.source, ...(everyVersion ? {} : { versions: d.versions }),
  };
}

/** The spec's numeric path for a combination, as a registry id (lint has checked the names). */
function pathIdOf(spec: Spec, combo: CaseDraft['combo']): PathId | null {
  const p = pathOf(spec, combo);
  return p !== null && isPathId(p) ? p : null;
}

/** The inputs of a combination that the spec declares packed in the dtype they have. */
function packingOf(spec: Spec, combo: CaseDraft['combo']): Case['packing'] {
  const out: Case['packing'] = {};
  for (const role of ['x1', 'weight'] as const) {
    const p = spec.inputs.find((i) => i.role === role)?.packed.find((x) => x.dtype === combo[role]);
    if (p) out[role] = p;
  }
  return out;
}

/** Turns a draft into a Case: id from content only, seed from (run seed, id), divergence, tags. */
export function buildCase(spec: Spec, draft: CaseDraft, runSeed: number): Case {
  const v = draft.variant ?? {};
  const target = v.target ?? spec.target;
  const suffix = [
    target !== spec.target ? `@${target}` : '', v.weightFormat === 'NZ' ? '@nz' : '', v.mode === 'graph' ? '@graph' : '',
    v.strided ? '@strided' : '', v.scaleBuild?.roundMode === 1 ? '@rm1' : '', v.repeat ? `@repeat${v.repeat}` : '',
  ].join('');
  const local = `${draft.product}/${draft.path}/${draft.distribution}${suffix}`;
  // the spec comes first: several specs share product ids and table row names, never a case id
  const stem = `${spec.id}/${local}`;
  // int8 output is passed as None or as torch.int8, alternating by content so both spellings run; by
  // the content within the spec, so a spec's cases spell it the same whatever the spec is called
  const spelling = draft.combo.output_dtype === 'int8' ? ((hashSeed(0, local) & 1) === 0 ? 'none' : 'int8') : null;
  const id = spelling === null ? stem : `${stem}+${spelling}`;
  const k = draft.shapes.x1[draft.shapes.x1.length - 1] ?? 0;
  const n = draft.shapes.weight[draft.shapes.weight.length - 2] ?? 0;
  const call: CaseCall = {
    target, callee: target === 'module' ? spec.module ?? spec.op : spec.op, groupSizes: draft.groupSizes ?? null, in_features: k, out_features: n,
    bias: draft.combo.bias !== null, offset: draft.combo.offset !== null, pertoken_scale: draft.combo.pertoken_scale !== null,
    output_dtype: spelling === 'none' ? null : (draft.combo.output_dtype as CaseCall['output_dtype']),
    weightFormat: v.weightFormat ?? 'ND', mode: v.mode ?? 'eager', strided: v.strided ?? false,
    ...(draft.combo.scale === 'int64'
      ? { scaleBuild: v.scaleBuild ?? scaleBuildOf(draft.combo.offset !== null) }
      : {}),
  };
  const bytes = bytesOf(draft.combo, draft.shapes);
  const dims = [...draft.shapes.x1, ...draft.shapes.weight];
  const divergence = verdictOf(spec, draft);
  const tags = new Set(draft.tags);
  if (bytes >= LARGE_BYTES || dims.some((d) => d >= 65535)) tags.add('large');
  if (v.target === 'op' && spec.target !== 'op') tags.add('op');
  if (v.weightFormat === 'NZ') tags.add('nz');
  if (v.mode === 'graph') tags.add('graph');
  if (v.strided) tags.add('strides');
  if (v.repeat) tags.add('repeat');
  if (divergence) tags.add('divergence');
  tags.add(draft.expect === 'accept' ? 'accept' : 'reject');
  return {
    id, spec: spec.id, path: pathIdOf(spec, draft.combo), packing: packingOf(spec, draft.combo), product: draft.product, expect: draft.expect, rejectedBy: draft.rejectedBy, divergence,
    dtypes: { ...draft.combo }, shapes: draft.shapes, call, shapeClass: draft.shapeClass,
    distribution: draft.distribution, seed: hashSeed(runSeed, id), tags: [...tags].sort(), source: draft.source,
    rows: draft.rows, rules: draft.rules, bytes, repeat: v.repeat ?? 1,
  };
}
