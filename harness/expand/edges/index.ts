import type { ShapeRule } from '../../spec/types';
import { biasShape } from './bias-shape';
import { broadcast } from './broadcast';
import { contiguous } from './contiguous';
import { contraction } from './contraction';
import { dimLimit } from './dim-limit';
import { multipleOf } from './multiple-of';
import { nonEmpty } from './non-empty';
import { rank } from './rank';
import type { EdgeKind } from './types';
import { tensorShape } from './tensor-shape';
import { vectorLength } from './vector-length';

/** The registry: one edge generator per rule kind (the schema's closed set of kinds). */
const KINDS: { [K in ShapeRule['kind']]: EdgeKind<Extract<ShapeRule, { kind: K }>> } = {
  rank, contraction, broadcast, 'dim-limit': dimLimit, 'vector-length': vectorLength, 'bias-shape': biasShape,
  'non-empty': nonEmpty, 'multiple-of': multipleOf, contiguous, 'tensor-shape': tensorShape,
};

export function edgeKindOf<R extends ShapeRule>(rule: R): EdgeKind<R> {
  return KINDS[rule.kind] as unknown as EdgeKind<R>;
}

export type { Edge } from './types';
