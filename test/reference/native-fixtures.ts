/** Shared helpers of the native reference's tests: a seeded generator and a plain exact matmul. */

/** xorshift32: deterministic, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Random int8 values; `lo..hi` inclusive. */
export function randomInt8(next: () => number, count: number, lo = -128, hi = 127): Int8Array {
  const out = new Int8Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (next() % (hi - lo + 1));
  return out;
}

/** The exact product with numpy broadcasting, in plain doubles (exact below 2^53). */
export function slowGemm(x: Int8Array, xs: number[], w: Int8Array, ws: number[]): { out: Int32Array; shape: number[] } {
  const m = xs[xs.length - 2]!, k = xs[xs.length - 1]!, n = ws[ws.length - 2]!;
  const xb = xs.slice(0, -2), wb = ws.slice(0, -2);
  const rank = Math.max(xb.length, wb.length);
  const pad = (b: number[]): number[] => [...new Array<number>(rank - b.length).fill(1), ...b];
  const xp = pad(xb), wp = pad(wb);
  const ob = xp.map((d, i) => Math.max(d, wp[i]!));
  const batches = ob.reduce((p, d) => p * d, 1);
  const out = new Int32Array(batches * m * n);
  const flatIndex = (coords: number[], dims: number[]): number =>
    coords.reduce((acc, c, i) => acc * dims[i]! + (dims[i] === 1 ? 0 : c), 0);
  for (let b = 0; b < batches; b++) {
    const coords: number[] = [];
    let rest = b;
    for (let i = rank - 1; i >= 0; i--) { coords.unshift(rest % ob[i]!); rest = Math.floor(rest / ob[i]!); }
    const xo = flatIndex(coords, xp) * m * k, wo = flatIndex(coords, wp) * n * k;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += x[xo + i * k + p]! * w[wo + j * k + p]!;
        out[(b * m + i) * n + j] = s;
      }
    }
  }
  return { out, shape: [...ob, m, n] };
}

/** Index of the first difference of two equal-length arrays, or -1. */
export function firstDifference(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
