/**
 * The host's int8 peak and read bandwidth, kept per host across bench runs (reports/host-peaks.json, not
 * committed: it describes this machine). A peak measured on a busy host is low, so each run measures
 * several times, keeps its best, and the file keeps the best of all runs per (CPU model, ISA, threads),
 * with when and how it was taken. Every %-of-peak figure of the bench uses that kept best.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One host's best figure for one ISA and thread count. */
export interface KeptPeak {
  cpuModel: string;
  isa: string;
  threads: number;
  /** what the peak loop runs */
  loop: string;
  /** best GOPS ever measured (2 ops per MAC) */
  gops: number;
  /** best read bandwidth ever measured, GB/s */
  readBandwidthGBs: number;
  /** how: repetitions x seconds per repetition of this run, best kept */
  method: string;
  /** when the kept gops was measured, and the 1-minute load average then */
  measuredAt: string;
  loadAverage1m: number;
  /** this run's own best, before merging with the kept one */
  thisRun: { date: string; gops: number; readBandwidthGBs: number; loadAverage1m: number };
}

export type HostPeaks = Record<string, KeptPeak>;

export function hostKey(cpuModel: string, isa: string, threads: number): string {
  return `${cpuModel} | ${isa} | ${threads} thread(s)`;
}

export function peaksFile(root: string): string {
  return path.join(root, 'reports', 'host-peaks.json');
}

/** The kept peaks; an unreadable or malformed file counts as none (it is only a cache of measurements). */
export function readPeaks(file: string): HostPeaks {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: HostPeaks = {};
    for (const [key, v] of Object.entries(parsed as Record<string, Partial<KeptPeak>>)) {
      if (typeof v?.gops === 'number' && typeof v.readBandwidthGBs === 'number' && typeof v.measuredAt === 'string') out[key] = v as KeptPeak;
    }
    return out;
  } catch {
    return {};
  }
}

/** Merges this run's measurement into the kept one: the higher peak and bandwidth win. */
export function mergePeak(kept: KeptPeak | undefined, run: KeptPeak): KeptPeak {
  if (kept === undefined) return run;
  const better = run.gops > kept.gops;
  return {
    ...(better ? run : kept),
    readBandwidthGBs: Math.max(kept.readBandwidthGBs, run.readBandwidthGBs),
    thisRun: run.thisRun,
  };
}

export function writePeaks(file: string, peaks: HostPeaks): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(peaks, null, 2) + '\n');
}
