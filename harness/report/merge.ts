import type { DeviceInfo } from '../backends/types';
import type { OutcomeStatus } from '../judge/outcome';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';

/**
 * Joining shards into one result set (issue 5 item 5): a pure function. A case recorded in more than
 * one shard with the same outcome status is a duplicate (reported, the first kept); with different
 * statuses a conflict (reported, the first kept, and the merge fails). Within one shard a case is
 * recorded once: loadResultSet (harness/report/load.ts) refuses a file that records a case twice. Environments are compared field by field: fields
 * that change what a case id means (spec hash, backend, product, seed) conflict, the rest are notes.
 */

/** One shard: its name (the path given) and contents. */
export interface MergeInput {
  name: string;
  records: ResultRecord[];
  env: RunEnvironment | null;
}

/** A case recorded more than once with the same status. */
export interface Duplicate {
  caseId: string;
  status: OutcomeStatus;
  sources: string[];
}

/** A case recorded more than once with different statuses. */
export interface Conflict {
  caseId: string;
  outcomes: { source: string; status: OutcomeStatus; asExpected: boolean }[];
}

/** A run.json field that differs between shards or runs. */
export interface EnvDifference {
  field: string;
  values: { source: string; value: string }[];
  /** conflict: the case ids do not mean the same thing across the inputs */
  severity: 'conflict' | 'note';
}

/** What `mergeResultSets` returns. */
export interface MergeResult {
  records: ResultRecord[];
  /** the merged run.json; null when no input had one */
  env: RunEnvironment | null;
  duplicates: Duplicate[];
  conflicts: Conflict[];
  envDifferences: EnvDifference[];
}

/** Fields compared across environments, with what a difference means. */
const FIELDS: { field: string; severity: EnvDifference['severity']; get: (e: RunEnvironment) => string }[] = [
  { field: 'spec.hash', severity: 'conflict', get: (e) => e.spec.hash },
  { field: 'backend', severity: 'conflict', get: (e) => e.backend },
  { field: 'product', severity: 'conflict', get: (e) => e.product },
  { field: 'seed', severity: 'conflict', get: (e) => String(e.seed) },
  { field: 'profile', severity: 'note', get: (e) => e.profile },
  { field: 'harness.version', severity: 'note', get: (e) => e.harness.version },
  { field: 'reference', severity: 'note', get: (e) => `${e.reference.impl}${e.reference.engine ? `/${e.reference.engine}` : ''}` },
  { field: 'simulated', severity: 'note', get: (e) => String(e.simulated) },
  { field: 'devices', severity: 'note', get: (e) => e.devices.map(deviceText).join(', ') },
  { field: 'hostPeak', severity: 'note', get: (e) => (e.hostPeak ? `${e.hostPeak.gops.toFixed(0)} GOPS ${e.hostPeak.isa} ${e.hostPeak.cpu}` : 'none') },
];

function deviceText(d: DeviceInfo): string {
  const versions = Object.entries(d.versions).sort().map(([k, v]) => `${k}=${v}`).join(' ');
  return `${d.backend}@${d.device}${d.socName ? ` (${d.socName})` : ''}${versions ? ` ${versions}` : ''}`;
}

/** Differences between the environments of named inputs (those without run.json are left out). */
export function compareEnvironments(inputs: { name: string; env: RunEnvironment | null }[]): EnvDifference[] {
  const withEnv = inputs.filter((i): i is { name: string; env: RunEnvironment } => i.env !== null);
  const out: EnvDifference[] = [];
  for (const f of FIELDS) {
    const values = withEnv.map((i) => ({ source: i.name, value: f.get(i.env) }));
    if (new Set(values.map((v) => v.value)).size > 1) out.push({ field: f.field, values, severity: f.severity });
  }
  return out;
}

/** Merges shards in the order given; the first record of a case wins. */
export function mergeResultSets(inputs: MergeInput[], argv: string[]): MergeResult {
  const first = new Map<string, { record: ResultRecord; source: string }>();
  const seen = new Map<string, { source: string; record: ResultRecord }[]>();
  const records: ResultRecord[] = [];
  for (const input of inputs) {
    for (const r of input.records) {
      const list = seen.get(r.caseId) ?? [];
      list.push({ source: input.name, record: r });
      seen.set(r.caseId, list);
      if (!first.has(r.caseId)) {
        first.set(r.caseId, { record: r, source: input.name });
        records.push(r);
      }
    }
  }
  const duplicates: Duplicate[] = [];
  const conflicts: Conflict[] = [];
  for (const [caseId, list] of seen) {
    if (list.length < 2) continue;
    if (new Set(list.map((x) => x.record.outcome.status)).size === 1) {
      duplicates.push({ caseId, status: list[0]!.record.outcome.status, sources: list.map((x) => x.source) });
    } else {
      conflicts.push({ caseId, outcomes: list.map((x) => ({ source: x.source, status: x.record.outcome.status, asExpected: x.record.asExpected })) });
    }
  }
  return { records, env: mergeEnvironments(inputs, argv), duplicates, conflicts, envDifferences: compareEnvironments(inputs) };
}

/**
 * The merged run.json: the first shard's, with every shard's devices, the earliest start, the latest
 * finish (null if any shard did not finish), simulated if any was, and the merge's own argv.
 */
function mergeEnvironments(inputs: MergeInput[], argv: string[]): RunEnvironment | null {
  const envs = inputs.map((i) => i.env).filter((e): e is RunEnvironment => e !== null);
  const base = envs[0];
  if (!base) return null;
  const devices = new Map<string, DeviceInfo>();
  for (const d of envs.flatMap((e) => e.devices)) devices.set(JSON.stringify(d), d);
  const finished = envs.map((e) => e.finishedAt);
  return {
    ...base,
    devices: [...devices.values()],
    simulated: envs.some((e) => e.simulated),
    argv,
    startedAt: envs.map((e) => e.startedAt).sort()[0]!,
    finishedAt: finished.some((f) => f === null) ? null : (finished as string[]).sort().at(-1)!,
  };
}
