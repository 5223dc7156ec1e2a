/**
 * Exact int8 x int8 -> int32 matmul in the module's layout: x1 (..., m, k), weight (..., n, k), so the
 * product is x1 @ weight^T per batch. Every partial sum is an integer below 2^31 for k <= 65535
 * (65535 * 128 * 128 < 2^31), so plain JS numbers are exact.
 */
import { batchIndexMap, broadcastShapes } from './broadcast';

/** The output shape of the gemm: broadcast batch + (m, n). Throws RangeError if the shapes do not fit. */
export function gemmOutShape(x1Shape: readonly number[], weightShape: readonly number[]): number[] {
  for (const [name, shape] of [['x1', x1Shape], ['weight', weightShape]] as const) {
    if (shape.length < 2 || shape.length > 6) throw new RangeError(`gemm: ${name} needs 2-6 dims, got [${shape}]`);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new RangeError(`gemm: ${name} dims must be non-negative integers, got [${shape}]`);
    }
  }
  const k1 = x1Shape[x1Shape.length - 1];
  const k2 = weightShape[weightShape.length - 1];
  if (k1 !== k2) throw new RangeError(`gemm: x1 k=${k1} differs from weight k=${k2}`);
  const batch = broadcastShapes(x1Shape.slice(0, -2), weightShape.slice(0, -2));
  if (batch === null) {
    throw new RangeError(`gemm: batch dims of x1 [${x1Shape}] and weight [${weightShape}] do not broadcast`);
  }
  return [...batch, x1Shape[x1Shape.length - 2]!, weightShape[weightShape.length - 2]!];
}

/** acc[b, i, j] = sum_p x1[b, i, p] * weight[b, j, p], batch broadcast; row-major Int32Array. */
export function gemm(x1: Int8Array, x1Shape: number[], weight: Int8Array, weightShape: number[]): Int32Array {
  const outShape = gemmOutShape(x1Shape, weightShape);
  const expect = (name: string, data: Int8Array, shape: number[]): void => {
    const count = shape.reduce((p, d) => p * d, 1);
    if (data.length !== count) throw new RangeError(`gemm: ${name} has ${data.length} elements, shape [${shape}] needs ${count}`);
  };
  expect('x1', x1, x1Shape);
  expect('weight', weight, weightShape);
  const m = x1Shape[x1Shape.length - 2]!;
  const n = weightShape[weightShape.length - 2]!;
  const k = x1Shape[x1Shape.length - 1]!;
  const batch = outShape.slice(0, -2);
  const x1Batch = batchIndexMap(x1Shape.slice(0, -2), batch);
  const weightBatch = batchIndexMap(weightShape.slice(0, -2), batch);
  const acc = new Int32Array(batch.reduce((p, d) => p * d, 1) * m * n);
  for (let b = 0; b < x1Batch.length; b++) {
    const x1Base = x1Batch[b]! * m * k;
    const weightBase = weightBatch[b]! * n * k;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += x1[x1Base + i * k + p]! * weight[weightBase + j * k + p]!;
        acc[(b * m + i) * n + j] = sum;
      }
    }
  }
  return acc;
}
