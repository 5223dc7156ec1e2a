import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DeviceInfo } from '../backends/types';
import type { Case } from '../expand/case';
import { loadNativeReference } from '../reference/native';
import type { HostPeak } from './environment';

/** Seconds per probe repetition: short (the dot-product loop is steady within ~50 ms), the whole probe ~0.2 s. */
const PROBE_SECONDS = 0.05;
/** The read-bandwidth buffer: far larger than any cache, small enough for a shared CI host. */
const BANDWIDTH_BYTES = 128 * 1024 * 1024;
const BANDWIDTH_REPS = 3;

/** The cache file's format tag and version: it is read back by later runs, so it is checked like any input. */
export const HOST_PEAK_FORMAT = 'a8w8-host-peak';
export const HOST_PEAK_VERSION = 1;

/**
 * Whether a run's performance figures belong against the host CPU: a simulated device that is not
 * torch-npu (onnxruntime, a plugin). The torch-npu stand-in is simulated too, but it stands in for an NPU,
 * so its figures are read against the product's peak like a real device's.
 */
export function isCpuBackend(devices: DeviceInfo[]): boolean {
  return devices.length > 0 && devices.every((d) => d.simulated && d.backend !== 'torch-npu');
}

/** What measures the host: the native addon's probes by default; tests pass their own. */
export interface PeakProbe {
  /** the best SIMD path of this CPU; `scalar` when none has a defined peak */
  isa(): string;
  /** GOPS (two operations per MAC) of independent dot-product instructions of `isa` on `threads` threads */
  peakGops(isa: string, threads: number): number;
  /** GB/s of reading a buffer far larger than the caches on `threads` threads */
  readGBs(threads: number): number;
}

/** Options of `measureHostPeak`; defaults: the addon's probe, the per-host cache file, the clock, /proc/cpuinfo. */
export interface HostPeakOptions {
  probe?: PeakProbe;
  /** the cache file; null: no cache (measure every time, write nothing) */
  cacheFile?: string | null;
  now?: () => Date;
  cpu?: string;
}

/**
 * The per-host cache of measured peaks: `A8W8_HOST_PEAK_FILE`, else `$XDG_CACHE_HOME/a8w8/host-peak.json`
 * (`~/.cache/a8w8/host-peak.json` without XDG_CACHE_HOME).
 */
export function hostPeakFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.A8W8_HOST_PEAK_FILE) return env.A8W8_HOST_PEAK_FILE;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'a8w8', 'host-peak.json');
}

/**
 * The host's int8 peak (and read bandwidth) for a run on a CPU backend that times any case. It is
 * measured once per host (CPU model, SIMD path and threads) and kept in the cache file with when and
 * how, so that every later run on the host divides by the same figure: a probe run anew each time
 * moves by a factor of two on a loaded host, and every percentage with it. Returns null, never throws,
 * when there is nothing to measure (no perf case, NPU backend, no SIMD path, addon not built): the
 * report then says it has no host peak. A cache that cannot be read or written is measured around.
 */
export function measureHostPeak(devices: DeviceInfo[], cases: Case[], threads: number, opts: HostPeakOptions = {}): HostPeak | null {
  if (!isCpuBackend(devices) || !cases.some((c) => c.tags.includes('perf'))) return null;
  try {
    const probe = opts.probe ?? addonProbe();
    const isa = probe.isa();
    if (isa === 'scalar') return null;
    const cpu = opts.cpu ?? cpuModel();
    const file = opts.cacheFile === undefined ? hostPeakFile() : opts.cacheFile;
    const entries = file ? readHostPeakCache(file) : [];
    const hit = entries.find((e) => e.cpu === cpu && e.isa === isa && e.threads === threads);
    if (hit) return { ...hit, cached: true };
    const t0 = performance.now();
    const gops = probe.peakGops(isa, threads);
    if (!(gops > 0)) return null;
    const bw = probe.readGBs(threads);
    const peak: HostPeak = {
      gops, isa, cpu, threads, probeMs: performance.now() - t0, measuredAt: (opts.now ?? (() => new Date()))().toISOString(),
      method: `native probe: independent ${isa === 'avx512vnni' ? 'vpdpbusd' : 'vpmaddwd + vpaddd'} instructions on ${threads} thread(s), best of 3 × ${PROBE_SECONDS * 1000} ms; `
        + `read bandwidth: summing a ${BANDWIDTH_BYTES >> 20} MiB buffer, best of ${BANDWIDTH_REPS}; `
        // a busy host measures low and the figure is kept: say how busy it was, so a reader can judge it
        + `1-minute load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPU(s)`,
      bandwidthGBs: bw > 0 ? bw : null,
    };
    if (file) writeHostPeakCache(file, [...entries, peak]);
    return { ...peak, cached: false };
  } catch {
    return null;
  }
}

/** The cache's entries; an absent, unreadable or malformed file holds none (it is measured anew and rewritten). */
export function readHostPeakCache(file: string): HostPeak[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const d = doc as { format?: unknown; version?: unknown; entries?: unknown } | null;
  if (!d || d.format !== HOST_PEAK_FORMAT || d.version !== HOST_PEAK_VERSION || !Array.isArray(d.entries)) return [];
  return d.entries.filter(isHostPeak).map((e) => ({
    gops: e.gops, isa: e.isa, cpu: e.cpu, threads: e.threads, probeMs: e.probeMs, measuredAt: e.measuredAt, method: e.method,
    bandwidthGBs: typeof e.bandwidthGBs === 'number' && e.bandwidthGBs > 0 ? e.bandwidthGBs : null,
  }));
}

function isHostPeak(e: unknown): e is HostPeak & { measuredAt: string; method: string } {
  const x = e as Record<string, unknown> | null;
  return x !== null && typeof x === 'object' && typeof x.gops === 'number' && x.gops > 0 && Number.isFinite(x.gops)
    && typeof x.isa === 'string' && typeof x.cpu === 'string' && Number.isInteger(x.threads) && typeof x.probeMs === 'number'
    && typeof x.measuredAt === 'string' && typeof x.method === 'string';
}

/** Writes the cache whole through a temporary file, so a concurrent reader never sees half of it. */
function writeHostPeakCache(file: string, entries: HostPeak[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const clean = entries.map(({ cached: _cached, ...e }) => e);
    fs.writeFileSync(tmp, JSON.stringify({ format: HOST_PEAK_FORMAT, version: HOST_PEAK_VERSION, entries: clean }, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } catch {
    // a read-only home: the run still has its figure, the next run measures again
  }
}

function addonProbe(): PeakProbe {
  const addon = loadNativeReference().addon;
  return {
    isa: () => addon.engineInfo().bestIsa,
    peakGops: (isa, threads) => addon.measurePeak(isa as Parameters<typeof addon.measurePeak>[0], threads, PROBE_SECONDS),
    readGBs: (threads) => addon.measureReadBandwidth(BANDWIDTH_BYTES, threads, BANDWIDTH_REPS),
  };
}

/** The threads a CPU backend times a case with: onnxruntime's `threads` option (default 1), else 1. */
export function backendThreads(backendOptions: Record<string, string>): number {
  const n = Number(backendOptions.threads ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model.trim() || 'unknown';
}

/**
 * The host peak a resumed run keeps: the one its run.json recorded when the run began (null when it
 * recorded none), so that resuming never changes the figures of the cases already run; undefined
 * when there is no run.json to resume (the caller measures).
 */
export function recordedHostPeak(outDir: string): HostPeak | null | undefined {
  let env: { hostPeak?: unknown };
  try {
    env = JSON.parse(fs.readFileSync(path.join(outDir, 'run.json'), 'utf8')) as { hostPeak?: unknown };
  } catch {
    return undefined;
  }
  if (env === null || typeof env !== 'object') return undefined;
  const h = env.hostPeak as Partial<HostPeak> | undefined;
  return h && typeof h.gops === 'number' && typeof h.isa === 'string' && typeof h.cpu === 'string' ? (h as HostPeak) : null;
}

/**
 * A run's host peak: on `--resume` (resumeDir given) the one the run recorded, whatever the cache or a
 * probe would say now; otherwise (or with no run.json to resume) `measure()`.
 */
export function keptHostPeak(resumeDir: string | null, measure: () => HostPeak | null): HostPeak | null {
  const recorded = resumeDir === null ? undefined : recordedHostPeak(resumeDir);
  return recorded === undefined ? measure() : recorded;
}
