import type { DtypeCombo } from '../../dtypes';
import type { ShapeRule } from '../../spec/types';
import type { CaseShapes } from '../case';
import type { ShapeParams } from '../shapes';

/** One case at a rule's edge: just inside (must be accepted) or just outside (must be rejected). */
export interface Edge {
  side: 'inside' | 'outside';
  /** short, stable label for the case id, e.g. `x1-rank-7` */
  label: string;
  shapes: CaseShapes;
  /** the dim an outside edge breaks, for dim-limit divergences */
  dim?: 'm' | 'k' | 'n';
  tags: string[];
  /** inputs passed as non-contiguous views (the strided variant), for contiguity rules */
  strided?: string[];
}

/** The edges of one rule kind, and the optional inputs a combination needs for them to exist. */
export interface EdgeKind<R extends ShapeRule = ShapeRule> {
  needs(rule: R): ('offset' | 'bias' | 'pertoken_scale')[];
  edges(rule: R, combo: DtypeCombo, base: ShapeParams): Edge[];
}
