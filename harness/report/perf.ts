import type { DeviceTimings } from '../backends/types';
import type { Case } from '../expand/case';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';

/**
 * Performance figures from the backends' device timings. Two operations per MAC;
 * throughput from the median, the spread from p10/p90. A CPU backend's figures are a percentage of the
 * host's measured int8 peak (run.json `hostPeak`, measured once per host and kept), an NPU's of its
 * product's peak from the spec;
 * either can be overridden (`--peak-tops`, `--peak-gbs`), since public NPU figures are weak.
 */

/** Peaks given on the command line; they win over run.json and the spec. */
export interface PeakOverride {
  /** int8 peak, TOPS */
  int8Tops?: number;
  /** memory bandwidth, GB/s */
  bandwidthGBs?: number;
}

/** The peak a product's figures are a percentage of, and where it came from. */
export interface PeakUsed {
  /** int8 peak in TOPS; null when none is known */
  int8Tops: number | null;
  /** bandwidth in GB/s; null when none is known (a host peak recorded before bandwidth was measured has none) */
  bandwidthGBs: number | null;
  /** where the int8 peak came from */
  basis: 'override' | 'host' | 'product' | 'none';
  /** human-readable source(s) */
  source: string;
  /** a warning to print beside the percentages, or null */
  caveat: string | null;
}

/** A float matmul of the same shape, where the backend timed one. */
export interface FloatBaselineFigure {
  label: string;
  dtype: string;
  medianUs: number;
  tops: number;
  /** float median / A8W8 median: > 1 means A8W8 is faster */
  speedup: number;
}

/** One timed case. */
export interface PerfRow {
  caseId: string;
  product: string;
  backend: string;
  /** the shape class without its `perf:` prefix */
  shape: string;
  path: string | null;
  m: number; k: number; n: number;
  /** broadcast batch (1 for 2-D cases) */
  batch: number;
  /** 2·batch·m·n·k */
  ops: number;
  /** bytes of inputs and output (case.bytes); 0 when the expansion did not size the case */
  bytes: number;
  repeats: number;
  medianUs: number; p10Us: number; p90Us: number;
  /** achieved TOPS at the median */
  tops: number;
  /** GB/s at the median, null without a byte count */
  gbs: number | null;
  /** percent of the product's (or host's) int8 peak; null without a peak */
  pctPeak: number | null;
  /** percent of the bandwidth; null without one or without a byte count */
  pctBandwidth: number | null;
  /** null: the backend measured none (the report says so) */
  float: FloatBaselineFigure | null;
  replay: string;
}

/** m, k, n and the broadcast batch of a case; the weight is (..., n, k) as the module stores it. */
export function gemmDims(c: Case): { m: number; k: number; n: number; batch: number } {
  const x1 = c.shapes.x1;
  const w = c.shapes.weight;
  const m = x1.length >= 2 ? x1[x1.length - 2]! : 1;
  const xb = x1.slice(0, -2);
  const wb = w.slice(0, -2);
  let batch = 1;
  for (let i = 1; i <= Math.max(xb.length, wb.length); i++) batch *= Math.max(xb[xb.length - i] ?? 1, wb[wb.length - i] ?? 1);
  return { m, k: c.call.in_features, n: c.call.out_features, batch };
}

/** TOPS from an op count and microseconds. */
export function topsOf(ops: number, us: number): number {
  return us > 0 ? ops / us / 1e6 : 0;
}

/** Figures of a simulated device that is not torch-npu belong against the host CPU. */
export function onCpuBackend(records: ResultRecord[], env: RunEnvironment | null): boolean {
  if (env) return env.devices.length > 0 && env.devices.every((d) => d.simulated && d.backend !== 'torch-npu');
  return records.length > 0 && records.every((r) => r.simulated && r.backend !== 'torch-npu');
}

/** The peak for one product: override, then (CPU backends) the host's, else the spec's product peak. */
export function choosePeak(product: string, cpu: boolean, env: RunEnvironment | null, spec: Spec | undefined, override: PeakOverride = {}): PeakUsed {
  const sources: string[] = [];
  let int8Tops: number | null = null;
  let bandwidthGBs: number | null = null;
  let basis: PeakUsed['basis'] = 'none';
  let caveat: string | null = null;
  if (override.int8Tops !== undefined) {
    [int8Tops, basis] = [override.int8Tops, 'override'];
    sources.push(`int8 peak ${override.int8Tops} TOPS (--peak-tops)`);
  }
  if (override.bandwidthGBs !== undefined) {
    bandwidthGBs = override.bandwidthGBs;
    sources.push(`bandwidth ${override.bandwidthGBs} GB/s (--peak-gbs)`);
  }
  if (cpu) {
    const host = env?.hostPeak;
    if (int8Tops === null && host) {
      [int8Tops, basis] = [host.gops / 1000, 'host'];
      sources.push(`host int8 peak ${host.gops.toFixed(1)} GOPS ${host.measuredAt ? `measured ${host.measuredAt.slice(0, 10)} and kept for this host` : 'measured at run time'} `
        + `(${host.isa}, ${host.threads} thread(s), ${host.cpu}${host.method ? `; ${host.method}` : ''})`);
    }
    if (bandwidthGBs === null && host?.bandwidthGBs) {
      bandwidthGBs = host.bandwidthGBs;
      sources.push(`host read bandwidth ${host.bandwidthGBs.toFixed(1)} GB/s (${host.threads} thread(s))`);
    }
    if (int8Tops === null) caveat = 'a CPU backend without a measured host peak in run.json: no percentage (an NPU peak would mean nothing here)';
  } else {
    const peak = spec?.products.find((p) => p.id === product)?.peak ?? null;
    if (peak && int8Tops === null) {
      [int8Tops, basis] = [peak.int8Tops, 'product'];
      sources.push(`${product} int8 peak ${peak.int8Tops} TOPS from the spec (confidence ${peak.confidence}; ${peak.source})`);
      if (env?.simulated) caveat = `a simulated device measured against ${product}'s NPU peak: the percentage is not comparable`;
      else if (peak.confidence !== 'high') caveat = `public peak figures are weak (confidence ${peak.confidence}); override with --peak-tops`;
    }
    if (peak && bandwidthGBs === null) {
      bandwidthGBs = peak.bandwidthGBs;
      sources.push(`bandwidth ${peak.bandwidthGBs} GB/s from the spec`);
    }
    if (!peak && int8Tops === null) caveat = spec ? `the spec gives no peak for ${product}` : 'no spec given: no product peak (pass --spec or --peak-tops)';
  }
  return { int8Tops, bandwidthGBs, basis, source: sources.join('; ') || 'no peak known', caveat };
}

/** A timed record: device timings with a positive median. */
export function isTimed(r: ResultRecord): r is ResultRecord & { timings: { device: DeviceTimings } } {
  return r.timings.device !== null && r.timings.device.medianUs > 0;
}

/** Every timed record as a performance row, against its product's peak. */
export function perfRows(records: ResultRecord[], peaks: ReadonlyMap<string, PeakUsed>): PerfRow[] {
  return records.filter(isTimed).map((r): PerfRow => {
    const t = r.timings.device;
    const d = gemmDims(r.case);
    const ops = 2 * d.batch * d.m * d.n * d.k;
    const tops = topsOf(ops, t.medianUs);
    const gbs = r.case.bytes > 0 ? r.case.bytes / t.medianUs / 1e3 : null;
    const peak = peaks.get(r.product);
    const fb = t.floatBaseline;
    return {
      caseId: r.caseId, product: r.product, backend: r.backend, shape: r.case.shapeClass.replace(/^perf:/, ''), path: r.path,
      ...d, ops, bytes: r.case.bytes, repeats: t.repeats, medianUs: t.medianUs, p10Us: t.p10Us, p90Us: t.p90Us,
      tops, gbs,
      pctPeak: peak?.int8Tops ? (100 * tops) / peak.int8Tops : null,
      pctBandwidth: peak?.bandwidthGBs && gbs !== null ? (100 * gbs) / peak.bandwidthGBs : null,
      float: fb && fb.medianUs > 0
        ? { label: fb.label, dtype: fb.dtype, medianUs: fb.medianUs, tops: topsOf(ops, fb.medianUs), speedup: fb.medianUs / t.medianUs }
        : null,
      replay: r.replay,
    };
  });
}
