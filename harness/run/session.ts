import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { DeviceInfo } from '../backends/types';
import { memoryBudget } from '../data/budget';
import { ErrorCode, HarnessError } from '../errors';
import { expandSpecs } from '../expand';
import type { Case } from '../expand/case';
import type { CaseFilter } from '../expand/filter';
import { filterCases, requireSelection } from '../expand/filter';
import type { Profile } from '../expand/profiles';
import { loadExpectations, type Expectation } from '../judge/expectations';
import { packageRoot } from '../paths';
import { ArrayPool, poolLimitFor } from '../reference/pool';
import { defaultSpecFiles } from '../spec/load';
import type { Product, Spec } from '../spec/types';
import {
  canonicalJson, harnessVersion, readRunJson, resumeDifferences, specInfo, writeEnvironment,
  type HostPeak, type RunEnvironment, type VerdictSettings,
} from './environment';
import { runFigures } from './figures';
import { backendThreads, keptHostPeak, measureHostPeak } from './host-peak';
import { lockOutput, type OutputLock } from './lock';
import { duplicateIds, duplicatesText, scanResults, type ResultRecord } from './record';
import { referenceOptionsFor, type Pins } from './reference-options';
import { runPlan, type CaseRunContext, type RunSummary, type Slot } from './runner';
import { chooseReference, closeSlots, openSlots, productSocs, resolveRunProducts, type RunProducts } from './setup';

/**
 * One run as a whole (the session): the output directory taken and released, signals, the cases
 * expanded and filtered, the host's facts, run.json stamped around the run, the replay command, and
 * the checks `--resume` makes. `a8w8 run`, `a8w8 qualify` and the conformance suite all use it.
 */

/** The per-case timeout when none is given. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** An expectation list and the file it came from (null for none). */
export interface LoadedExpectations {
  list: Expectation[];
  file: string | null;
}

/**
 * Everything a run needs. `run` builds it from its flags (harness/cli/run-options.ts); `qualify` builds
 * its own under the strict policy (harness/qualify/policy.ts) and shares the rest of the machinery.
 */
export interface RunSettings {
  /** the specs whose cases run, in order (ids unique) */
  specs: Spec[];
  profile: Profile;
  seed: number;
  timeoutMs: number;
  retries: number;
  devices: number[];
  pins: Pins;
  backendOptions: Record<string, string>;
  backend: { name: string; why: string };
  /** `auto` or a product id */
  product: string;
  expectations: LoadedExpectations;
  reference: ReturnType<typeof chooseReference>;
  filter: CaseFilter;
  out: string;
  resume: boolean;
  /** what else a run writes in its folder besides results.jsonl and run.json (relative paths): a fresh run removes them first */
  ownedFiles?: string[];
  /** saves finished cases with their data (run --save); absent: nothing is saved */
  save?: CaseRunContext['save'];
  /** work on the run's unexpected cases once it is over, on its still-open slots (run --shrink); absent: none */
  afterRun?: (run: FinishedRun) => Promise<void>;
  /** the command's name, for log lines */
  command: string;
}

/** Hooks for commands that wrap a run (qualify). */
export interface RunHooks {
  /**
   * Called once the backend slots are open and the product resolved, before any case runs (and before
   * anything is written): throw to refuse the run; the slots are closed either way.
   */
  beforeRun?(slots: Slot[], product: Product): void;
}

/** What the after-run hook gets: the finished run, its open slots and how to run one more case on them. */
export interface FinishedRun {
  /** the specs that ran (those that define the product) */
  specs: Spec[];
  /** the product as the first spec that ran defines it */
  product: Product;
  profile: Profile;
  seed: number;
  out: string;
  backend: string;
  slots: Slot[];
  /** runs and judges a case as the run did, without saving it or writing it to results.jsonl */
  context: CaseRunContext;
  summary: RunSummary;
}

/** How a run shows itself as it goes (the console's progress bar and failure lines, or nothing). */
export interface RunView {
  /** a line for the operator (stderr) */
  note(line: string): void;
  /** the cases are about to run */
  start(total: number): void;
  /** a case finished and was recorded */
  result(r: ResultRecord): void;
  /** the run is over */
  finish(summary: RunSummary, simulated: boolean): void;
}

/** What a run leaves behind besides results.jsonl and run.json. */
export interface RunOutcome {
  exitCode: number;
  summary: RunSummary;
  env: RunEnvironment;
  product: Product;
  /** the specs that ran, each with its definition of the product */
  products: RunProducts;
  /** every case of the profile for the product, before filtering */
  expanded: Case[];
  /** the cases selected to run */
  cases: Case[];
  aborted: boolean;
}

/** The exit code of a finished run: 1 when any outcome is unexpected, a hung device left cases undone, or the run was interrupted. */
export function runExitCode(summary: RunSummary, aborted: boolean): number {
  return summary.unexpected > 0 || summary.unfinished.length > 0 || aborted ? 1 : 0;
}

/**
 * Runs a session: takes the output directory (or uses `held`, a lock the caller took and keeps), checks
 * what `--resume` would continue before anything is opened or written, opens the slots, expands and
 * filters the cases, runs them, and stamps run.json around the run. The lock is released on every way
 * out (return, throw, SIGINT or SIGTERM), unless the caller holds it.
 */
export async function executeRun(s: RunSettings, view: RunView, argv: string[], hooks: RunHooks = {}, held?: OutputLock): Promise<RunOutcome> {
  const startedAt = performance.now();
  const lock = held ?? lockOutput(s.out, ['a8w8', ...argv].join(' '));
  if (lock.notice) view.note(`a8w8 ${s.command}: ${lock.notice}`);
  const controller = new AbortController();
  const interrupts = onInterrupt(controller, lock, view);
  try {
    const prior = s.resume ? priorRun(s.out, view) : null;
    const opening = performance.now();
    const slots = await openSlots(s.backend.name, s.devices, { timeoutMs: s.timeoutMs, options: s.backendOptions, products: productSocs(s.specs) });
    const clock = { startedAt, openMs: performance.now() - opening };
    try {
      return await runOnSlots(s, slots, prior, view, argv, hooks, controller, clock);
    } finally {
      await closeSlots(slots);
    }
  } finally {
    interrupts.dispose();
    if (!held) lock.release();
  }
}

async function runOnSlots(s: RunSettings, slots: Slot[], prior: RunEnvironment | null, view: RunView, argv: string[], hooks: RunHooks,
  controller: AbortController, clock: { startedAt: number; openMs: number }): Promise<RunOutcome> {
  const { profile, seed } = s;
  const products = resolveRunProducts(s.specs, s.product, slots);
  const { product } = products.specs[0]!;
  const productWhy = products.why;
  const specs = products.specs.map((x) => x.spec);
  for (const w of products.without) view.note(`a8w8 ${s.command}: spec ${w.id} (${w.file}) does not define product ${product.id}: none of its cases run`);
  hooks.beforeRun?.(slots, product);
  const expanded = expandSpecs(specs, { profile, seed, products: [product.id] });
  const cases = filterCases(expanded, s.filter);
  // CPU backends' performance is read against the host's int8 peak, measured once per host and kept;
  // a resumed run keeps the one it recorded, so the figures of the cases already run do not move
  const hostPeak = keptHostPeak(s.resume ? s.out : null, () => measureHostPeak(slots.map((slot) => slot.info), cases, backendThreads(s.backendOptions)));
  const env = runEnvironment({
    specs, backend: s.backend, product: { id: product.id, why: productWhy }, profile, seed, devices: slots.map((slot) => slot.info),
    reference: s.reference, argv, settings: verdictSettings(s), hostPeak,
  });
  if (prior) {
    const diffs = resumeDifferences(prior, env);
    if (diffs.length) {
      throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--resume: ${path.join(s.out, 'run.json')} is another run (${diffs.join('; ')}); use another --out`);
    }
  }
  requireSelection(cases, s.filter, expanded.length);
  // a fresh run starts its folder's files anew, as it does results.jsonl: nothing of an earlier run
  // (its saved cases, its shrink report) may be read as this run's
  if (!s.resume) for (const owned of s.ownedFiles ?? []) fs.rmSync(path.join(s.out, owned), { recursive: true, force: true });
  writeEnvironment(s.out, env);
  const simulated = env.simulated;
  const specNote = specs.length > 1 ? `, specs ${specs.map((x) => x.id).join(', ')}` : '';
  view.note(`a8w8 ${s.command}: ${cases.length} case(s)${specNote}, backend ${s.backend.name} (${s.backend.why}), product ${product.id} (${productWhy}), profile ${profile}${simulated ? ', SIMULATED' : ''}`);
  view.start(cases.length);
  // a case of a spec in specs/ is found again without --spec (the default loads them all); any other needs its file
  const defaults = new Set(defaultSpecFiles().map((f) => path.resolve(f)));
  const specArg = (c: Case): string | undefined => {
    const file = specs.find((x) => x.id === c.spec)?.file;
    return file === undefined || defaults.has(path.resolve(file)) ? undefined : file;
  };
  const replay = (c: Case): string => {
    const spec = specArg(c);
    return replayCommand({
      backend: s.backend.name, product: product.id, profile, seed, timeoutMs: s.timeoutMs, pins: s.pins,
      backendOptions: s.backendOptions, ...(spec ? { spec } : {}),
    }, c.id);
  };
  const optionsBySpec = new Map(products.specs.map((x) => [x.spec.id, referenceOptionsFor(x.product, slots[0]!.info, s.pins)]));
  const budget = memoryBudget();
  const context: CaseRunContext = {
    specs, timeoutMs: s.timeoutMs, retries: s.retries, reference: s.reference.impl,
    referenceOptionsOf: (spec) => optionsBySpec.get(spec.id) ?? referenceOptionsFor(product, slots[0]!.info, s.pins),
    expectations: s.expectations.list, replay, budget, arrays: new ArrayPool({ limitBytes: poolLimitFor(budget.bytes) }),
  };
  const summary = await runPlan({
    ...context, product, cases, slots, outDir: s.out, resume: s.resume,
    signal: controller.signal, onResult: (r) => view.result(r), ...(s.save ? { save: s.save } : {}),
  });
  summary.figures = runFigures({
    wallMs: performance.now() - clock.startedAt, openMs: clock.openMs, slots: slots.length, records: summary.records,
    resumed: summary.resumed, writeMs: summary.writeMs,
  });
  const finished: RunEnvironment = { ...env, finishedAt: new Date().toISOString(), figures: summary.figures };
  writeEnvironment(s.out, finished);
  view.finish(summary, simulated);
  const aborted = controller.signal.aborted;
  // an interrupted run stops here; one with hung devices has no slot fit to run more cases on
  if (s.afterRun && !aborted && summary.unfinished.length === 0) {
    // only devices that answered: a device declared hung would cost every shrink attempt its timeout
    const healthy = slots.filter((slot) => !summary.hung.some((h) => h.device === slot.info.device));
    if (healthy.length > 0) await s.afterRun({ specs, product, profile, seed, out: s.out, backend: s.backend.name, slots: healthy, context, summary });
  }
  return { exitCode: runExitCode(summary, aborted), summary, env: finished, product, products, expanded, cases, aborted };
}

/**
 * The run `--resume` continues, checked before anything is opened or written: run.json must be one,
 * and results.jsonl must hold only records, each case once (a torn last line is dropped, with a note).
 * Null when the directory holds no run yet.
 */
function priorRun(out: string, view: RunView): RunEnvironment | null {
  const runFile = path.join(out, 'run.json');
  const resultsFile = path.join(out, 'results.jsonl');
  const cannot = (why: string): HarnessError => new HarnessError(ErrorCode.BAD_ARGUMENT, `--resume: cannot continue the run in ${out}: ${why}`);
  const hasResults = fs.existsSync(resultsFile);
  if (!fs.existsSync(runFile)) {
    if (hasResults) throw cannot(`${resultsFile} has no run.json beside it, so what run it belongs to cannot be checked; use another --out`);
    return null;
  }
  const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  let env: RunEnvironment;
  try {
    env = readRunJson(runFile);
  } catch (e) {
    throw cannot(reason(e));
  }
  if (!hasResults) return env;
  try {
    const scan = scanResults(resultsFile, { checkShape: true });
    const dups = duplicateIds(scan.records);
    if (dups.length) throw new Error(`${resultsFile}: ${duplicatesText(dups)}; each case is recorded once per run`);
    if (scan.torn) view.note(`a8w8: ${resultsFile}:${scan.torn.line}: dropping a torn last line (${scan.torn.bytes} bytes, the run was killed mid-write)`);
  } catch (e) {
    throw cannot(reason(e));
  }
  return env;
}

/** SIGINT or SIGTERM: the first stops the run after the cases in flight; a second stops it at once. */
function onInterrupt(controller: AbortController, lock: OutputLock, view: RunView): { dispose(): void } {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    if (count++ === 0) {
      view.note(`a8w8: ${signal}: stopping after the cases in flight (${signal} again stops at once)`);
      controller.abort();
      return;
    }
    lock.release();
    dispose();
    process.kill(process.pid, signal); // no handler left: the signal's default action ends the process
  };
  const dispose = (): void => {
    for (const s of signals) process.off(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return { dispose };
}

/** The settings run.json records so that `--resume` can refuse to mix verdicts judged otherwise. */
export function verdictSettings(s: Pick<RunSettings, 'timeoutMs' | 'retries' | 'pins' | 'expectations'>): VerdictSettings {
  const sha256 = crypto.createHash('sha256').update(canonicalJson(s.expectations.list)).digest('hex');
  return { timeoutMs: s.timeoutMs, retries: s.retries, pins: { ...s.pins }, expectations: { file: s.expectations.file, sha256 } };
}

/** What run.json says of a run as it starts (finishedAt null). */
export function runEnvironment(a: {
  specs: Spec[]; backend: { name: string; why: string }; product: { id: string; why: string }; profile: string; seed: number;
  devices: DeviceInfo[]; reference: ReturnType<typeof chooseReference>; argv: string[]; settings: VerdictSettings; hostPeak?: HostPeak | null;
}): RunEnvironment {
  return {
    version: 1, harness: { version: harnessVersion(), node: process.version }, spec: specInfo(a.specs[0]!), specs: a.specs.map(specInfo),
    backend: a.backend.name, backendWhy: a.backend.why, product: a.product.id, productWhy: a.product.why, profile: a.profile, seed: a.seed,
    devices: a.devices, reference: { impl: a.reference.impl.name, engine: a.reference.engine, why: a.reference.why },
    simulated: a.devices.some((d) => d.simulated), argv: a.argv, startedAt: new Date().toISOString(), finishedAt: null,
    ...(a.hostPeak ? { hostPeak: a.hostPeak } : {}), settings: a.settings,
  };
}

/**
 * The expectations of a run: the file named, else `expectations/<backend>.yml` when the project has
 * one for that backend (a plugin's is found by its file name), else none.
 */
export function expectationsFor(backend: string, file?: string): LoadedExpectations {
  if (file) return { list: loadExpectations(file), file };
  const fallback = path.join(packageRoot(), 'expectations', `${path.basename(backend).replace(/\.c?js$/, '')}.yml`);
  return fs.existsSync(fallback) ? { list: loadExpectations(fallback), file: path.relative(packageRoot(), fallback) } : { list: [], file: null };
}

/** What a replay command must carry besides the case id to reproduce the same judgement. */
export interface ReplayBase {
  backend: string;
  product: string;
  profile: string;
  seed: number;
  /** a spec other than the default one */
  spec?: string;
  /** a per-case timeout other than the default */
  timeoutMs?: number;
  pins?: Pins;
  backendOptions?: Record<string, string>;
}

/**
 * The command that replays one case (every failure line ends with it). It writes to reports/replay so
 * that replaying never overwrites the run it came from.
 */
export function replayCommand(base: ReplayBase, id: string): string {
  const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['npx a8w8 run', `--backend ${quote(base.backend)}`, `--product ${base.product}`, `--profile ${base.profile}`, `--seed ${base.seed}`];
  if (base.spec) parts.push(`--spec ${quote(base.spec)}`);
  if (base.timeoutMs !== undefined && base.timeoutMs !== DEFAULT_TIMEOUT_MS) parts.push(`--timeout ${base.timeoutMs}`);
  for (const [k, v] of Object.entries(base.pins ?? {})) parts.push(`--pin ${quote(`${k}=${v}`)}`);
  for (const [k, v] of Object.entries(base.backendOptions ?? {})) if (k !== 'product') parts.push(`--backend-opt ${quote(`${k}=${v}`)}`);
  parts.push('--out reports/replay', `--case ${quote(id)}`);
  return parts.join(' ');
}
