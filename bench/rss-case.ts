/**
 * The 1 GiB weight case (k = 65535, n = 16384, small m), run in a child process so that its peak RSS is
 * its own: the reference may hold at most one extra copy of the weight. Prints one JSON line.
 */
import { loadNativeReference } from '../harness/reference/native';
import { randomInt8 } from './shapes';
import { timeOnce } from './timing';

export interface RssResult {
  m: number;
  n: number;
  k: number;
  engine: string;
  weightBytes: number;
  /** RSS with inputs allocated, before the product */
  rssBeforeBytes: number;
  /** peak RSS of the process after the product (getrusage maxrss) */
  maxRssBytes: number;
  /** peak minus before: what the product added */
  extraBytes: number;
  /** extra / weight: must be <= 1 */
  extraWeightCopies: number;
  seconds: number;
  gops: number;
}

function main(): void {
  const m = 4, n = 16384, k = 65535;
  const ref = loadNativeReference();
  const w = randomInt8(n * k, 11);
  const x = randomInt8(m * k, 12);
  const rssBeforeBytes = process.memoryUsage().rss;
  const run = timeOnce(() => ref.gemm(x, [m, k], w, [n, k]));
  if (run.value.length !== m * n) throw new Error('wrong output length');
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const extraBytes = Math.max(0, maxRssBytes - rssBeforeBytes);
  const result: RssResult = {
    m, n, k, engine: ref.engineInfo().engine, weightBytes: n * k, rssBeforeBytes, maxRssBytes, extraBytes,
    extraWeightCopies: extraBytes / (n * k), seconds: run.seconds, gops: (2 * m * n * k) / run.seconds / 1e9,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (require.main === module) main();
