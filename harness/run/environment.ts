import * as fs from 'fs';
import * as path from 'path';
import type { DeviceInfo } from '../backends/types';
import { ErrorCode, HarnessError } from '../errors';
import { ensureDirectory, FILE_LIMITS, readTextCapped } from '../files';
import { packageRoot } from '../paths';
import type { Spec } from '../spec/types';

/** Version of run.json: a public interface. */
export const RUN_JSON_VERSION = 1;

/** The environment of a run, stamped into run.json beside results.jsonl. */
export interface RunEnvironment {
  version: typeof RUN_JSON_VERSION;
  harness: { version: string; node: string };
  /** the first (for most runs the only) spec of the run; `specs` lists them all */
  spec: RunSpec;
  /**
   * Every spec the run's cases come from, in run order (an additive field; a run.json without it ran
   * the one spec in `spec`). Read it through runSpecs().
   */
  specs?: RunSpec[];
  backend: string;
  backendWhy: string;
  product: string;
  productWhy: string;
  profile: string;
  seed: number;
  devices: DeviceInfo[];
  reference: { impl: string; engine: string | null; why: string };
  /** true when any device is simulated: this run is never an NPU qualification */
  simulated: boolean;
  argv: string[];
  startedAt: string;
  finishedAt: string | null;
  /**
   * The host CPU's measured int8 peak, written by runs of CPU backends (simulated, not torch-npu)
   * that time performance cases: their figures are a percentage of it, not of an NPU's. Absent
   * otherwise.
   */
  hostPeak?: HostPeak;
  /**
   * The settings that change a verdict without changing a case id (an additive field; older run.json
   * files lack it): `--resume` refuses to mix verdicts judged under other settings.
   */
  settings?: VerdictSettings;
  /**
   * Where the run's time went (an additive field; absent while the run goes on and in older run.json
   * files). A resumed run's figures cover only the cases it ran itself.
   */
  figures?: RunFigures;
}

/**
 * The run's time profile: its wall time and how much of it the harness spent outside the backend and
 * the reference (generating inputs, judging, writing, expanding, waiting). The per-case times are sums
 * over every case this process ran; with several slots running side by side they are divided by the
 * number of slots before they are set against the wall time, as if every slot were equally busy.
 */
export interface RunFigures {
  /** from the start of the run (before the backends open) to the last case recorded, ms */
  wallMs: number;
  /** backends (devices) that ran cases side by side */
  slots: number;
  /** cases this process ran */
  cases: number;
  /** cases already recorded by the run that --resume continued: the figures do not cover them */
  resumed: number;
  /** opening the backends (starting workers, importing torch), before any case: backend time */
  openMs: number;
  /** the per-case times summed over the cases run (results.jsonl's timings), ms */
  generateMs: number;
  backendMs: number;
  referenceMs: number;
  judgeMs: number;
  /** results.jsonl lines, the console and --save folders */
  writeMs: number;
  /** wall time spent neither opening or running the backend nor in the reference */
  harnessMs: number;
  /** harnessMs / wallMs */
  harnessShare: number;
}

/** What a verdict depends on besides the spec, seed, profile, backend, product and reference. */
export interface VerdictSettings {
  timeoutMs: number;
  retries: number;
  /** `--pin` (e.g. fp16Overflow=inf) */
  pins: Record<string, string>;
  /** the expectation file used (null for none) and the sha256 of its parsed entries */
  expectations: { file: string | null; sha256: string };
}

/** A spec as run.json records it: its file (relative to the package where it lies inside), id and hash. */
export interface RunSpec {
  file: string;
  /** absent in run.json files written before case ids carried a spec */
  id?: string;
  hash: string;
}

/** The host's int8 peak as the native addon's probe measured it at run time (harness/run/host-peak.ts). */
export interface HostPeak {
  /** GOPS (two operations per MAC) of independent dot-product instructions of `isa` on `threads` threads */
  gops: number;
  /** the SIMD path the probe ran: avx512vnni (vpdpbusd) or avx2 (the exact widening path) */
  isa: string;
  /** the CPU model the figure belongs to: never compare figures across hosts */
  cpu: string;
  /** threads the probe ran on: the backend's per-case threads */
  threads: number;
  /** how long the probe ran, ms */
  probeMs: number;
  /** when the probe ran (ISO 8601): the figure is measured once per host and reused from a cache */
  measuredAt?: string;
  /** how the figures were measured, in words */
  method?: string;
  /** the host's read bandwidth in GB/s on `threads` threads (the roofline's bandwidth roof); null if not measured */
  bandwidthGBs?: number | null;
  /** true when this run took the figure from the host's cache instead of measuring it */
  cached?: boolean;
}

export function harnessVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function writeEnvironment(outDir: string, env: RunEnvironment): void {
  ensureDirectory(outDir, 'output directory');
  fs.writeFileSync(path.join(outDir, 'run.json'), JSON.stringify(env, null, 2) + '\n');
}

/** Reads and checks run.json (at most 16 MiB); a clear error, never a stack trace, when it is not one. */
export function readRunJson(file: string): RunEnvironment {
  return parseRunJson(readTextCapped(file, FILE_LIMITS['run.json'], 'run.json'), file);
}

/** Parses the text of a run.json; `where` names it in errors. */
export function parseRunJson(text: string, where: string): RunEnvironment {
  let env: Partial<RunEnvironment> | null;
  try {
    env = JSON.parse(text) as Partial<RunEnvironment> | null;
  } catch (e) {
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, `${where}: not JSON: ${(e as Error).message}`);
  }
  if (env === null || typeof env !== 'object' || Array.isArray(env)) throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${where}: expected a run.json object`);
  if (env.version !== RUN_JSON_VERSION) {
    throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${where}: expected run.json version ${RUN_JSON_VERSION}, got ${JSON.stringify(env.version)}`);
  }
  if (!Array.isArray(env.devices) || typeof env.spec?.hash !== 'string') throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${where}: run.json lacks devices or spec`);
  return env as RunEnvironment;
}

/**
 * `--resume` appends to a run: it must be the same run, judged the same way. Lists every difference
 * from the recorded run.json in whatever changes a verdict: the spec, seed, profile, backend, product,
 * reference, timeout, retries, pins and the expectations' contents. A run.json without the settings
 * (written before they were recorded) cannot show they are the same, so it is refused as well.
 */
export function resumeDifferences(prev: RunEnvironment, next: RunEnvironment): string[] {
  const text = (v: unknown): string => (typeof v === 'object' ? canonicalJson(v) : String(v));
  const ps = prev.settings;
  const ns = next.settings;
  const fields: [string, unknown, unknown][] = [
    ['spec hash', prev.spec?.hash, next.spec.hash], ['specs', specsText(prev), specsText(next)], ['seed', prev.seed, next.seed], ['profile', prev.profile, next.profile],
    ['backend', prev.backend, next.backend], ['product', prev.product, next.product], ['reference', prev.reference?.impl, next.reference.impl],
  ];
  if (ps && ns) fields.push(['timeout', ps.timeoutMs, ns.timeoutMs], ['retries', ps.retries, ns.retries], ['pins', ps.pins, ns.pins]);
  const diffs = fields.filter(([, a, b]) => text(a) !== text(b)).map(([what, a, b]) => `${what}: recorded ${text(a)}, now ${text(b)}`);
  if (ps && ns && ps.expectations?.sha256 !== ns.expectations.sha256) {
    diffs.push(`expectations: recorded ${describeExpectations(ps.expectations)}, now ${describeExpectations(ns.expectations)}`);
  }
  if (!ps && ns) diffs.push(`timeout, retries, pins, expectations: not recorded (run.json of harness ${prev.harness?.version ?? 'unknown'})`);
  return diffs;
}

function describeExpectations(e: VerdictSettings['expectations'] | undefined): string {
  if (!e) return 'nothing';
  return `${e.file ?? 'none'} (sha256 ${e.sha256.slice(0, 12)})`;
}

/** JSON with object keys sorted: equal values give equal text. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x));
}

export function specInfo(spec: Spec): RunSpec {
  return { file: path.relative(packageRoot(), spec.file) || spec.file, id: spec.id, hash: spec.hash };
}

/**
 * Every spec of a run with its id: `specs` where recorded, else the one `spec` of an older run.json,
 * whose id is what a spec without `spec.id` is called, its file's name.
 */
export function runSpecs(env: Pick<RunEnvironment, 'spec' | 'specs'>): Required<RunSpec>[] {
  const list = env.specs?.length ? env.specs : env.spec ? [env.spec] : [];
  return list.map((s) => ({ file: s.file, hash: s.hash, id: s.id ?? path.basename(s.file).replace(/\.ya?ml$/, '') }));
}

/** The specs of a run as one comparable text: ids with their hashes, in run order. */
function specsText(env: Pick<RunEnvironment, 'spec' | 'specs'>): string {
  return runSpecs(env).map((s) => `${s.id}@${s.hash.slice(0, 12)}`).join(', ');
}
