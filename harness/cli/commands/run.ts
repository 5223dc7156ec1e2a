import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../../errors';
import { expandCases } from '../../expand';
import type { Case } from '../../expand/case';
import { filterCases, requireSelection, type CaseFilter } from '../../expand/filter';
import type { Profile } from '../../expand/profiles';
import { loadExpectations, type Expectation } from '../../judge/expectations';
import { packageRoot } from '../../paths';
import { failureLine, summaryLines } from '../../report/console';
import { checkResumable, harnessVersion, specInfo, writeEnvironment, type RunEnvironment } from '../../run/environment';
import { backendThreads, keptHostPeak, measureHostPeak } from '../../run/host-peak';
import { referenceOptionsFor, type Pins } from '../../run/reference-options';
import { runPlan, type RunSummary, type Slot } from '../../run/runner';
import { chooseReference, closeSlots, detectBackend, openSlots, resolveProduct } from '../../run/setup';
import { defaultSpecPath, loadSpec } from '../../spec/load';
import type { Product, Spec } from '../../spec/types';
import type { CommandContext } from '../context';
import { collect, parseSeed, profileOf, type SpecOptions } from '../options';
import { progressReporter } from '../progress';

export interface RunOptions extends Omit<SpecOptions, 'product'> {
  product?: string;
  backend?: string;
  out: string;
  case?: string[];
  grep?: string;
  tag?: string[];
  shard?: string;
  resume?: boolean;
  retries: string;
  timeout: string;
  devices?: string;
  expectations?: string;
  reference?: 'native' | 'twin';
  pin?: string[];
  backendOpt?: string[];
  progress?: boolean;
}

/** `a8w8 run`: every case on the kernel under test and on the reference; results.jsonl as they come. */
export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .description('run the cases on a backend, judge them against the reference, write results.jsonl')
    .option('--spec <file>', 'spec file (default: specs/linear-a8w8-quant.yml)')
    .option('--backend <name|path>', 'torch-npu, onnxruntime, or a plugin module path (default: detected, A8W8_BACKEND overrides)')
    .option('--product <id|auto>', 'the Atlas product (auto: from the device, else atlas-a2)', 'auto')
    .option('--profile <name>', 'smoke or full; smoke because run is for CI on every change (full is for qualification)', 'smoke')
    .option('--out <dir>', 'output directory', 'reports/run')
    .option('--case <id>', 'only this case (repeatable)', collect)
    .option('--seed <n>', 'run seed', '0')
    .option('--grep <re>', 'only case ids matching')
    .option('--tag <tag>', 'only cases with this tag (repeatable)', collect)
    .option('--shard <i/N>', 'only the i-th of N shards')
    .option('--resume', 'skip cases already recorded in <out>/results.jsonl')
    .option('--retries <n>', 're-run cases that ended error or timeout', '0')
    .option('--timeout <ms>', 'per-case timeout', String(DEFAULT_TIMEOUT_MS))
    .option('--devices <list>', 'device indices, one worker each, e.g. 0,1', '0')
    .option('--expectations <file>', 'expectation file (default: expectations/<backend>.yml if present)')
    .option('--reference <impl>', 'native or twin (default: native, twin if the addon is missing)')
    .option('--pin <key=value>', 'pin an unsettled behaviour, e.g. fp16Overflow=inf (repeatable)', collect)
    .option('--backend-opt <key=value>', 'backend option, e.g. timing=always (repeatable)', collect)
    .option('--no-progress', 'no progress bar')
    .action(async (opts: RunOptions) => {
      ctx.exitCode = await runCommand(opts, ctx, process.argv.slice(2));
    });
}

export function parseKeyValues(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${flag} expects key=value, got '${kv}'`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/** An integer option >= min, or a BAD_ARGUMENT error naming the flag. */
export function parseIntOption(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${flag} expects an integer >= ${min}, got '${text}'`);
  return n;
}

/** `--devices 0,1`: device indices. */
export function parseDevices(text: string | undefined): number[] {
  return (text ?? '0').split(',').map((d) => parseIntOption(d.trim(), '--devices', 0));
}

function parsePins(list: string[] | undefined): Pins {
  const kv = parseKeyValues(list, '--pin');
  const pins: Pins = {};
  for (const [k, v] of Object.entries(kv)) {
    if (k !== 'fp16Overflow' || !['inf', 'saturate', 'either'].includes(v)) {
      throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--pin: expected fp16Overflow=inf|saturate|either, got '${k}=${v}'`);
    }
    pins.fp16Overflow = v as Pins['fp16Overflow'];
  }
  return pins;
}

/**
 * Everything a run needs, parsed from the options. `run` builds it from its flags; `qualify` builds
 * its own under the strict policy (harness/qualify/policy.ts) and shares the rest of the machinery.
 */
export interface RunSettings {
  spec: Spec;
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
  expectations: Expectation[];
  reference: ReturnType<typeof chooseReference>;
  filter: CaseFilter;
  out: string;
  resume: boolean;
  progress: boolean;
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

/** What a run leaves behind besides results.jsonl and run.json. */
export interface RunOutcome {
  exitCode: number;
  summary: RunSummary;
  env: RunEnvironment;
  product: Product;
  /** every case of the profile for the product, before filtering */
  expanded: Case[];
  /** the cases selected to run */
  cases: Case[];
  aborted: boolean;
}

/** The per-case timeout when none is given. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** The run itself; returns the exit code (1 when any outcome is unexpected). */
export async function runCommand(opts: RunOptions, ctx: CommandContext, argv: string[]): Promise<number> {
  return (await executeRun(await runSettings(opts), ctx, argv)).exitCode;
}

/** Parses `run`'s options into settings (detecting the backend when none is named). */
export async function runSettings(opts: RunOptions): Promise<RunSettings> {
  const spec = loadSpec(opts.spec);
  const profile = profileOf(opts, 'smoke');
  const seed = parseSeed(opts.seed);
  const timeoutMs = parseIntOption(opts.timeout, '--timeout', 1);
  const retries = parseIntOption(opts.retries, '--retries', 0);
  const devices = parseDevices(opts.devices);
  const pins = parsePins(opts.pin);
  const backendOptions = parseKeyValues(opts.backendOpt, '--backend-opt');
  const backend = opts.backend ? { name: opts.backend, why: '--backend' } : await detectBackend();
  if (opts.product && opts.product !== 'auto') backendOptions.product ??= opts.product;
  const expectations = loadExpectationsFor(backend.name, opts.expectations);
  const reference = chooseReference(opts.reference);
  return {
    spec, profile, seed, timeoutMs, retries, devices, pins, backendOptions, backend, product: opts.product ?? 'auto',
    expectations, reference, out: opts.out, resume: opts.resume ?? false, progress: opts.progress !== false, command: 'run',
    filter: {
      ...(opts.grep !== undefined ? { grep: opts.grep } : {}), ...(opts.tag ? { tags: opts.tag } : {}),
      ...(opts.shard ? { shard: opts.shard } : {}), ...(opts.case ? { ids: opts.case } : {}),
    },
  };
}

/** Opens the slots, expands and filters the cases, runs them, and stamps run.json around the run. */
export async function executeRun(s: RunSettings, ctx: CommandContext, argv: string[], hooks: RunHooks = {}): Promise<RunOutcome> {
  const { spec, profile, seed } = s;
  const backendName = s.backend.name;
  const slots = await openSlots(backendName, s.devices, { timeoutMs: s.timeoutMs, options: s.backendOptions });
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const { product, why: productWhy } = resolveProduct(spec, s.product, slots);
    hooks.beforeRun?.(slots, product);
    const expanded = expandCases(spec, { profile, seed, products: [product.id] });
    const cases = filterCases(expanded, s.filter);
    requireSelection(cases, s.filter, expanded.length);
    const simulated = slots.some((slot) => slot.info.simulated);
    // D9/D13: CPU backends' performance is read against the host's measured int8 peak (~0.2 s probe)
    const hostPeak = keptHostPeak(s.resume ? s.out : null, () => measureHostPeak(slots.map((slot) => slot.info), cases, backendThreads(s.backendOptions)));
    const env: RunEnvironment = {
      version: 1, harness: { version: harnessVersion(), node: process.version }, spec: specInfo(spec),
      backend: backendName, backendWhy: s.backend.why, product: product.id, productWhy, profile, seed, devices: slots.map((slot) => slot.info),
      reference: { impl: s.reference.impl.name, engine: s.reference.engine, why: s.reference.why }, simulated, argv,
      startedAt: new Date().toISOString(), finishedAt: null, ...(hostPeak ? { hostPeak } : {}),
    };
    if (s.resume) checkResumable(s.out, env);
    writeEnvironment(s.out, env);
    ctx.err(`a8w8 ${s.command}: ${cases.length} case(s), backend ${backendName} (${s.backend.why}), product ${product.id} (${productWhy}), profile ${profile}${simulated ? ', SIMULATED' : ''}`);
    const progress = s.progress && process.stderr.isTTY ? progressReporter(cases.length) : null;
    const specArg = path.resolve(spec.file) === path.resolve(defaultSpecPath()) ? undefined : spec.file;
    const replay = (c: Case): string => replayCommand({
      backend: backendName, product: product.id, profile, seed, timeoutMs: s.timeoutMs, pins: s.pins,
      backendOptions: s.backendOptions, ...(specArg ? { spec: specArg } : {}),
    }, c.id);
    const summary = await runPlan({
      spec, product, cases, slots, timeoutMs: s.timeoutMs, retries: s.retries, outDir: s.out, resume: s.resume,
      reference: s.reference.impl, referenceOptions: referenceOptionsFor(product, slots[0]!.info, s.pins), expectations: s.expectations, replay,
      signal: controller.signal,
      onResult: (r) => {
        progress?.tick(r.outcome.status);
        const line = failureLine(r);
        if (line) {
          progress?.interrupt();
          ctx.out(line);
        }
      },
    });
    progress?.stop();
    const finished: RunEnvironment = { ...env, finishedAt: new Date().toISOString() };
    writeEnvironment(s.out, finished);
    for (const line of summaryLines(summary, simulated)) ctx.err(line);
    const aborted = controller.signal.aborted;
    return { exitCode: summary.unexpected > 0 || aborted ? 1 : 0, summary, env: finished, product, expanded, cases, aborted };
  } finally {
    process.off('SIGINT', onSigint);
    await closeSlots(slots);
  }
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

function loadExpectationsFor(backend: string, file: string | undefined): Expectation[] {
  if (file) return loadExpectations(file);
  const fallback = path.join(packageRoot(), 'expectations', `${path.basename(backend).replace(/\.c?js$/, '')}.yml`);
  return fs.existsSync(fallback) ? loadExpectations(fallback) : [];
}
