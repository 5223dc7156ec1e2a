import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

/**
 * Inside: (n) on a 2-D output, (n) and (batch,1,n) on a 3-D output. Outside: (batch,1,n) with a 2-D or
 * a 4-D output, (n+1), and (batch,2,n).
 */
export const biasShape: EdgeKind<Extract<ShapeRule, { kind: 'bias-shape' }>> = {
  needs: () => ['bias'],
  edges(_rule, combo, base) {
    const flat = { ...base, x1Batch: [], weightBatch: [], biasForm: '1d' as const };
    const batched = { ...base, x1Batch: [3], weightBatch: [3] };
    const out: Edge[] = [
      { side: 'inside', label: '1d-out2d', shapes: shapesOf(combo, flat), tags: ['bias-path'] },
      { side: 'inside', label: '1d-out3d', shapes: shapesOf(combo, { ...batched, biasForm: '1d' }), tags: ['bias-path', 'broadcast'] },
      { side: 'inside', label: '3d-out3d', shapes: shapesOf(combo, { ...batched, biasForm: '3d' }), tags: ['bias-path', 'broadcast'] },
    ];
    const threeOn2 = shapesOf(combo, flat);
    threeOn2.bias = [1, 1, base.n];
    const threeOn4 = shapesOf(combo, { ...base, x1Batch: [2, 3], weightBatch: [2, 3], biasForm: '1d' });
    threeOn4.bias = [6, 1, base.n];
    const longer = shapesOf(combo, flat);
    longer.bias = [base.n + 1];
    const midTwo = shapesOf(combo, { ...batched, biasForm: '3d' });
    midTwo.bias = [3, 2, base.n];
    out.push(
      { side: 'outside', label: '3d-out2d', shapes: threeOn2, tags: ['bias-path'] },
      { side: 'outside', label: '3d-out4d', shapes: threeOn4, tags: ['bias-path'] },
      { side: 'outside', label: 'len-n+1', shapes: longer, tags: ['bias-path'] },
      { side: 'outside', label: '3d-mid-2', shapes: midTwo, tags: ['bias-path'] },
    );
    return out;
  },
};
