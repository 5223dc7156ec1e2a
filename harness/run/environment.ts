import * as fs from 'fs';
import * as path from 'path';
import type { DeviceInfo } from '../backends/types';
import { ErrorCode, HarnessError } from '../errors';
import { packageRoot } from '../paths';
import type { Spec } from '../spec/types';

/** Version of run.json: a public interface. */
export const RUN_JSON_VERSION = 1;

/** The environment of a run, stamped into run.json beside results.jsonl. */
export interface RunEnvironment {
  version: typeof RUN_JSON_VERSION;
  harness: { version: string; node: string };
  spec: { file: string; hash: string };
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
   * The host CPU's measured int8 peak (D9), written by runs of CPU backends (simulated, not torch-npu)
   * that time performance cases: their figures are a percentage of it, not of an NPU's (D13). Absent
   * otherwise.
   */
  hostPeak?: HostPeak;
}

/** The host's int8 peak as the native addon's probe measured it at run time (harness/run/host-peak.ts). */
export interface HostPeak {
  /** GOPS (two operations per MAC) of independent dot-product instructions of `isa` on `threads` threads */
  gops: number;
  /** the SIMD path the probe ran: avx512vnni (vpdpbusd) or avx2 (the exact widening path, D9) */
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
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'run.json'), JSON.stringify(env, null, 2) + '\n');
}

/**
 * `--resume` appends to a run: it must be the same run. Refuses when run.json names another spec,
 * seed, profile, backend or product, listing each difference.
 */
export function checkResumable(outDir: string, next: RunEnvironment): void {
  const file = path.join(outDir, 'run.json');
  if (!fs.existsSync(file)) return;
  const prev = JSON.parse(fs.readFileSync(file, 'utf8')) as RunEnvironment;
  const diffs = ([
    ['spec hash', prev.spec?.hash, next.spec.hash], ['seed', prev.seed, next.seed], ['profile', prev.profile, next.profile],
    ['backend', prev.backend, next.backend], ['product', prev.product, next.product],
  ] as const).filter(([, a, b]) => a !== b).map(([what, a, b]) => `${what}: recorded ${String(a)}, now ${String(b)}`);
  if (diffs.length) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--resume: ${file} is another run (${diffs.join('; ')}); use another --out`);
  }
}

export function specInfo(spec: Spec): RunEnvironment['spec'] {
  return { file: path.relative(packageRoot(), spec.file) || spec.file, hash: spec.hash };
}
