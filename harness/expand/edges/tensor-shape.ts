import { symbolValue } from '../../spec/shape-check';
import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

type Rule = Extract<ShapeRule, { kind: 'tensor-shape' }>;

/**
 * Every form inside; outside, the first form with its last dim one longer, with its dims swapped (a
 * transposed side tensor), and flattened to one dim.
 */
export const tensorShape: EdgeKind<Rule> = {
  needs: (rule) => (rule.tensor === 'scale' ? [] : [rule.tensor]),
  edges(rule, combo, base) {
    const out: Edge[] = [];
    const value = (form: Rule['forms'][number]): number[] => form.map((sym) => Math.max(1, Math.round(symbolValue(sym, base))));
    const shaped = (shape: number[]) => {
      const s = shapesOf(combo, base);
      s[rule.tensor] = shape;
      return s;
    };
    rule.forms.forEach((f, i) => out.push({ side: 'inside', label: `form-${i + 1}`, shapes: shaped(value(f)), tags: [] }));
    const first = value(rule.forms[0]!);
    const allowed = rule.forms.map((f) => value(f).join('x'));
    const candidates: [string, number[]][] = [
      ['longer', [...first.slice(0, -1), first[first.length - 1]! + 1]],
      ['swapped', [...first].reverse()],
      ['flat', [first.reduce((a, b) => a * b, 1)]],
    ];
    for (const [label, shape] of candidates) {
      if (!allowed.includes(shape.join('x'))) out.push({ side: 'outside', label, shapes: shaped(shape), tags: [] });
    }
    return out;
  },
};
