import { shapesOf } from '../shapes';
import type { Edge, EdgeKind } from './types';
import type { ShapeRule } from '../../spec/types';

type Rule = Extract<ShapeRule, { kind: 'contiguous' }>;

/** The inputs the `strided` variant passes as non-contiguous views (every other element of a buffer). */
export const STRIDED_INPUTS = ['x1', 'scale', 'pertoken_scale'] as const;

/**
 * Contiguous inputs (inside) and the strided variant's views (outside, when the rule names one of the
 * inputs that variant strides; otherwise the harness has no way to pass the rule's tensors strided, and
 * coverage shows the missing side).
 */
export const contiguous: EdgeKind<Rule> = {
  needs: () => [],
  edges(rule, combo, base) {
    const out: Edge[] = [{ side: 'inside', label: 'contiguous', shapes: shapesOf(combo, base), tags: [] }];
    if (rule.tensors.some((t) => (STRIDED_INPUTS as readonly string[]).includes(t))) {
      out.push({ side: 'outside', label: 'strided', shapes: shapesOf(combo, base), tags: ['strides'], strided: [...STRIDED_INPUTS] });
    }
    return out;
  },
};
