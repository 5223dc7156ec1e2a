import type { DtypeCombo } from '../dtypes';
import type { ShapeClass, ShapeSymbol, SideTensor, Spec } from '../spec/types';
import { broadcastBatch } from '../spec/broadcast';
import { matchesCondition } from '../spec/condition';
import { symbolValue } from '../spec/shape-check';
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
  /** side tensors whose shape a tensor-shape rule of the spec gives for the combination (e.g. (k/256, n)) */
  sides?: Partial<Record<SideTensor, ShapeSymbol[]>>;
}

export function paramsOf(s: ShapeClass): ShapeParams {
  return { m: s.m, k: s.k, n: s.n, x1Batch: [...s.x1Batch], weightBatch: [...s.weightBatch], t: s.t, biasForm: s.biasForm };
}

/**
 * The side-tensor forms the spec's tensor-shape rules give a combination (the first form of each rule
 * that applies), so the shapes of every case come from the rule that judges them.
 */
export function sidesOf(spec: Spec, combo: DtypeCombo): ShapeParams['sides'] {
  const sides: NonNullable<ShapeParams['sides']> = {};
  for (const r of spec.shapeRules) {
    if (r.kind === 'tensor-shape' && sides[r.tensor] === undefined && matchesCondition(spec, r.when, combo)) sides[r.tensor] = r.forms[0]!;
  }
  return sides;
}

/** Shape parameters with the combination's side-tensor forms filled in. */
export function withSides(spec: Spec, combo: DtypeCombo, p: ShapeParams): ShapeParams {
  return { ...p, sides: sidesOf(spec, combo) };
}

/** The input shapes of a combination on shape parameters; absent inputs are null. */
export function shapesOf(combo: DtypeCombo, p: ShapeParams): CaseShapes {
  const t = p.t === '1' ? 1 : p.n;
  const batch = broadcastBatch(p.x1Batch, p.weightBatch) ?? [];
  const side = (name: SideTensor, otherwise: number[]): number[] => {
    const form = p.sides?.[name];
    return form ? form.map((sym) => Math.max(1, Math.round(symbolValue(sym, p)))) : otherwise;
  };
  return {
    x1: [...p.x1Batch, p.m, p.k],
    weight: [...p.weightBatch, p.n, p.k],
    scale: side('scale', [t]),
    offset: combo.offset === null ? null : side('offset', [t]),
    bias: combo.bias === null ? null : p.biasForm === '3d' ? [batch[0] ?? 1, 1, p.n] : [p.n],
    pertoken_scale: combo.pertoken_scale === null ? null : side('pertoken_scale', [p.m]),
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
