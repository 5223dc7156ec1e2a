import * as fs from 'fs';
import * as path from 'path';
import type { Backend, DeviceInfo } from '../backends/types';
import { generateWithinBudget } from '../data/budget';
import type { CaseInputs } from '../data/tensor';
import type { Case } from '../expand/case';
import { verdictFor, type Expectation } from '../judge/expectations';
import { judgeCase, type RunEvent } from '../judge/judge';
import type { Outcome, OutcomeStatus } from '../judge/outcome';
import type { ReferenceImpl } from '../reference/impl';
import { selectPath } from '../reference/paths';
import { computeReference } from '../reference/reference';
import type { PathId, ReferenceOptions } from '../reference/types';
import type { Product, Spec } from '../spec/types';
import { compareModeFor } from './compare-mode';
import { readResults, ResultWriter, RESULTS_VERSION, type ResultRecord } from './record';

/** An opened backend: one per device (or one for an in-process backend). */
export interface Slot {
  backend: Backend;
  info: DeviceInfo;
}

/** What running and judging one case needs. */
export interface CaseRunContext {
  spec: Spec;
  timeoutMs: number;
  /** re-runs of cases that ended error or timeout (D14) */
  retries: number;
  reference: ReferenceImpl;
  referenceOptions: ReferenceOptions;
  expectations: Expectation[];
  /** builds the replay command of a case */
  replay: (c: Case) => string;
}

export interface RunPlan extends CaseRunContext {
  product: Product;
  cases: Case[];
  slots: Slot[];
  outDir: string;
  /** skip cases already recorded in outDir/results.jsonl */
  resume: boolean;
  onResult?: (r: ResultRecord) => void;
  signal?: AbortSignal;
}

export interface RunSummary {
  file: string;
  total: number;
  resumed: number;
  counts: Partial<Record<OutcomeStatus, number>>;
  unexpected: number;
  records: ResultRecord[];
}

/** A grace period past the backend's own timeout before the runner gives up on an in-process backend. */
const RUNNER_GRACE_MS = 2000;

/**
 * Runs every case of the plan on its slots in parallel, judges each against the reference, and appends
 * each result to results.jsonl as it finishes (so nothing is lost if the run dies). A crash or a hang
 * costs that case only.
 */
export async function runPlan(plan: RunPlan): Promise<RunSummary> {
  fs.mkdirSync(plan.outDir, { recursive: true });
  const file = path.join(plan.outDir, 'results.jsonl');
  const selected = new Set(plan.cases.map((c) => c.id));
  const prior = plan.resume ? readResults(file).filter((r) => selected.has(r.caseId)) : [];
  const done = new Set(prior.map((r) => r.caseId));
  const queue = plan.cases.filter((c) => !done.has(c.id));
  const writer = new ResultWriter(file, plan.resume);
  const records: ResultRecord[] = [];
  try {
    await Promise.all(plan.slots.map(async (slot) => {
      for (let c = queue.shift(); c !== undefined && !plan.signal?.aborted; c = queue.shift()) {
        const record = await runCase(plan, slot, c);
        writer.write(record);
        records.push(record);
        plan.onResult?.(record);
      }
    }));
  } finally {
    writer.close();
  }
  const counts: Partial<Record<OutcomeStatus, number>> = {};
  for (const r of records) counts[r.outcome.status] = (counts[r.outcome.status] ?? 0) + 1;
  // A resumed run answers for the whole selection: earlier unexpected outcomes still count.
  const unexpected = [...prior, ...records].filter((r) => !r.asExpected).length;
  return { file, total: records.length, resumed: done.size, counts, unexpected, records };
}

/** Runs and judges one case on one slot, with retries; never throws for the kernel's sake. */
export async function runCase(plan: CaseRunContext, slot: Slot, c: Case): Promise<ResultRecord> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let pathId: PathId | null = null;
  try {
    pathId = selectPath(c.dtypes);
  } catch {
    pathId = null; // dtypes no path knows (module probes): nothing to compute
  }
  let attempts = 0;
  let outcome: Outcome;
  let referenceMs: number | null = null;
  let device: ResultRecord['timings']['device'] = null;
  for (;;) {
    attempts++;
    const r = await attempt(plan, slot, c, pathId);
    outcome = r.outcome;
    referenceMs = r.referenceMs;
    device = r.device;
    if (!isRetryable(outcome.status) || attempts > plan.retries) break;
  }
  const verdict = verdictFor(c.id, c.product, outcome.status, plan.expectations);
  return {
    version: RESULTS_VERSION, caseId: c.id, product: c.product, backend: slot.info.backend, device: slot.info.device,
    simulated: slot.info.simulated, outcome, asExpected: verdict.asExpected,
    expectation: verdict.expectation ? { expected: verdict.expectation.expected, reason: verdict.expectation.reason } : null,
    unexpectedPass: verdict.unexpectedPass, flaky: attempts > 1 && !isRetryable(outcome.status), attempts,
    path: pathId, timings: { wallMs: performance.now() - t0, referenceMs, device }, startedAt, replay: plan.replay(c), case: c,
  };
}

async function attempt(plan: CaseRunContext, slot: Slot, c: Case, pathId: PathId | null)
  : Promise<{ outcome: Outcome; referenceMs: number | null; device: ResultRecord['timings']['device'] }> {
  let inputs: CaseInputs;
  try {
    // a case over the memory budget is skipped before any of its arrays exist
    const generated = generateWithinBudget(plan.spec, c);
    if (generated.status === 'skip') return { outcome: { status: 'skip', reason: generated.reason }, referenceMs: null, device: null };
    inputs = generated.inputs;
  } catch (e) {
    return { outcome: { status: 'error', message: `harness: generating inputs: ${(e as Error).message}` }, referenceMs: null, device: null };
  }
  const event = await runWithTimeout(slot.backend, c, inputs, plan.timeoutMs);
  let referenceMs: number | null = null;
  const reference = () => {
    const t = performance.now();
    const out = computeReference(c, inputs, plan.referenceOptions, plan.reference);
    referenceMs = performance.now() - t;
    return out;
  };
  let outcome: Outcome;
  try {
    outcome = judgeCase(c, event, reference, {
      mode: compareModeFor(plan.spec, c.product, pathId), bf16Tolerance: plan.spec.comparison.bf16Tolerance,
    });
  } catch (e) {
    outcome = { status: 'error', message: `harness: judging: ${(e as Error).message}` };
  }
  const device = event.kind === 'ran' && event.run.status === 'ok' ? event.run.timings ?? null : null;
  return { outcome, referenceMs, device };
}

/** D14: crashes and hangs are re-run; a case that ends otherwise only on a retry is flaky. */
function isRetryable(status: OutcomeStatus): boolean {
  return status === 'error' || status === 'timeout';
}

function isTimeoutError(e: unknown): boolean {
  const err = e as { code?: string; name?: string } | null;
  return err?.code === 'ETIMEDOUT' || err?.name === 'WorkerTimeoutError' || err?.name === 'TimeoutError';
}

/** Runs the case with an abort signal; the runner's own timer catches backends that hang in-process. */
async function runWithTimeout(backend: Backend, c: Case, inputs: CaseInputs, timeoutMs: number): Promise<RunEvent> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<RunEvent>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({ kind: 'timed-out', limitMs: timeoutMs });
    }, timeoutMs + RUNNER_GRACE_MS);
  });
  // Promise.resolve().then: a backend that throws synchronously costs this case only, like an async throw.
  const ran = Promise.resolve().then(() => backend.run(c, inputs, ac.signal)).then(
    (run): RunEvent => ({ kind: 'ran', run }),
    (e: unknown): RunEvent => (isTimeoutError(e)
      ? { kind: 'timed-out', limitMs: timeoutMs }
      : { kind: 'crashed', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
  try {
    return await Promise.race([ran, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
