import type { DtypeCombo } from '../dtypes';
import type { CaseShapes } from './positions';
import { broadcastBatch } from './broadcast';
import { matchesCondition } from './condition';
import type { ShapeRule, ShapeSymbol, Spec } from './types';

/**
 * The shape rules as predicates: which rules a call breaks. Independent of how the expansion generates
 * edges, so tests can hold the two against each other; backends that enforce no contract (onnxruntime)
 * use it to tell a rejected case from a runnable one. A rule with a `when` applies only to the
 * combinations it names. Shapes are logical: packed inputs (int4 in int32) have their unpacked sizes.
 */

/** What the shape rules look at: the dtypes (for `when`), the shapes, and which inputs are strided views. */
export interface ShapeCall {
  dtypes: DtypeCombo;
  shapes: CaseShapes;
  /** the inputs passed as non-contiguous views (the `strided` variant: x1, scale, pertoken_scale) */
  strided?: readonly string[];
}

export function brokenRules(spec: Spec, call: ShapeCall): string[] {
  return applicableRules(spec, call).filter((r) => breaks(r, call)).map((r) => r.id);
}

/** The rules whose `when` the call's dtypes meet. */
export function applicableRules(spec: Spec, call: { dtypes: DtypeCombo }): ShapeRule[] {
  return spec.shapeRules.filter((r) => matchesCondition(spec, r.when, call.dtypes));
}

/** A broken rule with what breaks it: the dims past a limit, and a line for a person. */
export interface BrokenRule {
  rule: string;
  dims: ('m' | 'k' | 'n')[];
  detail: string;
}

/** Every rule the call breaks, with the dims and values that break it (the contract oracle's view). */
export function brokenRuleDims(spec: Spec, call: ShapeCall): BrokenRule[] {
  return applicableRules(spec, call).filter((r) => breaks(r, call)).map((r) => describe(r, call));
}

/** The value of a tensor-shape symbol on the call's dims. */
export function symbolValue(sym: ShapeSymbol, d: { m: number; k: number; n: number }): number {
  if (sym === 1) return 1;
  if (typeof sym === 'string') return d[sym];
  return d[sym.dim] / sym.div;
}

export function symbolText(sym: ShapeSymbol): string {
  return typeof sym === 'object' ? `${sym.dim}/${sym.div}` : String(sym);
}

function describe(rule: ShapeRule, call: ShapeCall): BrokenRule {
  const s = call.shapes;
  const d = dimsOf(s);
  const shape = (x: readonly number[] | null): string => (x === null ? 'absent' : `[${x.join(', ')}]`);
  switch (rule.kind) {
    case 'rank':
      return { rule: rule.id, dims: [], detail: rule.tensors.map((t) => `${t} has rank ${s[t].length}`).join(', ') + ` (allowed ${rule.min}..${rule.max})` };
    case 'contraction':
      return { rule: rule.id, dims: [], detail: `x1's last dim ${d.k}, weight's last dim ${s.weight[s.weight.length - 1]}` };
    case 'broadcast':
      return { rule: rule.id, dims: [], detail: `batch dims ${shape(s.x1.slice(0, -2))} and ${shape(s.weight.slice(0, -2))} do not broadcast` };
    case 'dim-limit': {
      const dims = rule.dims.filter((dim) => d[dim] > rule.max);
      return { rule: rule.id, dims, detail: dims.map((dim) => `${dim} = ${d[dim]}`).join(', ') + ` > ${rule.max}` };
    }
    case 'multiple-of': {
      const dims = rule.dims.filter((dim) => d[dim] % rule.of !== 0);
      return { rule: rule.id, dims, detail: dims.map((dim) => `${dim} = ${d[dim]}`).join(', ') + ` not a multiple of ${rule.of}` };
    }
    case 'contiguous':
      return { rule: rule.id, dims: [], detail: `${rule.tensors.filter((t) => call.strided?.includes(t)).join(', ')} passed as a non-contiguous view` };
    case 'vector-length':
      return { rule: rule.id, dims: [], detail: `${rule.tensor} ${shape(s[rule.tensor])}, allowed lengths ${rule.lengths.join(' or ')} (m = ${d.m}, n = ${d.n})` };
    case 'tensor-shape':
      return { rule: rule.id, dims: [], detail: `${rule.tensor} ${shape(s[rule.tensor])}, allowed ${rule.forms.map((f) => `(${f.map(symbolText).join(', ')})`).join(' or ')} (m = ${d.m}, k = ${d.k}, n = ${d.n})` };
    case 'bias-shape':
      return { rule: rule.id, dims: [], detail: `bias ${shape(s.bias)} with an output of rank ${d.outRank}` };
    case 'non-empty':
      return { rule: rule.id, dims: [], detail: rule.tensors.filter((t) => (s[t as keyof CaseShapes] ?? []).some((x) => x === 0)).map((t) => `${t} ${shape(s[t as keyof CaseShapes])}`).join(', ') + ' empty' };
  }
}

function dimsOf(s: CaseShapes): { m: number; k: number; n: number; batch: number[] | null; outRank: number } {
  const m = s.x1.length >= 2 ? s.x1[s.x1.length - 2]! : 1;
  const k = s.x1[s.x1.length - 1] ?? 0;
  const n = s.weight.length >= 2 ? s.weight[s.weight.length - 2]! : 1;
  const batch = broadcastBatch(s.x1.slice(0, -2), s.weight.slice(0, -2));
  return { m, k, n, batch, outRank: (batch?.length ?? 0) + 2 };
}

function breaks(rule: ShapeRule, call: ShapeCall): boolean {
  const s = call.shapes;
  const d = dimsOf(s);
  switch (rule.kind) {
    case 'rank':
      return rule.tensors.some((t) => s[t].length < rule.min || s[t].length > rule.max);
    case 'contraction':
      return s.weight.length >= 2 && s.weight[s.weight.length - 1] !== d.k;
    case 'broadcast':
      return d.batch === null;
    case 'dim-limit':
      return rule.dims.some((dim) => d[dim] > rule.max);
    case 'multiple-of':
      return rule.dims.some((dim) => d[dim] % rule.of !== 0);
    case 'contiguous':
      return rule.tensors.some((t) => call.strided?.includes(t) ?? false);
    case 'vector-length': {
      const shape = s[rule.tensor];
      if (shape === null) return false;
      const allowed = rule.lengths.map((l) => (l === '1' ? 1 : l === 'm' ? d.m : d.n));
      // an empty vector is the non-empty rule's business, not a wrong length
      return shape.length !== 1 || (shape[0] !== 0 && !allowed.includes(shape[0]!));
    }
    case 'tensor-shape': {
      const shape = s[rule.tensor];
      if (shape === null || shape.some((x) => x === 0)) return false;
      return !rule.forms.some((f) => f.length === shape.length && f.every((sym, i) => symbolValue(sym, d) === shape[i]));
    }
    case 'bias-shape': {
      if (s.bias === null) return false;
      const bias = s.bias;
      return !rule.forms.some((f) => {
        if (f.outputRank !== null && f.outputRank !== d.outRank) return false;
        if (f.shape.length !== bias.length) return false;
        return f.shape.every((sym, i) => bias[i] === (sym === 'n' ? d.n : sym === 'm' ? d.m : sym === 'k' ? d.k
          : sym === 'batch' ? (d.batch?.length === 1 ? d.batch[0] : NaN) : Number(sym)));
      });
    }
    case 'non-empty':
      return rule.tensors.some((t) => {
        const shape = s[t as keyof CaseShapes];
        return shape !== null && shape.some((x) => x === 0);
      });
  }
}
