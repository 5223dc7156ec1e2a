/**
 * Wall-clock timings of session.run (the CPU has no device events): warm-up runs untimed, then each
 * timed run measured alone, summarized as median and 10th/90th percentiles in microseconds.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { Feeds } from './feeds';

export interface Summary {
  medianUs: number;
  p10Us: number;
  p90Us: number;
}

/** Percentile by linear interpolation between closest ranks (numpy's default), of sorted samples. */
function percentile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samplesUs: readonly number[]): Summary {
  if (samplesUs.length === 0) throw new RangeError('timing: no samples');
  const sorted = [...samplesUs].sort((a, b) => a - b);
  return { medianUs: percentile(sorted, 0.5), p10Us: percentile(sorted, 0.1), p90Us: percentile(sorted, 0.9) };
}

/** Runs `warmup` untimed and `repeats` timed calls; the signal is checked between calls. */
export async function timeRuns(
  session: InferenceSession, feeds: Feeds, warmup: number, repeats: number, signal: AbortSignal,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    signal.throwIfAborted();
    await session.run(feeds);
  }
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    signal.throwIfAborted();
    const start = process.hrtime.bigint();
    await session.run(feeds);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return samples;
}
