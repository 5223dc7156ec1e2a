import type { DtypeCombo } from '../dtypes';
import type { ShapeClass } from '../spec/types';
import { broadcastBatch } from '../spec/broadcast';
import type { CaseShapes } from './case';

/** The dims a case's shapes are built from; the rule edges start from these and change one thing. */
export interface ShapeParams {
  m: number;
  k: number;
  n: number;
  x1Batch: number[];
  weightBatch: number[];
  /** scale (and offset) length: 1 or n */
  t: '1' | 'n';
  biasForm: '1d' | '3d';
}

export function paramsOf(s: ShapeClass): ShapeParams {
  return { m: s.m, k: s.k, n: s.n, x1Batch: [...s.x1Batch], weightBatch: [...s.weightBatch], t: s.t, biasForm: s.biasForm };
}

/** The input shapes of a combination on shape parameters; absent inputs are null. */
export function shapesOf(combo: DtypeCombo, p: ShapeParams): CaseShapes {
  const t = p.t === '1' ? 1 : p.n;
  const batch = broadcastBatch(p.x1Batch, p.weightBatch) ?? [];
  return {
    x1: [...p.x1Batch, p.m, p.k],
    weight: [...p.weightBatch, p.n, p.k],
    scale: [t],
    offset: combo.offset === null ? null : [t],
    bias: combo.bias === null ? null : p.biasForm === '3d' ? [batch[0] ?? 1, 1, p.n] : [p.n],
    pertoken_scale: combo.pertoken_scale === null ? null : [p.m],
  };
}

/** The output shape of well-formed shapes: broadcast batch + (m, n). */
export function outputShapeOf(s: CaseShapes): number[] {
  const m = s.x1[s.x1.length - 2] ?? 1;
  const n = s.weight[s.weight.length - 2] ?? 1;
  const batch = broadcastBatch(s.x1.slice(0, -2), s.weight.slice(0, -2)) ?? [];
  return [...batch, m, n];
}

const BYTES: Record<string, number> = { int8: 1, int32: 4, int64: 8, float16: 2, bfloat16: 2, float32: 4 };

/** Bytes of all inputs and the output (for `large` tags and memory planning). */
export function bytesOf(combo: DtypeCombo, s: CaseShapes): number {
  const size = (shape: number[] | null, dtype: string | null): number =>
    shape === null || dtype === null ? 0 : shape.reduce((a, b) => a * b, 1) * (BYTES[dtype] ?? 4);
  const out = outputShapeOf(s).reduce((a, b) => a * Math.max(b, 0), 1) * (BYTES[combo.output_dtype ?? 'int8'] ?? 1);
  return size(s.x1, combo.x1) + size(s.weight, combo.weight) + size(s.scale, combo.scale) + size(s.offset, combo.offset)
    + size(s.bias, combo.bias) + size(s.pertoken_scale, combo.pertoken_scale) + out;
}
