import * as fs from 'fs';
import * as os from 'os';
import type { DeviceInfo } from '../backends/types';
import type { Case } from '../expand/case';
import { loadNativeReference } from '../reference/native';
import type { HostPeak } from './environment';

/** Seconds per probe repetition: short (D9's loop is steady within ~50 ms), the whole probe ~0.2 s. */
const PROBE_SECONDS = 0.05;

/**
 * Whether a run's performance figures belong against the host CPU (D13): a simulated device that is not
 * torch-npu (onnxruntime, a plugin). The torch-npu stand-in is simulated too, but it stands in for an NPU,
 * so its figures are read against the product's peak like a real device's.
 */
export function isCpuBackend(devices: DeviceInfo[]): boolean {
  return devices.length > 0 && devices.every((d) => d.simulated && d.backend !== 'torch-npu');
}

/**
 * Measures the host's int8 peak with the native addon's probe (independent VNNI `vpdpbusd`, or the
 * exact AVX2 widening path at half that rate: D9) when the run is on a CPU backend and times any case.
 * Returns null, never throws, when there is nothing to measure (no perf case, NPU backend, no SIMD path,
 * addon not built): the report then says it has no host peak.
 */
export function measureHostPeak(devices: DeviceInfo[], cases: Case[], threads: number): HostPeak | null {
  if (!isCpuBackend(devices) || !cases.some((c) => c.tags.includes('perf'))) return null;
  try {
    const addon = loadNativeReference().addon;
    const isa = addon.engineInfo().bestIsa;
    if (isa === 'scalar') return null;
    const t0 = performance.now();
    const gops = addon.measurePeak(isa, threads, PROBE_SECONDS);
    if (!(gops > 0)) return null;
    return { gops, isa, cpu: cpuModel(), threads, probeMs: performance.now() - t0 };
  } catch {
    return null;
  }
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
