import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

type Rule = Extract<ShapeRule, { kind: 'multiple-of' }>;

/**
 * Each named dim at the smallest multiple at or above the base (inside), and one past it and one short
 * of the next multiple (outside): a kernel that rounds a size to its packing unit, or reads a whole
 * unit past the end, shows on both.
 */
export const multipleOf: EdgeKind<Rule> = {
  needs: () => [],
  edges(rule, combo, base) {
    const out: Edge[] = [];
    for (const dim of rule.dims) {
      const inside = Math.max(rule.of, Math.ceil(base[dim] / rule.of) * rule.of);
      // half a unit past a multiple keeps a packed dim a whole number of int32 words where the unit allows
      const half = rule.of % 2 === 0 && rule.of > 2 ? [inside + rule.of / 2] : [];
      const sides: [Edge['side'], number][] = [['inside', inside], ['inside', inside + rule.of], ['outside', inside + 1], ['outside', inside + rule.of - 1],
        ...half.map((v): [Edge['side'], number] => ['outside', v])];
      for (const [side, v] of sides) {
        out.push({ side, label: `${dim}-${v}`, shapes: shapesOf(combo, { ...base, [dim]: v }), dim, tags: side === 'outside' ? ['tail'] : [] });
      }
    }
    return out;
  },
};
