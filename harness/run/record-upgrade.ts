import { LEGACY_SPEC_ID } from '../spec/load';

const LEGACY_MODULE = 'torch_npu.contrib.module.LinearA8W8Quant';
const LEGACY_OP = 'torch_npu.npu_quant_matmul';

/** The results.jsonl version written before case ids carried their spec. */
export const LEGACY_RESULTS_VERSION = 1;

/**
 * Reads a version 1 record as the version 2 record it stands for: version 1 knew one spec, so its cases
 * are that spec's, and their ids gain the spec prefix every version 2 id has. Old and new runs then
 * diff, merge and report side by side. Any other record is returned as it is.
 */
export function upgradeRecord(r: object): object {
  const o = r as Record<string, unknown>;
  if (o.version !== LEGACY_RESULTS_VERSION) return r;
  const prefixed = (id: unknown): unknown => (typeof id === 'string' && !id.startsWith(`${LEGACY_SPEC_ID}/`) ? `${LEGACY_SPEC_ID}/${id}` : id);
  // version 1 cases were LinearA8W8Quant's: int8 operands (nothing packed), the path the record names,
  // the module or the op by the case's target, no group_sizes
  const old = o.case !== null && typeof o.case === 'object' && !Array.isArray(o.case) ? o.case as Record<string, unknown> : null;
  const call = old?.call !== null && typeof old?.call === 'object' ? old.call as Record<string, unknown> : null;
  const c = old
    ? {
      ...old, id: prefixed(old.id), spec: LEGACY_SPEC_ID, path: old.path ?? o.path ?? null, packing: old.packing ?? {},
      ...(call ? { call: { ...call, callee: call.callee ?? (call.target === 'op' ? LEGACY_OP : LEGACY_MODULE), groupSizes: call.groupSizes ?? null } } : {}),
    }
    : o.case;
  return { ...o, version: 2, spec: LEGACY_SPEC_ID, caseId: prefixed(o.caseId), case: c };
}
