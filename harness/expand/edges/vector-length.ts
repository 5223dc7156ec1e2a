import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

type Rule = Extract<ShapeRule, { kind: 'vector-length' }>;

/** Every allowed length inside; a length that is none of them, and a 2-D form, outside. */
export const vectorLength: EdgeKind<Rule> = {
  needs: (rule) => (rule.tensor === 'scale' ? [] : [rule.tensor]),
  edges(rule, combo, base) {
    const value = (sym: string): number => (sym === '1' ? 1 : sym === 'm' ? base.m : base.n);
    const allowed = rule.lengths.map(value);
    const out: Edge[] = [];
    for (const sym of rule.lengths) {
      const s = shapesOf(combo, base);
      s[rule.tensor] = [value(sym)];
      out.push({ side: 'inside', label: `len-${sym}`, shapes: s, tags: sym === '1' ? ['scale-rounding'] : [] });
    }
    // Lengths one past the largest allowed, and one short of it (if not itself allowed).
    const biggest = Math.max(...allowed);
    const wrong = [biggest + 1, biggest - 1].filter((l) => l > 0 && !allowed.includes(l));
    for (const l of wrong) {
      const s = shapesOf(combo, base);
      s[rule.tensor] = [l];
      out.push({ side: 'outside', label: `len-${l}`, shapes: s, tags: [] });
    }
    const twoD = shapesOf(combo, base);
    twoD[rule.tensor] = [1, biggest];
    out.push({ side: 'outside', label: 'two-d', shapes: twoD, tags: [] });
    return out;
  },
};
