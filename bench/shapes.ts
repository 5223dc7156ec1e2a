/** The benchmark's shapes (issue 3) and how many samples each can afford on a small host. */

export interface BenchShape {
  m: number;
  n: number;
  k: number;
  /** samples per timed task (after one warm-up) */
  iterations: number;
  /** what the target for this shape is */
  target: string;
}

export const SHAPES: BenchShape[] = [
  { m: 1024, n: 4096, k: 4096, iterations: 3, target: '2 threads: >= 85% of the int8 peak and faster than onnxruntime' },
  { m: 16, n: 4096, k: 65535, iterations: 5, target: '>= 80% of the bandwidth bound (weight bytes / read bandwidth)' },
  { m: 512, n: 512, k: 512, iterations: 30, target: '(no target; mid-size reference point)' },
  { m: 1, n: 128, k: 512, iterations: 2000, target: 'under 2 microseconds a call with the epilogue (GemmEpilogue)' },
];

/** Small products (m*n*k <= 64 Ki multiply-adds): each reference call (GEMM + epilogue) under 2 us. */
export const SMALL_SHAPES: { m: number; n: number; k: number }[] = [
  { m: 1, n: 128, k: 512 }, { m: 1, n: 16, k: 4096 }, { m: 4, n: 64, k: 256 }, { m: 8, n: 64, k: 128 },
  { m: 16, n: 64, k: 64 }, { m: 32, n: 32, k: 64 }, { m: 64, n: 32, k: 32 }, { m: 2, n: 8, k: 16 },
];

/** Cases per runMany call when timing the batched entry (their data, ~2 MiB at most, stays in cache). */
export const BATCH_CASES = 32;

export const THREADS = [1, 2];

/** 2*m*n*k operations. */
export function ops(s: { m: number; n: number; k: number }): number {
  return 2 * s.m * s.n * s.k;
}

/** Deterministic random int8 data (xorshift32, fast enough for 268 MB). */
export function randomInt8(count: number, seed: number): Int8Array {
  const out = new Int8Array(count);
  const words = new Uint32Array(out.buffer, 0, count >>> 2);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    words[i] = s;
  }
  for (let i = words.length * 4; i < count; i++) out[i] = (i * 37) & 0xff;
  return out;
}
