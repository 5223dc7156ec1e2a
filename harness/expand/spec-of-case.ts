import { ErrorCode, HarnessError } from '../errors';
import type { Spec } from '../spec/types';
import type { Case } from './case';

/**
 * The spec a case comes from, among the specs of a run: by the case's `spec` field. A recipe without
 * one (written before case ids carried a spec) can only be the run's one spec.
 */
export function specOfCase(specs: readonly Spec[], c: Pick<Case, 'id' | 'spec'>): Spec {
  const found = c.spec === undefined ? (specs.length === 1 ? specs[0] : undefined) : specs.find((s) => s.id === c.spec);
  if (!found) {
    throw new HarnessError(ErrorCode.UNKNOWN_NAME,
      `case ${c.id}: spec '${c.spec ?? '(none recorded)'}' is not among the loaded specs (${specs.map((s) => s.id).join(', ')}); name its file with --spec`);
  }
  return found;
}

/** The spec id a case id starts with: the segment before its first `/`. */
export function specIdOfCaseId(id: string): string {
  const at = id.indexOf('/');
  return at < 0 ? id : id.slice(0, at);
}

/** The spec a case id names, among those loaded: an unknown one is an error listing them. */
export function specOfCaseId(specs: readonly Spec[], id: string): Spec {
  const wanted = specIdOfCaseId(id);
  const found = specs.find((s) => s.id === wanted);
  if (!found) {
    throw new HarnessError(ErrorCode.UNKNOWN_NAME,
      `case ${id}: its spec '${wanted}' is not among the loaded specs (${specs.map((s) => `${s.id} from ${s.file}`).join(', ')}); name its file with --spec`);
  }
  return found;
}
