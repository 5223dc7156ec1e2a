import type { DeviceInfo } from '../backends/types';
import type { OutcomeStatus } from '../judge/outcome';
import { runSpecs, type RunEnvironment } from '../run/environment';
import { combineFigures } from '../run/figures';
import type { ResultRecord } from '../run/record';
import { environmentsOf } from './release';

/**
 * Joining shards into one result set: a pure function. A case of one product recorded
 * in more than one shard with the same outcome status is a duplicate (reported, the first kept); with
 * different statuses a conflict (reported, and the merge fails). Within one shard a case is recorded
 * once: loadResultSet (harness/report/load.ts) refuses a file that records a case twice. Environments
 * are compared field by field among the runs of one product: fields that change what a case id means
 * (spec hash, backend, seed) conflict, the rest are notes. Runs of different products are joined as
 * they are (a release is several products, each run on its own device), and each product keeps its
 * own run.json environment in the merged one.
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
  /** the merged run.json (with `environments` when it joins several products); null when no input had one */
  env: MergedEnvironment | null;
  duplicates: Duplicate[];
  conflicts: Conflict[];
  envDifferences: EnvDifference[];
}

/**
 * A merged run.json: a run's environment, and when the runs joined cover several products, each
 * product's own environment (merged over its shards) in `environments`, so that nothing a run recorded
 * about its device, backend or host is lost. The top-level fields then describe the whole set: every
 * product and backend named, simulated if any was.
 */
export interface MergedEnvironment extends RunEnvironment {
  environments?: RunEnvironment[];
}

/** Fields compared among the environments of one product, with what a difference means. */
const FIELDS: { field: string; severity: EnvDifference['severity']; get: (e: RunEnvironment) => string }[] = [
  { field: 'spec.hash', severity: 'conflict', get: (e) => e.spec.hash },
  // shards of a run of several specs must have run the same specs; a run of one spec is spec.hash's to compare
  { field: 'specs', severity: 'conflict', get: (e) => (runSpecs(e).length <= 1 ? 'one spec' : runSpecs(e).map((x) => `${x.id}@${x.hash}`).join(', ')) },
  { field: 'backend', severity: 'conflict', get: (e) => e.backend },
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

/**
 * Differences between the environments of named inputs (those without run.json are left out), among
 * the inputs of each product: runs of different products differ in device, backend and host by nature.
 * A difference within one product is prefixed with the product when the inputs cover several.
 */
export function compareEnvironments(inputs: { name: string; env: RunEnvironment | null }[]): EnvDifference[] {
  const groups = byProduct(perProductInputs(inputs));
  const out: EnvDifference[] = [];
  for (const [product, group] of groups) {
    for (const f of FIELDS) {
      const values = group.map((i) => ({ source: i.name, value: f.get(i.env) }));
      if (new Set(values.map((v) => v.value)).size > 1) out.push({ field: groups.size > 1 ? `${product}: ${f.field}` : f.field, values, severity: f.severity });
    }
  }
  return out;
}

/** Each input once per product environment it holds (a merged run.json holds several). */
function perProductInputs(inputs: { name: string; env: RunEnvironment | null }[]): { name: string; env: RunEnvironment }[] {
  return inputs.flatMap((i) => environmentsOf(i.env).map((env) => ({ name: i.name, env })));
}

/** Inputs grouped by their run.json's product, in the order the products first appear. */
function byProduct<T extends { env: RunEnvironment }>(inputs: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const i of inputs) groups.set(i.env.product, [...(groups.get(i.env.product) ?? []), i]);
  return groups;
}

/** Merges shards in the order given; the first record of a case wins. */
export function mergeResultSets(inputs: MergeInput[], argv: string[]): MergeResult {
  const first = new Map<string, { record: ResultRecord; source: string }>();
  const seen = new Map<string, { source: string; record: ResultRecord }[]>();
  const records: ResultRecord[] = [];
  for (const input of inputs) {
    for (const r of input.records) {
      // one case on one product: the same id recorded for two products is two results, not a conflict
      const key = `${r.product}\u0000${r.caseId}`;
      const list = seen.get(key) ?? [];
      list.push({ source: input.name, record: r });
      seen.set(key, list);
      if (!first.has(key)) {
        first.set(key, { record: r, source: input.name });
        records.push(r);
      }
    }
  }
  const duplicates: Duplicate[] = [];
  const conflicts: Conflict[] = [];
  for (const list of seen.values()) {
    const caseId = list[0]!.record.caseId;
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
 * The merged run.json. One product: its shards' environments joined (mergeShards). Several products:
 * each product's shards joined into its own environment, kept whole in `environments`; the top level
 * is the first product's with every product, backend and device named.
 */
function mergeEnvironments(inputs: MergeInput[], argv: string[]): MergedEnvironment | null {
  const groups = byProduct(perProductInputs(inputs));
  const perProduct = [...groups.values()].map((g) => mergeShards(g.map((i) => i.env), argv)!);
  if (perProduct.length <= 1) return perProduct[0] ?? null;
  // the first product's host peak would misread the others' figures: each keeps its own in environments
  const { hostPeak: _firstProducts, ...all } = mergeShards(perProduct, argv)!;
  const names = (f: (e: RunEnvironment) => string): string => [...new Set(perProduct.map(f))].join(',');
  return {
    ...all, product: names((e) => e.product), productWhy: `merge of the runs of ${perProduct.length} products`,
    backend: names((e) => e.backend), backendWhy: 'per product: see environments', environments: perProduct,
  };
}

/**
 * Shards of one run joined: the first shard's environment, with every shard's devices, the earliest
 * start, the latest finish (null if any shard did not finish), simulated if any was, the figures
 * summed, and the merge's own argv.
 */
function mergeShards(envs: RunEnvironment[], argv: string[]): RunEnvironment | null {
  const base = envs[0];
  if (!base) return null;
  const devices = new Map<string, DeviceInfo>();
  for (const d of envs.flatMap((e) => e.devices)) devices.set(JSON.stringify(d), d);
  const finished = envs.map((e) => e.finishedAt);
  // the first shard's figures are not the merge's: the shards' times are summed (machine time)
  const { figures: _firstShards, ...rest } = base;
  const figures = combineFigures(envs.map((e) => e.figures));
  return {
    ...rest,
    ...(figures ? { figures } : {}),
    devices: [...devices.values()],
    simulated: envs.some((e) => e.simulated),
    argv,
    startedAt: envs.map((e) => e.startedAt).sort()[0]!,
    finishedAt: finished.some((f) => f === null) ? null : (finished as string[]).sort().at(-1)!,
  };
}
