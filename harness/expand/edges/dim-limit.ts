import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

/**
 * Each limited dim at max (inside) and max+1 (outside), with the other dims small so one case stays
 * cheap and k and n never reach the limit together.
 */
export const dimLimit: EdgeKind<Extract<ShapeRule, { kind: 'dim-limit' }>> = {
  needs: () => [],
  edges(rule, combo, base) {
    const out: Edge[] = [];
    for (const dim of rule.dims) {
      for (const [side, v] of [['inside', rule.max], ['outside', rule.max + 1]] as const) {
        const p = { ...base, m: 2, k: 16, n: 16, x1Batch: [], weightBatch: [], biasForm: '1d' as const, [dim]: v };
        out.push({ side, label: `${dim}-${v}`, shapes: shapesOf(combo, p), dim, tags: ['large'] });
      }
    }
    return out;
  },
};
