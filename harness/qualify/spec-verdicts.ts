import type { ResultRecord } from '../run/record';
import { computeVerdict, type Disqualifier, type OccurredDivergence, type VerdictCounts, type VerdictInput, type VerdictKind } from './verdict';

/**
 * The verdict of each spec of a bundle of several: the specs are separate contracts, so a release
 * engineer reads each one's standing, not only the bundle's. Each is computed as the overall verdict is
 * (harness/qualify/verdict.ts), over the spec's own required cases and records, so verify-bundle can
 * recompute every one of them.
 */

/** The bundled copy of a spec: `specs/<id>.yml` (spec ids are file-name safe: they start case ids). */
export function bundledSpecPath(id: string): string {
  return `specs/${id}.yml`;
}

/** One spec's part of verdict.json. */
export interface SpecVerdict {
  /** the spec id, which its case ids start with */
  id: string;
  /** its bundled copy, relative to the bundle */
  file: string;
  /** sha256 of the spec file, as run.json records it */
  hash: string;
  verdict: VerdictKind;
  label: string;
  partial: boolean;
  counts: VerdictCounts;
  disqualifying: Disqualifier[];
  graphNotRun: Disqualifier[];
  divergences: OccurredDivergence[];
}

/** Whether a case id belongs to a spec: ids start with `<spec>/`. */
export function ofSpec(id: string, spec: string): boolean {
  return id.startsWith(`${spec}/`);
}

/**
 * Each spec's verdict over its own required lists and records (a record belongs to the spec its id
 * starts with: the id is what the required lists hold, and a record claiming another spec is then
 * judged where its id puts it). Records of no spec are the overall verdict's to disqualify.
 */
export function specVerdicts(input: VerdictInput, specs: readonly { id: string; hash: string }[]): SpecVerdict[] {
  return specs.map(({ id, hash }) => {
    const records = input.records.filter((r: ResultRecord) => typeof r.caseId === 'string' && ofSpec(r.caseId, id));
    const v = computeVerdict({
      ...input, records, required: input.required.filter((c) => ofSpec(c, id)), notRequired: input.notRequired.filter((c) => ofSpec(c, id)),
    });
    return {
      id, file: bundledSpecPath(id), hash, verdict: v.verdict, label: v.label, partial: v.partial, counts: v.counts,
      disqualifying: v.disqualifying, graphNotRun: v.graphNotRun, divergences: v.divergences,
    };
  });
}
