import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

/** Inside: every dim 1 (the smallest non-empty case). Outside: one dim 0 per named tensor. */
export const nonEmpty: EdgeKind<Extract<ShapeRule, { kind: 'non-empty' }>> = {
  needs: () => [],
  edges(rule, combo, base) {
    const one = { ...base, m: 1, k: 1, n: 1, x1Batch: [], weightBatch: [], biasForm: '1d' as const };
    const out: Edge[] = [{ side: 'inside', label: 'all-ones', shapes: shapesOf(combo, one), tags: ['tiny'] }];
    const flat = { ...base, x1Batch: [], weightBatch: [], biasForm: '1d' as const };
    for (const t of rule.tensors) {
      const s = shapesOf(combo, flat);
      if (t === 'x1') s.x1 = [0, base.k];
      else if (t === 'weight') {
        // n = 0: per-n inputs become per-tensor (scale, offset) or empty (bias), breaking nothing else
        s.weight = [0, base.k];
        s.scale = [1];
        if (s.offset) s.offset = [1];
        if (s.bias) s.bias = [0];
      }
      else if (t === 'scale') s.scale = [0];
      else continue; // optional inputs: absent is their empty form, covered by the dtype cases
      if (t === 'x1' && s.pertoken_scale) s.pertoken_scale = [0];
      out.push({ side: 'outside', label: `${t}-empty`, shapes: s, tags: ['tiny'] });
    }
    return out;
  },
};
