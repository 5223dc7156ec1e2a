import type { Outcome, OutcomeStatus } from '../judge/outcome';
import type { ResultRecord } from '../run/record';

/**
 * The verdict of a qualification. Precedence, first match wins:
 * - `not-qualified`: some required case that ran did not qualify (or, without a filter, did not run);
 * - `partial`: a filter (--grep) left required cases unrun, so this is no qualification either way;
 * - `simulated`: every required case qualified, but not on the shipped kernel on a real NPU;
 * - `qualified-eager-only`: every required case qualified except graph-mode cases the backend skipped
 *   because graph mode cannot run on the host (torchair does not import): qualified for eager mode;
 * - `qualified`: every required case ran once, on a real device, and qualified.
 * A failure wins over the stamps so a simulated or partial run still says plainly that it failed.
 */
export type VerdictKind = 'qualified' | 'qualified-eager-only' | 'not-qualified' | 'partial' | 'simulated';

export const VERDICT_LABELS: Record<VerdictKind, string> = {
  qualified: 'qualified',
  'qualified-eager-only': 'qualified for eager mode',
  'not-qualified': 'not qualified',
  partial: 'partial: not a qualification',
  simulated: 'simulated: not a qualification',
};

/** Outcomes that qualify a required case (a divergence qualifies with the library's behaviour). */
export const QUALIFYING_STATUSES: ReadonlySet<OutcomeStatus> = new Set(['pass', 'rejected', 'divergence']);

export interface VerdictInput {
  product: string;
  /** required case ids (required.txt) */
  required: string[];
  /** cases run but not required (undefined-input) */
  notRequired: string[];
  records: ResultRecord[];
  /** the run or any device or record was simulated */
  simulated: boolean;
  /** the filter that selected a subset, or null for the whole profile */
  filter: { grep: string } | null;
  /**
   * Whether graph-mode cases skipped for want of graph mode on the host may leave an eager-only
   * qualification (default true). Bundles of verdict.json version 1 predate that verdict: there such a
   * skip disqualifies, as it did when they were written.
   */
  eagerOnly?: boolean;
}

/** How the torch-npu backend words a graph-mode case it skipped because graph mode cannot run on the host. */
export const GRAPH_UNAVAILABLE_PREFIX = 'graph mode unavailable: ';

/** A case that keeps the product from qualifying, and why. */
export interface Disqualifier {
  caseId: string;
  /** the outcome status, or `not-run` / `duplicate` / `policy` / `inconsistent` / `extraneous` */
  status: string;
  reason: string;
}

/** Each divergence that occurred (the bundle lists them), with the cases where it did. */
export interface OccurredDivergence {
  id: string;
  library: 'accept' | 'reject';
  condition: string;
  source: string;
  cases: string[];
}

export interface VerdictCounts {
  required: number;
  notRequired: number;
  /** records in results.jsonl */
  records: number;
  requiredRun: number;
  qualifying: number;
  disqualifying: number;
  /** required cases with no record */
  notRun: number;
  /** required graph-mode cases skipped because graph mode cannot run on the host */
  graphNotRun: number;
  byStatus: Partial<Record<OutcomeStatus, number>>;
}

export interface VerdictResult {
  verdict: VerdictKind;
  label: string;
  simulated: boolean;
  partial: boolean;
  counts: VerdictCounts;
  /** every disqualifying case; required cases merely not run in a partial run are counted, not listed */
  disqualifying: Disqualifier[];
  /** required graph-mode cases not run because graph mode cannot run on the host, with the backend's reason */
  graphNotRun: Disqualifier[];
  divergences: OccurredDivergence[];
}

/**
 * Computes the verdict from the records alone (a pure function), so verify-bundle can recompute it and
 * compare it with verdict.json. A record counts only when it could have come from the strict policy:
 * one attempt, no expectation file, this product, the doc's own verdict (a `pass` of a case the doc
 * rejects is a tampered or foreign record, not a pass).
 */
export function computeVerdict(input: VerdictInput): VerdictResult {
  const required = new Set(input.required);
  const notRequired = new Set(input.notRequired);
  const disqualifying: Disqualifier[] = [];
  const byStatus: Partial<Record<OutcomeStatus, number>> = {};
  const seen = new Set<string>();
  const divergences = new Map<string, OccurredDivergence>();
  const graphNotRun: Disqualifier[] = [];
  let qualifying = 0;
  for (const r of input.records) {
    const status = r.outcome.status;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (seen.has(r.caseId)) {
      disqualifying.push({ caseId: r.caseId, status: 'duplicate', reason: 'more than one record for the case' });
      continue;
    }
    seen.add(r.caseId);
    if (status === 'divergence') noteDivergence(divergences, r);
    if (notRequired.has(r.caseId)) continue;
    const problem = required.has(r.caseId) ? recordProblem(r, input.product) : { status: 'extraneous', reason: 'not a case of the product\'s full profile' };
    if (problem?.status === 'skip' && input.eagerOnly !== false && graphUnavailable(r)) graphNotRun.push({ caseId: r.caseId, ...problem });
    else if (problem) disqualifying.push({ caseId: r.caseId, ...problem });
    else qualifying++;
  }
  const missing = input.required.filter((id) => !seen.has(id));
  const partial = input.filter !== null && missing.length > 0;
  // Without a filter, a required case with no record (the run was interrupted) is a failure.
  if (!partial) for (const id of missing) disqualifying.push({ caseId: id, status: 'not-run', reason: 'no result recorded' });
  const verdict: VerdictKind = disqualifying.length > 0 ? 'not-qualified' : partial ? 'partial' : input.simulated ? 'simulated'
    : graphNotRun.length > 0 ? 'qualified-eager-only' : 'qualified';
  return {
    verdict, label: VERDICT_LABELS[verdict], simulated: input.simulated, partial,
    counts: {
      required: input.required.length, notRequired: input.notRequired.length, records: input.records.length,
      requiredRun: input.required.length - missing.length, qualifying, disqualifying: disqualifying.length,
      notRun: missing.length, graphNotRun: graphNotRun.length, byStatus,
    },
    disqualifying,
    graphNotRun,
    divergences: [...divergences.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/**
 * A graph-mode case the backend skipped because graph mode cannot run on the host at all (torchair does
 * not import, or torch has no torch.compile). Any other skip of a graph case is a skip like any other.
 * Read defensively: the verifier feeds this records it does not trust.
 */
function graphUnavailable(r: ResultRecord): boolean {
  const o = r.outcome as Outcome & Record<string, unknown>;
  return o.status === 'skip' && r.case?.call?.mode === 'graph' && typeof o.reason === 'string' && o.reason.startsWith(GRAPH_UNAVAILABLE_PREFIX);
}

/** Why a record of a required case does not qualify it, or null when it does. */
function recordProblem(r: ResultRecord, product: string): Omit<Disqualifier, 'caseId'> | null {
  const o = r.outcome;
  if (r.product !== product) return { status: 'inconsistent', reason: `recorded for product ${r.product}, not ${product}` };
  if (r.attempts > 1 || r.flaky) return { status: 'policy', reason: `ran ${r.attempts} times; the strict policy allows no retries` };
  if (r.expectation !== null) return { status: 'policy', reason: 'judged against an expectation file; the strict policy ignores them' };
  if (!QUALIFYING_STATUSES.has(o.status)) return { status: o.status, reason: outcomeReason(r) };
  const c = r.case;
  if (o.status === 'pass' && c?.expect !== 'accept') return { status: 'inconsistent', reason: 'pass recorded for a case the doc rejects' };
  if (o.status === 'rejected' && c?.expect !== 'reject') return { status: 'inconsistent', reason: 'rejected recorded for a case the doc accepts' };
  if (o.status === 'divergence' && (!c?.divergence || c.divergence.id !== o.divergence?.id)) {
    return { status: 'inconsistent', reason: `divergence ${o.divergence?.id} recorded for a case that does not carry it` };
  }
  return null;
}

/**
 * One line on why an outcome disqualifies; a skip is not a pass (Vulkan's NotSupported is not ours).
 * Fields are read defensively: the verifier feeds this records it does not trust.
 */
function outcomeReason(r: ResultRecord): string {
  const o = r.outcome as Outcome & Record<string, unknown>;
  const first = (x: unknown): string => String(x ?? '').split('\n')[0]!;
  switch (o.status) {
    case 'fail': return first(o.reason);
    case 'error': return first(o.message);
    case 'timeout': return `no answer within ${o.limitMs} ms`;
    case 'skip': return `skipped: ${first(o.reason)}`;
    case 'unexpected-reject': return `the doc accepts this case; the kernel rejected it: ${first(o.errorType)}: ${first(o.message)}`;
    case 'unexpected-accept': return 'the doc rejects this case; the kernel ran it';
    default: return `outcome ${JSON.stringify(o.status)}`;
  }
}

function noteDivergence(map: Map<string, OccurredDivergence>, r: ResultRecord): void {
  if (r.outcome.status !== 'divergence') return;
  const d = r.outcome.divergence;
  const entry = map.get(d.id) ?? { id: d.id, library: d.library, condition: d.condition, source: d.source, cases: [] };
  entry.cases.push(r.caseId);
  map.set(d.id, entry);
}
