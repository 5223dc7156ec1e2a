import { shapesOf } from '../shapes';
import type { EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

/** Inside: weight's k equals x1's; outside: weight's k is one more. */
export const contraction: EdgeKind<Extract<ShapeRule, { kind: 'contraction' }>> = {
  needs: () => [],
  edges(_rule, combo, base) {
    const inside = shapesOf(combo, base);
    const outside = shapesOf(combo, base);
    outside.weight = [...outside.weight.slice(0, -1), base.k + 1];
    return [
      { side: 'inside', label: 'k-equal', shapes: inside, tags: [] },
      { side: 'outside', label: 'k-mismatch', shapes: outside, tags: [] },
    ];
  },
};
