import { npuDeviceCount } from '../backends/torch-npu/device-count';
import { memoryBudget } from '../data/budget';
import { ErrorCode, HarnessError } from '../errors';
import { parseShrunkId } from '../forensics/moves';
import { DEFAULT_SHRINK_COUNT, RUN_SHRINK_FILE, shrinkAfterRun } from '../forensics/run-shrink';
import { CASES_DIR, caseSaver, parseSaveMode } from '../forensics/save';
import { DEFAULT_SHRINK_BUDGET } from '../forensics/shrink';
import { lockOutput } from '../run/lock';
import type { Pins } from '../run/reference-options';
import { executeRun, expectationsFor, type RunOutcome, type RunSettings } from '../run/session';
import { chooseReference, detectBackend } from '../run/setup';
import { parseTimeoutMs } from '../run/timeout';
import { replayFor, reproCommand, type ForensicsOptions } from './commands/repro';
import type { CommandContext } from './context';
import { parseSeed, profileOf, specsOf, type SpecOptions } from './options';
import { consoleView } from './run-view';

/** `a8w8 run`'s options as commander gives them (strings, lists, flags). */
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
  /** failures, all or none: which cases to save with their data (default failures) */
  save?: string;
  /** shrink the first N unexpected cases after the run (true: the default N) */
  shrink?: string | boolean;
  /** kernel calls per shrunk case */
  shrinkBudget?: string;
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

/** What `--devices all` means for each kind of backend (run --help and the README say the same). */
export const ALL_DEVICES_HELP = 'device indices, one worker each, e.g. 0,1; all: every NPU torch.npu.device_count() sees for torch-npu, one slot for onnxruntime and plugins';

/**
 * `--devices`: a list of indices, or `all`: for torch-npu one worker per NPU its interpreter sees; a CPU
 * backend or a plugin has one slot (device 0), since it runs on the host, not on a device of its own.
 */
export async function resolveDevices(text: string | undefined, backend: string, env: NodeJS.ProcessEnv = process.env): Promise<number[]> {
  if (text?.trim() !== 'all') return parseDevices(text);
  if (backend !== 'torch-npu') return [0];
  let count: number;
  try {
    count = await npuDeviceCount(env);
  } catch (e) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--devices all: ${(e as Error).message}`);
  }
  if (count === 0) throw new HarnessError(ErrorCode.BAD_ARGUMENT, '--devices all: torch.npu.device_count() is 0: no NPU is visible');
  return Array.from({ length: count }, (_, i) => i);
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
 * `a8w8 run` from its options. The output directory is taken first, so an --out that is a file, cannot
 * be created or is held by another run is refused at once, before the spec is even loaded.
 */
export async function runFromOptions(opts: RunOptions, ctx: CommandContext, argv: string[]): Promise<RunOutcome> {
  const lock = lockOutput(opts.out, ['a8w8', ...argv].join(' '));
  try {
    const settings = { ...await runSettings(opts), ...shrinkHook(opts, ctx) };
    return await executeRun(settings, consoleView(ctx, opts.progress !== false), argv, {}, lock);
  } finally {
    lock.release();
  }
}

/** Parses `run`'s options into settings (detecting the backend when none is named). */
export async function runSettings(opts: RunOptions): Promise<RunSettings> {
  const specs = specsOf(undefined, opts);
  const profile = profileOf(opts, 'smoke');
  const seed = parseSeed(opts.seed);
  const timeoutMs = parseTimeoutMs(opts.timeout);
  const retries = parseIntOption(opts.retries, '--retries', 0);
  const pins = parsePins(opts.pin);
  const backendOptions = parseKeyValues(opts.backendOpt, '--backend-opt');
  const backend = opts.backend ? { name: opts.backend, why: '--backend' } : await detectBackend();
  const devices = await resolveDevices(opts.devices, backend.name);
  if (opts.product && opts.product !== 'auto') backendOptions.product ??= opts.product;
  const expectations = expectationsFor(backend.name, opts.expectations);
  const reference = chooseReference(opts.reference);
  const saveMode = parseSaveMode(opts.save ?? 'failures');
  // a malformed memory budget is a usage error now, not an error on every case later
  memoryBudget();
  return {
    specs, profile, seed, timeoutMs, retries, devices, pins, backendOptions, backend, product: opts.product ?? 'auto',
    ...(saveMode !== 'none' ? { save: caseSaver(opts.out, saveMode) } : {}),
    ownedFiles: [CASES_DIR, RUN_SHRINK_FILE],
    expectations, reference, out: opts.out, resume: opts.resume ?? false, command: 'run',
    filter: {
      ...(opts.grep !== undefined ? { grep: opts.grep } : {}), ...(opts.tag ? { tags: opts.tag } : {}),
      ...(opts.shard ? { shard: opts.shard } : {}), ...(opts.case ? { ids: opts.case } : {}),
    },
  };
}

/**
 * `--shrink [N]` and `--shrink-budget B`: the hook that shrinks the run's first N unexpected cases once
 * it is over. A shrunk variant is no case of the expansion, so its replay and repro commands find it
 * through the run's own results (`repro --from <out>`).
 */
function shrinkHook(opts: RunOptions, ctx: CommandContext): Pick<RunSettings, 'afterRun'> {
  if (opts.shrink === undefined || opts.shrink === false) return {};
  const count = opts.shrink === true ? DEFAULT_SHRINK_COUNT : parseIntOption(opts.shrink, '--shrink', 1);
  const budget = parseIntOption(opts.shrinkBudget ?? String(DEFAULT_SHRINK_BUDGET), '--shrink-budget', 1);
  const from: ForensicsOptions = { from: opts.out, out: opts.out, device: '0', timeout: opts.timeout };
  return {
    afterRun: shrinkAfterRun({
      count, budget, print: (line) => ctx.out(line), note: (line) => ctx.err(line),
      commands: (c, run) => ({
        replay: parseShrunkId(c.id).originalId === c.id ? run.context.replay(c) : replayFor(from, c.id, c.product, run.profile, run.seed, run.backend),
        repro: reproCommand(from, c.id, c.product, run.profile, run.seed),
      }),
    }),
  };
}
