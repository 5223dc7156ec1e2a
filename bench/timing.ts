/** Median wall time of a function with tinybench, with an iteration budget chosen per shape. */
import { Bench } from 'tinybench';

export interface Timing {
  /** median seconds per call */
  medianS: number;
  /** samples taken (after warm-up) */
  samples: number;
}

/** Times fn: `iterations` samples after `warmup` unmeasured calls (big shapes get few of both). */
export async function timeIt(name: string, fn: () => unknown, iterations: number, warmup = 1): Promise<Timing> {
  const bench = new Bench({ iterations, time: 0, warmup: warmup > 0, warmupIterations: warmup, warmupTime: 0, throws: true });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`bench task ${name} ended ${result.state}`);
  return { medianS: result.latency.p50 / 1000, samples: result.latency.samplesCount };
}

/** Wall time of one call in seconds (one-off work such as packing or session creation). */
export function timeOnce<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/**
 * Seconds per call of a fast function: `rounds` runs of `calls` back-to-back calls, the best round's
 * mean. Per-sample timers cost about as much as a microsecond call, so small calls are timed in loops.
 */
export function perCall(fn: () => unknown, calls: number, rounds = 7): number {
  for (let i = 0; i < Math.min(calls, 200); i++) fn();  // warm-up: buffers grown, code compiled
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / calls);
  }
  return best;
}
