import type { OutcomeStatus } from '../judge/outcome';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import { compareEnvironments, type EnvDifference } from './merge';
import { isUnexpected, recordReason } from './outcome-text';
import { comparePerf, type NoiseModel, type PerfComparison } from './perf-compare';

/**
 * What changed between two runs, a pure function: new unexpected outcomes, fixed
 * cases, other outcome changes, cases added or removed, and performance moves beyond noise.
 */

/** One case whose outcome differs between the runs (or that only the new run has). */
export interface OutcomeChange {
  caseId: string;
  product: string;
  /** null: the old run does not have the case */
  from: OutcomeStatus | null;
  to: OutcomeStatus;
  fromUnexpected: boolean;
  toUnexpected: boolean;
  /** the new run's reason */
  reason: string;
  replay: string;
}

/** What `diffRuns` returns. */
export interface RunDiff {
  /** unexpected in the new run, and not in the old one (new cases included): these fail `a8w8 diff` */
  newUnexpected: OutcomeChange[];
  /** unexpected in the old run, as expected in the new one */
  fixed: OutcomeChange[];
  /** other status changes (e.g. pass -> divergence, or one unexpected status to another) */
  changed: OutcomeChange[];
  /** unexpected in both, with the same status */
  stillUnexpected: number;
  added: string[];
  removed: string[];
  perf: PerfComparison;
  envDifferences: EnvDifference[];
}

/** A run to compare: records, run.json, and the name it was given. */
export interface DiffSide {
  name: string;
  records: ResultRecord[];
  env: RunEnvironment | null;
}

/** Compares `a` (old) with `b` (new), matching cases by id. */
export function diffRuns(a: DiffSide, b: DiffSide, noise: NoiseModel = 'ci95'): RunDiff {
  const old = new Map(a.records.map((r) => [r.caseId, r]));
  const now = new Set(b.records.map((r) => r.caseId));
  const out: RunDiff = {
    newUnexpected: [], fixed: [], changed: [], stillUnexpected: 0,
    added: b.records.filter((r) => !old.has(r.caseId)).map((r) => r.caseId),
    removed: a.records.filter((r) => !now.has(r.caseId)).map((r) => r.caseId),
    perf: comparePerf(b.records, a.records, { noise, current: b.env, baseline: a.env }),
    envDifferences: compareEnvironments([a, b]),
  };
  for (const r of b.records) {
    const before = old.get(r.caseId) ?? null;
    const change: OutcomeChange = {
      caseId: r.caseId, product: r.product, from: before?.outcome.status ?? null, to: r.outcome.status,
      fromUnexpected: before !== null && isUnexpected(before), toUnexpected: isUnexpected(r), reason: recordReason(r), replay: r.replay,
    };
    if (change.toUnexpected && !change.fromUnexpected) out.newUnexpected.push(change);
    else if (change.fromUnexpected && !change.toUnexpected) out.fixed.push(change);
    else if (before && change.from !== change.to) out.changed.push(change);
    else if (change.toUnexpected) out.stillUnexpected += 1;
  }
  return out;
}
