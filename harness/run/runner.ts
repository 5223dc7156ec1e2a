import * as fs from 'fs';
import * as path from 'path';
import type { Backend, DeviceInfo } from '../backends/types';
import type { CompareMode } from '../compare/types';
import { checkReply } from '../backends/validate';
import { generateWithinBudget, type MemoryBudget } from '../data/budget';
import type { CaseInputs, Tensor } from '../data/tensor';
import type { Case } from '../expand/case';
import { specOfCase } from '../expand/spec-of-case';
import { verdictFor, type Expectation } from '../judge/expectations';
import { judgeCase, type RunEvent } from '../judge/judge';
import { versionsHold } from '../spec/oracle';
import type { Outcome, OutcomeStatus } from '../judge/outcome';
import type { ReferenceImpl } from '../reference/impl';
import { CaseArrays, type ArrayPool, type ArraySource } from '../reference/pool';
import { computeReference } from '../reference/reference';
import type { PathId, ReferenceOptions, ReferenceOutput } from '../reference/types';
import type { Product, Spec } from '../spec/types';
import { compareModeFor } from './compare-mode';
import type { RunFigures } from './environment';
import { readResults, ResultWriter, RESULTS_VERSION, type ResultRecord } from './record';
import { caseTimeoutMs, timerDelay } from './timeout';

/** An opened backend: one per device (or one for an in-process backend). */
export interface Slot {
  backend: Backend;
  info: DeviceInfo;
  /** how long close() may take (setup derives it from the per-case timeout); none: no limit */
  closeLimitMs?: number;
}

/** What running and judging one case needs. */
export interface CaseRunContext {
  /** the specs the cases come from; each case is generated and judged under its own (specOfCase) */
  specs: readonly Spec[];
  timeoutMs: number;
  /** re-runs of cases that ended error or timeout */
  retries: number;
  reference: ReferenceImpl;
  /** the reference's admissible behaviours for a spec's cases (they follow the spec's product facts) */
  referenceOptionsOf: (spec: Spec) => ReferenceOptions;
  expectations: Expectation[];
  /** builds the replay command of a case */
  replay: (c: Case) => string;
  /**
   * Saves a finished case's inputs, output and admissible answers (run --save); returns where, relative
   * to the run's folder, or null when the case is not saved. Handed in by the caller so the runner
   * knows nothing of the file format.
   */
  save?: (f: FinishedCase) => string | null;
  /** the grace past a case's timeout before the runner gives up on an in-process backend (default 2 s) */
  graceMs?: number;
  /** the per-case memory budget, read once for the run (default: read for each case) */
  budget?: MemoryBudget;
  /**
   * Arrays the reference's answers of one case are computed into and given back once the case is
   * recorded (and saved), for the next case (default: new arrays for each case).
   */
  arrays?: ArrayPool;
}

/** What the save hook gets for one finished case. */
export interface FinishedCase {
  record: ResultRecord;
  inputs: CaseInputs;
  /** the kernel's output, where it produced one */
  output: Tensor | null;
  /** the reference's answers, computed on demand (null where none is defined for the case) */
  reference: () => ReferenceOutput | null;
  compare: CompareMode;
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
  /** cases no device ran because every device was declared hung, by device; empty when all ran */
  unfinished: Unfinished[];
  /** every device declared hung, whether or not another device ran the cases it left */
  hung: { device: string; reason: string }[];
  /** time spent appending to results.jsonl and showing each result (the view), ms */
  writeMs: number;
  /** the run's time profile, added by the session once the run is over (run.json's `figures`) */
  figures?: RunFigures;
}

/** Cases left undone, the device that left them and why. */
export interface Unfinished {
  device: string;
  reason: string;
  caseIds: string[];
}

/**
 * After this many cases in a row end in `timeout` on one slot, its device is declared hung and takes
 * no more cases: a device stuck in a bad state would otherwise cost the full timeout on every case left.
 */
export const HUNG_AFTER_TIMEOUTS = 3;

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
  const hung: { device: string; reason: string }[] = [];
  let writeMs = 0;
  try {
    await Promise.all(plan.slots.map(async (slot) => {
      const timedOut: string[] = []; // the ids of the latest cases in a row that ended in timeout here
      for (let c = queue.shift(); c !== undefined && !plan.signal?.aborted; c = queue.shift()) {
        const record = await runCase(plan, slot, c);
        const tWrite = performance.now();
        writer.write(record);
        records.push(record);
        plan.onResult?.(record);
        writeMs += performance.now() - tWrite;
        if (record.outcome.status !== 'timeout') timedOut.length = 0;
        else if (timedOut.push(c.id) >= HUNG_AFTER_TIMEOUTS) {
          hung.push({ device: slot.info.device, reason: `hung: ${timedOut.length} cases in a row timed out (${timedOut.join(', ')})` });
          return;
        }
      }
    }));
  } finally {
    writer.close();
  }
  const counts: Partial<Record<OutcomeStatus, number>> = {};
  for (const r of records) counts[r.outcome.status] = (counts[r.outcome.status] ?? 0) + 1;
  // A resumed run answers for the whole selection: earlier unexpected outcomes still count.
  const unexpected = [...prior, ...records].filter((r) => !r.asExpected).length;
  // Cases remain only when every slot is hung; the last one declared hung is the one that left them.
  const unfinished: Unfinished[] = queue.length > 0 && !plan.signal?.aborted
    ? hung.map((h, i) => ({ ...h, caseIds: i === hung.length - 1 ? queue.map((c) => c.id) : [] }))
    : [];
  return { file, total: records.length, resumed: done.size, counts, unexpected, records, unfinished, hung, writeMs };
}

/** Runs and judges one case on one slot, with retries; never throws for the kernel's sake. */
export async function runCase(plan: CaseRunContext, slot: Slot, c: Case): Promise<ResultRecord> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const pathId = c.path;
  let attempts = 0;
  let r: Attempt;
  // each step's time summed over the attempts, so that the steps add up to the case's wall time
  const steps = { generateMs: 0, backendMs: 0, judgeMs: 0 };
  let referenceMs: number | null = null;
  // an attempt's reference lives in its arrays until it is retried, or the case is recorded and saved
  let arrays: CaseArrays | null = null;
  try {
    for (;;) {
      attempts++;
      arrays?.release();
      arrays = plan.arrays ? new CaseArrays(plan.arrays) : null;
      r = await attempt(plan, slot, c, pathId, arrays ?? undefined);
      for (const k of Object.keys(steps) as (keyof typeof steps)[]) steps[k] += r.steps[k];
      if (r.referenceMs !== null) referenceMs = (referenceMs ?? 0) + r.referenceMs;
      if (!isRetryable(r.outcome.status) || attempts > plan.retries) break;
    }
    return finishCase(plan, slot, c, { startedAt, t0, attempts, steps, referenceMs, last: r });
  } finally {
    arrays?.release();
  }
}

/** The record of a case from its last attempt, saved where the plan says. */
function finishCase(
  plan: CaseRunContext, slot: Slot, c: Case,
  a: { startedAt: string; t0: number; attempts: number; steps: { generateMs: number; backendMs: number; judgeMs: number }; referenceMs: number | null; last: Attempt },
): ResultRecord {
  const { startedAt, t0, attempts, steps, referenceMs, last: r } = a;
  const pathId = c.path;
  const { outcome, device } = r;
  const verdict = verdictFor(c.id, c.product, outcome.status, plan.expectations);
  const record: ResultRecord = {
    version: RESULTS_VERSION, caseId: c.id, spec: c.spec, product: c.product, backend: slot.info.backend, device: slot.info.device,
    simulated: slot.info.simulated, outcome, asExpected: verdict.asExpected,
    expectation: verdict.expectation ? { expected: verdict.expectation.expected, reason: verdict.expectation.reason } : null,
    unexpectedPass: verdict.unexpectedPass, flaky: attempts > 1 && !isRetryable(outcome.status), attempts,
    path: pathId, timings: { wallMs: performance.now() - t0, referenceMs, device, ...steps }, startedAt, replay: plan.replay(c), case: c,
  };
  if (plan.save && r.inputs) {
    const tSave = performance.now();
    try {
      record.saved = plan.save({ record, inputs: r.inputs, output: r.output, reference: r.reference, compare: compareModeFor(specOfCase(plan.specs, c), c.product, pathId) });
    } catch (e) {
      // a case that cannot be saved (disk full, a bad folder) is still recorded; the reason goes with it
      record.saved = null;
      record.saveError = (e as Error).message;
    }
    record.timings.saveMs = performance.now() - tSave;
  }
  return record;
}

/** One attempt at a case: its outcome, and what the save hook needs. */
interface Attempt {
  outcome: Outcome;
  referenceMs: number | null;
  /** the attempt's time in each step but the reference, ms */
  steps: { generateMs: number; backendMs: number; judgeMs: number };
  device: ResultRecord['timings']['device'];
  inputs: CaseInputs | null;
  output: Tensor | null;
  reference: () => ReferenceOutput | null;
}

async function attempt(plan: CaseRunContext, slot: Slot, c: Case, pathId: PathId | null, arrays: ArraySource | undefined): Promise<Attempt> {
  let inputs: CaseInputs;
  const tGenerate = performance.now();
  const ended = (outcome: Outcome): Attempt => ({
    outcome, referenceMs: null, steps: { generateMs: performance.now() - tGenerate, backendMs: 0, judgeMs: 0 },
    device: null, inputs: null, output: null, reference: () => null,
  });
  let spec: Spec;
  try {
    spec = specOfCase(plan.specs, c);
    // a case over the memory budget is skipped before any of its arrays exist
    const generated = generateWithinBudget(spec, c, plan.budget);
    if (generated.status === 'skip') return ended({ status: 'skip', reason: generated.reason });
    inputs = generated.inputs;
  } catch (e) {
    return ended({ status: 'error', message: `harness: generating inputs: ${(e as Error).message}` });
  }
  const tBackend = performance.now();
  const event = await runWithTimeout(slot.backend, c, inputs, caseTimeoutMs(c, plan.timeoutMs, slot.info.simulated), plan.graceMs ?? RUNNER_GRACE_MS);
  const tJudge = performance.now();
  let referenceMs: number | null = null;
  let computed: ReferenceOutput | undefined;
  // computed once: the judge and the save hook share it
  const reference = (): ReferenceOutput => {
    if (computed) return computed;
    const t = performance.now();
    computed = computeReference({ ...c, groupSizes: c.call.groupSizes }, inputs, plan.referenceOptionsOf(spec), plan.reference, arrays);
    referenceMs = performance.now() - t;
    return computed;
  };
  let outcome: Outcome;
  try {
    // a divergence holds only for the library versions it names: where the device's stamp has a version
    // it does not name, the doc's verdict alone is admitted; an unknown version admits both
    const versions = { torch_npu: slot.info.versions?.torch_npu ?? null, cann: slot.info.versions?.cann ?? null };
    const judged = c.divergence?.versions && !versionsHold({ versions: c.divergence.versions }, versions) ? { ...c, divergence: null } : c;
    outcome = judgeCase(judged, event, reference, {
      mode: compareModeFor(spec, c.product, pathId), bf16Tolerance: spec.comparison.bf16Tolerance,
    });
  } catch (e) {
    outcome = { status: 'error', message: `harness: judging: ${(e as Error).message}` };
  }
  // the judge computes the reference on demand: its time is the reference's, not the judge's
  const judgeMs = Math.max(0, performance.now() - tJudge - (referenceMs ?? 0));
  const steps = { generateMs: tBackend - tGenerate, backendMs: tJudge - tBackend, judgeMs };
  const ok = event.kind === 'ran' && event.run.status === 'ok' ? event.run : null;
  const safeReference = (): ReferenceOutput | null => {
    try {
      return reference();
    } catch {
      return null; // no answer is defined for the case (broken shapes, dtypes no path computes)
    }
  };
  return { outcome, referenceMs, steps, device: ok?.timings ?? null, inputs, output: ok?.output ?? null, reference: safeReference };
}

/** Crashes and hangs are re-run; a case that ends otherwise only on a retry is flaky. */
function isRetryable(status: OutcomeStatus): boolean {
  return status === 'error' || status === 'timeout';
}

function isTimeoutError(e: unknown): boolean {
  const err = e as { code?: string; name?: string } | null;
  return err?.code === 'ETIMEDOUT' || err?.name === 'WorkerTimeoutError' || err?.name === 'TimeoutError';
}

/** Runs the case with an abort signal; the runner's own timer catches backends that hang in-process. */
async function runWithTimeout(backend: Backend, c: Case, inputs: CaseInputs, timeoutMs: number, graceMs: number): Promise<RunEvent> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<RunEvent>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({ kind: 'timed-out', limitMs: timeoutMs });
    }, timerDelay(timeoutMs + graceMs));
  });
  // Promise.resolve().then: a backend that throws synchronously costs this case only, like an async throw.
  const ran = Promise.resolve().then(() => backend.run(c, inputs, ac.signal)).then(
    (reply): RunEvent => {
      // the one place every reply is checked: a malformed one is an error, never judged
      const run = checkReply(c, reply);
      return run instanceof Error ? { kind: 'crashed', message: run.message } : { kind: 'ran', run };
    },
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
