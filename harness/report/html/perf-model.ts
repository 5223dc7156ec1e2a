import type { RunEnvironment } from '../../run/environment';
import type { ResultRecord } from '../../run/record';
import type { Spec } from '../../spec/types';
import { choosePeak, onCpuBackend, perfRows, topsOf, type PeakOverride, type PeakUsed, type PerfRow } from '../perf';

/**
 * Performance figures for the page's charts. The figures and the peak come from the report stage's
 * perf module (so the HTML, Markdown and JSON agree); this adds what only the charts need: an axis
 * label, the throughput at p90/p10 latency, and the arithmetic intensity for the roofline.
 */

export type { PeakOverride } from '../perf';

export interface PerfPoint extends PerfRow {
  /** shape and path: what a chart's axis says */
  label: string;
  /** throughput at p90 and p10 latency: the low and high ends of the spread */
  topsLow: number;
  topsHigh: number;
  /** ops per byte of inputs and output; null when the case has no byte count */
  intensity: number | null;
}

export interface PerfModel { product: string; peak: PeakUsed; points: PerfPoint[] }

/** Every timed record of a product as a chart point, against the product's (or host's) peak. */
export function buildPerf(records: ResultRecord[], product: string, env: RunEnvironment | null, spec?: Spec, override?: PeakOverride): PerfModel {
  const own = records.filter((r) => r.product === product);
  const peak = choosePeak(product, onCpuBackend(own, env), env, spec, override);
  const points = perfRows(own, new Map([[product, peak]])).map((row): PerfPoint => ({
    ...row,
    label: row.path ? `${row.shape} ${row.path}` : row.shape,
    topsLow: topsOf(row.ops, row.p90Us),
    topsHigh: topsOf(row.ops, row.p10Us),
    intensity: row.bytes > 0 ? row.ops / row.bytes : null,
  }));
  return { product, peak, points };
}
