/**
 * What the host can do: CPU model and the int8 peak of the SIMD path in use, measured
 * with independent dot-product instructions, and the read-only streaming bandwidth. Every GOPS figure of
 * the bench is reported as a percentage of these, never compared across hosts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { NativeAddon, EngineInfo } from '../harness/reference/native-addon';
import { hostKey, mergePeak, peaksFile, readPeaks, writePeaks, type KeptPeak } from './host-peak';

/** Repetitions of the peak loop and of the bandwidth sum per thread count; the best is kept. */
const PEAK_REPS = 5;
const PEAK_SECONDS = 0.3;
const BANDWIDTH_REPS = 3;

export interface MachineFacts {
  cpuModel: string;
  logicalCpus: number;
  /** the path whose instructions define the peak (the portable engine's, or VNNI under oneDNN) */
  peakIsa: string;
  /** what the peak loop runs */
  peakLoop: string;
  /** GOPS (2 ops per MAC) of the peak loop, by thread count: the best kept for this host (host-peak.ts) */
  peakGops: Record<number, number>;
  /** read-only sum over a buffer far larger than the caches, GB/s, by thread count: the best kept */
  readBandwidthGBs: Record<number, number>;
  /** the kept records behind those figures, with how and when each was taken and this run's own best */
  kept: Record<number, KeptPeak>;
  /** where they are kept */
  peaksFile: string;
  bandwidthBufferBytes: number;
  /** 1-minute load average when measured: other processes on a shared host depress every figure */
  loadAverage1m: number;
}

/** The CPU model line of /proc/cpuinfo (or os.cpus() elsewhere). */
export function cpuModel(): string {
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** The loop the peak measures for a path. */
function peakLoop(isa: string): string {
  if (isa === 'avx512vnni') return 'vpdpbusd zmm x12 independent (64 u8*s8 MACs each)';
  if (isa === 'avx2') return 'vpmaddwd ymm + vpaddd x8 independent (16 int16 MACs each; the exact widening path)';
  return 'none (scalar path: no SIMD instruction defines a peak)';
}

export function measureMachine(root: string, addon: NativeAddon, engine: EngineInfo, threads: number[]): MachineFacts {
  // under oneDNN (only chosen when exact, i.e. with VNNI) the instructions in use are VNNI's
  const isa = engine.engine === 'onednn' ? 'avx512vnni' : engine.isa;
  const bandwidthBufferBytes = 512 * 1024 * 1024;
  const model = cpuModel();
  const file = peaksFile(root);
  const peaks = readPeaks(file);
  const peakGops: Record<number, number> = {};
  const readBandwidthGBs: Record<number, number> = {};
  const kept: Record<number, KeptPeak> = {};
  for (const t of threads) {
    let gops = 0;
    let bandwidth = 0;
    for (let r = 0; r < PEAK_REPS && isa !== 'scalar'; r++) gops = Math.max(gops, addon.measurePeak(isa as 'avx2' | 'avx512vnni', t, PEAK_SECONDS));
    for (let r = 0; r < BANDWIDTH_REPS; r++) bandwidth = Math.max(bandwidth, addon.measureReadBandwidth(bandwidthBufferBytes, t, 2));
    const date = new Date().toISOString();
    const load = os.loadavg()[0]!;
    const run: KeptPeak = {
      cpuModel: model, isa, threads: t, loop: peakLoop(isa), gops, readBandwidthGBs: bandwidth,
      method: `best of ${PEAK_REPS} x ${PEAK_SECONDS} s of the peak loop and ${BANDWIDTH_REPS} x 2 sums of ${bandwidthBufferBytes >> 20} MiB, in one bench run`,
      measuredAt: date, loadAverage1m: load, thisRun: { date, gops, readBandwidthGBs: bandwidth, loadAverage1m: load },
    };
    const key = hostKey(model, isa, t);
    peaks[key] = mergePeak(peaks[key], run);
    kept[t] = peaks[key]!;
    peakGops[t] = peaks[key]!.gops;
    readBandwidthGBs[t] = peaks[key]!.readBandwidthGBs;
  }
  writePeaks(file, peaks);
  return { cpuModel: model, logicalCpus: os.cpus().length, peakIsa: isa, peakLoop: peakLoop(isa), peakGops, readBandwidthGBs, kept, peaksFile: file, bandwidthBufferBytes, loadAverage1m: os.loadavg()[0]! };
}
