import { shapesOf } from '../shapes';
import type { EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

/** Inside: two-sided broadcast (2,1) with (1,3); outside: batch 2 against batch 3. */
export const broadcast: EdgeKind<Extract<ShapeRule, { kind: 'broadcast' }>> = {
  needs: () => [],
  edges(_rule, combo, base) {
    return [
      { side: 'inside', label: 'two-sided', shapes: shapesOf(combo, { ...base, x1Batch: [2, 1], weightBatch: [1, 3], biasForm: '1d' }), tags: ['broadcast'] },
      { side: 'inside', label: 'one-sided', shapes: shapesOf(combo, { ...base, x1Batch: [3], weightBatch: [1], biasForm: '1d' }), tags: ['broadcast'] },
      { side: 'outside', label: 'incompatible', shapes: shapesOf(combo, { ...base, x1Batch: [2], weightBatch: [3], biasForm: '1d' }), tags: ['broadcast'] },
    ];
  },
};
