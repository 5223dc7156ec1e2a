import type { DeviceInfo } from '../backends/types';
import type { ElementDiff, Metrics } from '../compare/types';
import type { Divergence } from '../expand/case';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../judge/outcome';
import type { AlternativeKind } from '../reference/types';
import type { HostPeak, RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { placeCase, productSummary, type ProductSummary } from './matrix';
import { dtypesLine, isUnexpected, outcomeMetrics, outcomeReason, outcomeWorst, PROBLEM_STATUSES, recordReason, shapesLine } from './outcome-text';
import { choosePeak, onCpuBackend, perfRows, type PeakOverride, type PeakUsed, type PerfRow } from './perf';
import { comparePerf, type NoiseModel, type PerfComparison } from './perf-compare';
import type { HistoryRow } from './history';
import { environmentFor, environmentsOf, releaseLines, type ReleaseLine } from './release';
import { recordedSpecs, specIdsOf, specOf } from './specs';

/**
 * The aggregates every report format uses, computed once from the records: a pure
 * function of its arguments (no clock, no file system), so every format says the same thing.
 */

/**
 * Version of the summary (summary.json): a public interface. Version 2 groups the matrices by spec
 * (`specs[].products` in place of `products`), and adds `spec` to every case and `run.specs`.
 */
export const SUMMARY_VERSION = 2;

/** One case that needs a look, in brief. */
export interface CaseBrief {
  caseId: string;
  /** the spec id the case comes from */
  spec: string;
  product: string;
  backend: string;
  status: OutcomeStatus;
  /** the reason in one line */
  reason: string;
  /** the row it sits in (RowSummary.key) */
  row: string;
  unexpectedPass: boolean;
  flaky: boolean;
  /** the expectation-file reason that covers it, or null */
  expectation: string | null;
  replay: string;
}

/** A problem outcome in full: what the drill-down and the JUnit failure text show. */
export interface FailureDetail extends CaseBrief {
  /** false when an expectation file lists the outcome (then it does not count toward the exit code) */
  unexpected: boolean;
  path: string | null;
  dtypes: string;
  shapes: string;
  metrics: Metrics | null;
  worst: ElementDiff[];
}

/** One divergence (the shipped library did what a known divergence says) that occurred, with the cases it explained. */
export interface DivergenceSeen extends Divergence {
  count: number;
  cases: string[];
  /** the detail of its first case: what the kernel did */
  detail: string;
}

/** An admissible alternative that some elements matched: which answer the kernel gave. */
export interface AlternativeSeen {
  kind: AlternativeKind;
  /** cases with at least one element that matched only through it */
  cases: number;
  /** elements summed over those cases */
  elements: number;
  caseIds: string[];
}

/** The run's environment in brief (from run.json). */
export interface RunInfo {
  backend: string;
  product: string;
  profile: string;
  seed: number;
  simulated: boolean;
  harness: string;
  /** the first spec of the run (for most runs the only one); `specs` lists them all */
  specFile: string;
  specHash: string;
  /** every spec of the run, in run order */
  specs: { id: string; file: string; hash: string }[];
  startedAt: string;
  finishedAt: string | null;
  devices: Pick<DeviceInfo, 'backend' | 'device' | 'socName' | 'simulated' | 'versions'>[];
  reference: string;
  hostPeak: HostPeak | null;
}

/** Performance: one row per timed case, the peak per product, and the baseline comparison if asked. */
export interface PerfSummary {
  rows: PerfRow[];
  peaks: Record<string, PeakUsed>;
  /** where no case had a float baseline, why the chart is empty */
  floatNote: string | null;
  baseline: PerfComparison | null;
}

/** The matrices of one spec's records, one per product. */
export interface SpecSummary {
  /** the spec id the records carry */
  spec: string;
  /** the spec file and hash as run.json recorded them; null without a run.json naming the spec */
  file: string | null;
  hash: string | null;
  /** what the spec's contract is about (its module, else its op), when the spec is at hand */
  callee: string | null;
  products: ProductSummary[];
}

/** What `summarize` returns: everything the formats print. */
export interface ReportSummary {
  version: typeof SUMMARY_VERSION;
  /** `a8w8 <backend(s)> on <every product>` (or the caller's title) */
  title: string;
  /** one verdict line per spec and product, in spec then product order */
  release: ReleaseLine[];
  /** pass and unexpected counts per product over earlier runs, newest first; null unless asked */
  history: HistoryRow[] | null;
  run: RunInfo | null;
  total: number;
  /** every status, zeros included */
  counts: Record<OutcomeStatus, number>;
  unexpectedCount: number;
  /** `empty`: no records; `unexpected`: some count toward the exit code; `as-expected` otherwise */
  verdict: 'as-expected' | 'unexpected' | 'empty';
  /** true if any record ran on a simulated device: never an NPU qualification */
  simulated: boolean;
  /** the matrices, by spec (in run order), then product: table keys repeat across specs */
  specs: SpecSummary[];
  /** every case that counts toward the exit code, in record order */
  unexpected: CaseBrief[];
  /** every problem outcome (fail, unexpected-*, error, timeout), expected or not, with metrics */
  failures: FailureDetail[];
  divergences: DivergenceSeen[];
  alternatives: AlternativeSeen[];
  /** case ids that passed only on a retry (`--retries`) */
  flaky: string[];
  /** skip reasons with their counts, most frequent first */
  skips: { reason: string; count: number }[];
  perf: PerfSummary;
}

/** Options beyond the records: peak overrides, a baseline, a title. */
export interface SummarizeOptions {
  peak?: PeakOverride;
  baseline?: { records: ResultRecord[]; env: RunEnvironment | null };
  noise?: NoiseModel;
  title?: string;
  /** the history table's rows (a folder of runs), newest first */
  history?: HistoryRow[];
}

/**
 * Summarizes a result set. `env` is run.json (null when only results.jsonl is at hand); `specs` (the
 * run's, or one) label each spec's rows and give peaks.
 */
export function summarize(records: ResultRecord[], env: RunEnvironment | null, specs?: Spec | readonly Spec[], opts: SummarizeOptions = {}): ReportSummary {
  const known = specList(specs);
  const counts = Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, 0])) as Record<OutcomeStatus, number>;
  for (const r of records) counts[r.outcome.status] += 1;
  const unexpected = records.filter(isUnexpected).map(brief);
  const productIds = productsOf(records, known);
  const peaks = new Map(productIds.map((p) => [p, productPeak(records, p, env, productSpec(known, p), opts.peak)]));
  const rows = perfRows(records, peaks);
  return {
    version: SUMMARY_VERSION,
    title: opts.title ?? defaultTitle(records, env, productIds),
    release: releaseLines(records, env, productIds, known),
    history: opts.history ?? null,
    run: env ? runInfo(env) : null,
    total: records.length, counts, unexpectedCount: unexpected.length,
    verdict: records.length === 0 ? 'empty' : unexpected.length > 0 ? 'unexpected' : 'as-expected',
    simulated: (env?.simulated ?? false) || records.some((r) => r.simulated),
    specs: specSummaries(records, env, known),
    unexpected,
    failures: records.filter((r) => PROBLEM_STATUSES.has(r.outcome.status) || r.unexpectedPass).map(failureDetail),
    divergences: divergencesSeen(records),
    alternatives: alternativesSeen(records),
    flaky: records.filter((r) => r.flaky).map((r) => r.caseId),
    skips: skipReasons(records),
    perf: {
      rows, peaks: Object.fromEntries(peaks),
      floatNote: rows.length === 0 ? null : rows.every((r) => r.float === null) ? 'the backend timed no float matmul of these shapes, so there is no float comparison' : null,
      baseline: opts.baseline ? comparePerf(records, opts.baseline.records, { noise: opts.noise ?? 'ci95', current: env, baseline: opts.baseline.env }) : null,
    },
  };
}

/**
 * `a8w8 <backends> on <products>`: every product of the set is named, so a merged release is never
 * headed by one of its products only.
 */
function defaultTitle(records: ResultRecord[], env: RunEnvironment | null, products: string[]): string {
  const envs = environmentsOf(env);
  const backends = [...new Set(envs.length ? envs.map((e) => e.backend) : records.map((r) => r.backend))];
  const named = products.length ? products : [...new Set(envs.map((e) => e.product))];
  if (backends.length === 0 && named.length === 0) return 'a8w8 results';
  return `a8w8 ${backends.join(', ') || 'results'}${named.length ? ` on ${named.join(', ')}` : ''}`;
}

/** A product's peak, read in its own run's environment (a merged release holds one per product). */
export function productPeak(records: ResultRecord[], product: string, env: RunEnvironment | null, spec: Spec | undefined, override?: PeakOverride): PeakUsed {
  const own = environmentFor(env, product);
  return choosePeak(product, onCpuBackend(records.filter((r) => r.product === product), own), own, spec, override);
}

/** The given specs as a list: none, one, or the run's. */
export function specList(specs?: Spec | readonly Spec[]): readonly Spec[] {
  return specs === undefined ? [] : Array.isArray(specs) ? specs : [specs as Spec];
}

/** The first spec that defines a product: where its title and peak come from. */
export function productSpec(specs: readonly Spec[], product: string): Spec | undefined {
  return specs.find((s) => s.products.some((p) => p.id === product));
}

/** One matrix per spec and product: spec ids in run order (then as the records name them), products in spec order. */
function specSummaries(records: ResultRecord[], env: RunEnvironment | null, specs: readonly Spec[]): SpecSummary[] {
  const ids = specIdsOf(records);
  const runOrder = [...recordedSpecs(env).map((s) => s.id), ...specs.map((s) => s.id)];
  const rank = (id: string): number => (runOrder.includes(id) ? runOrder.indexOf(id) : Number.MAX_SAFE_INTEGER);
  const ordered = [...ids].sort((a, b) => rank(a) - rank(b) || ids.indexOf(a) - ids.indexOf(b));
  return ordered.map((id) => {
    const own = records.filter((r) => r.spec === id);
    const spec = specOf(specs, id, ids.length);
    const recorded = recordedSpecs(env).find((s) => s.id === id);
    return {
      spec: id, file: recorded?.file ?? null, hash: recorded?.hash ?? null, callee: spec ? spec.module ?? spec.op : null,
      products: productsOf(own, spec ? [spec] : []).map((p) => productSummary(own.filter((r) => r.product === p), p, spec)),
    };
  });
}

function brief(r: ResultRecord): CaseBrief {
  return {
    caseId: r.caseId, spec: r.spec, product: r.product, backend: r.backend, status: r.outcome.status, reason: recordReason(r),
    row: placeCase(r.case).row, unexpectedPass: r.unexpectedPass, flaky: r.flaky, expectation: r.expectation?.reason ?? null, replay: r.replay,
  };
}

function failureDetail(r: ResultRecord): FailureDetail {
  return {
    ...brief(r), unexpected: isUnexpected(r), path: r.path, dtypes: dtypesLine(r), shapes: shapesLine(r),
    metrics: outcomeMetrics(r.outcome), worst: outcomeWorst(r.outcome),
  };
}

function runInfo(env: RunEnvironment): RunInfo {
  return {
    backend: env.backend, product: env.product, profile: env.profile, seed: env.seed, simulated: env.simulated,
    harness: env.harness.version, specFile: env.spec.file, specHash: env.spec.hash,
    specs: recordedSpecs(env).map((s) => ({ id: s.id, file: s.file, hash: s.hash })), startedAt: env.startedAt, finishedAt: env.finishedAt,
    devices: env.devices.map((d) => ({ backend: d.backend, device: d.device, socName: d.socName, simulated: d.simulated, versions: d.versions })),
    reference: `${env.reference.impl}${env.reference.engine ? ` (${env.reference.engine})` : ''}`,
    hostPeak: env.hostPeak ?? null,
  };
}

/** Products in spec order (the specs' in turn), then any others in the order the records name them. */
function productsOf(records: ResultRecord[], specs: readonly Spec[]): string[] {
  const seen = [...new Set(records.map((r) => r.product))];
  const ordered = [...new Set(specs.flatMap((s) => s.products.map((p) => p.id)))].filter((id) => seen.includes(id));
  return [...ordered, ...seen.filter((id) => !ordered.includes(id))];
}

function divergencesSeen(records: ResultRecord[]): DivergenceSeen[] {
  const seen = new Map<string, DivergenceSeen>();
  for (const r of records) {
    const o = r.outcome;
    if (o.status !== 'divergence') continue;
    const d = seen.get(o.divergence.id) ?? { ...o.divergence, count: 0, cases: [], detail: o.detail };
    d.count += 1;
    d.cases.push(r.caseId);
    seen.set(d.id, d);
  }
  return [...seen.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

function alternativesSeen(records: ResultRecord[]): AlternativeSeen[] {
  const seen = new Map<AlternativeKind, AlternativeSeen>();
  for (const r of records) {
    const m = outcomeMetrics(r.outcome);
    for (const [kind, n] of Object.entries(m?.alternatives ?? {}) as [AlternativeKind, number][]) {
      if (!n) continue;
      const a = seen.get(kind) ?? { kind, cases: 0, elements: 0, caseIds: [] };
      a.cases += 1;
      a.elements += n;
      a.caseIds.push(r.caseId);
      seen.set(kind, a);
    }
  }
  return [...seen.values()].sort((a, b) => b.cases - a.cases || a.kind.localeCompare(b.kind));
}

function skipReasons(records: ResultRecord[]): { reason: string; count: number }[] {
  const by = new Map<string, number>();
  for (const r of records) if (r.outcome.status === 'skip') by.set(outcomeReason(r.outcome)!, (by.get(outcomeReason(r.outcome)!) ?? 0) + 1);
  return [...by].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
