/**
 * numpy broadcasting of two batch shapes (right-aligned; equal dims or one of them 1).
 * Returns the broadcast shape, or null if they do not broadcast.
 */
export function broadcastBatch(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}
