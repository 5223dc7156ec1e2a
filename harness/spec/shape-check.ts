import type { CaseShapes } from './positions';
import { broadcastBatch } from './broadcast';
import type { ShapeRule, Spec } from './types';

/**
 * The shape rules as predicates: which rules a set of shapes breaks. Independent of how the expansion
 * generates edges, so tests can hold the two against each other; backends that enforce no contract
 * (onnxruntime) use it to tell a rejected case from a runnable one.
 */
export function brokenRules(spec: Spec, s: CaseShapes): string[] {
  return spec.shapeRules.filter((r) => breaks(r, s)).map((r) => r.id);
}

/** A broken rule with what breaks it: the dims past a limit, and a line for a person. */
export interface BrokenRule {
  rule: string;
  dims: ('m' | 'k' | 'n')[];
  detail: string;
}

/** Every rule the shapes break, with the dims and values that break it (the contract oracle's view). */
export function brokenRuleDims(spec: Spec, s: CaseShapes): BrokenRule[] {
  return spec.shapeRules.filter((r) => breaks(r, s)).map((r) => describe(r, s));
}

function describe(rule: ShapeRule, s: CaseShapes): BrokenRule {
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
    case 'vector-length':
      return { rule: rule.id, dims: [], detail: `${rule.tensor} ${shape(s[rule.tensor])}, allowed lengths ${rule.lengths.join(' or ')} (m = ${d.m}, n = ${d.n})` };
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

function breaks(rule: ShapeRule, s: CaseShapes): boolean {
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
    case 'vector-length': {
      const shape = s[rule.tensor];
      if (shape === null) return false;
      const allowed = rule.lengths.map((l) => (l === '1' ? 1 : l === 'm' ? d.m : d.n));
      // an empty vector is the non-empty rule's business, not a wrong length
      return shape.length !== 1 || (shape[0] !== 0 && !allowed.includes(shape[0]!));
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
