import { shapesOf } from '../shapes';
import type { EdgeKind, Edge } from './types';
import type { ShapeRule } from '../../spec/types';

type Rule = Extract<ShapeRule, { kind: 'rank' }>;

/** Ranks min and max inside; min-1 and max+1 outside, for each tensor the rule names. */
export const rank: EdgeKind<Rule> = {
  needs: () => [],
  edges(rule, combo, base) {
    const out: Edge[] = [];
    for (const t of rule.tensors) {
      for (const [side, r] of [['inside', rule.min], ['inside', rule.max], ['outside', rule.min - 1], ['outside', rule.max + 1]] as const) {
        if (r < 1) continue;
        const s = shapesOf(combo, { ...base, x1Batch: [], weightBatch: [], biasForm: '1d' });
        const full = t === 'x1' ? s.x1 : s.weight;
        // Rank r >= 2: leading ones; rank 1: only the last dim (k) is left.
        const shaped = r >= 2 ? [...Array<number>(r - 2).fill(1), ...full] : full.slice(-1);
        if (t === 'x1') s.x1 = shaped; else s.weight = shaped;
        // A rank-1 operand has no m (x1) or n (weight): they read as 1, so per-n and per-m inputs follow,
        // and the case breaks the rank rule only.
        if (r < 2 && t === 'x1' && s.pertoken_scale) s.pertoken_scale = [1];
        if (r < 2 && t === 'weight') {
          s.scale = [1];
          if (s.offset) s.offset = [1];
          if (s.bias) s.bias = [1];
        }
        out.push({ side, label: `${t}-rank-${r}`, shapes: s, tags: r > 2 ? ['broadcast'] : [] });
      }
    }
    return out;
  },
};
