/**
 * What the host can do (decisions D9, D10): CPU model and the int8 peak of the SIMD path in use, measured
 * with independent dot-product instructions, and the read-only streaming bandwidth. Every GOPS figure of
 * the bench is reported as a percentage of these, never compared across hosts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { NativeAddon, EngineInfo } from '../harness/reference/native-addon';

export interface MachineFacts {
  cpuModel: string;
  logicalCpus: number;
  /** the path whose instructions define the peak (the portable engine's, or VNNI under oneDNN) */
  peakIsa: string;
  /** what the peak loop runs */
  peakLoop: string;
  /** GOPS (2 ops per MAC) of the peak loop, by thread count */
  peakGops: Record<number, number>;
  /** read-only sum over a buffer far larger than the caches, GB/s, by thread count */
  readBandwidthGBs: Record<number, number>;
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

export function measureMachine(addon: NativeAddon, engine: EngineInfo, threads: number[]): MachineFacts {
  // under oneDNN (only chosen when exact, i.e. with VNNI) the instructions in use are VNNI's
  const isa = engine.engine === 'onednn' ? 'avx512vnni' : engine.isa;
  const bandwidthBufferBytes = 512 * 1024 * 1024;
  const peakGops: Record<number, number> = {};
  const readBandwidthGBs: Record<number, number> = {};
  for (const t of threads) {
    peakGops[t] = isa === 'scalar' ? 0 : addon.measurePeak(isa as 'avx2' | 'avx512vnni', t, 0.3);
    readBandwidthGBs[t] = addon.measureReadBandwidth(bandwidthBufferBytes, t, 4);
  }
  return { cpuModel: cpuModel(), logicalCpus: os.cpus().length, peakIsa: isa, peakLoop: peakLoop(isa), peakGops, readBandwidthGBs, bandwidthBufferBytes, loadAverage1m: os.loadavg()[0]! };
}
