import type { DtypeCombo } from '../dtypes';
import { matchesWhen } from '../spec/semantic';
import type { Spec } from '../spec/types';
import type { Divergence } from './case';

/** Where a case sits relative to a shape rule, for rule-keyed divergences. */
export interface RuleEdgeRef {
  rule: string;
  side: 'inside' | 'outside';
  dim?: 'm' | 'k' | 'n';
}

/**
 * The divergence that applies to a case, if any (D1): the library is known to give the opposite of the
 * doc's verdict `expect` for this product, combination, rank or broken rule.
 */
export function divergenceFor(
  spec: Spec, product: string, combo: DtypeCombo, x1Rank: number, expect: 'accept' | 'reject', edge: RuleEdgeRef | null,
): Divergence | null {
  for (const d of spec.divergences) {
    if (!d.products.includes(product) || d.library === expect) continue;
    const applies = d.when !== null
      ? matchesWhen(d.when, combo) && (d.minRank === null || x1Rank >= d.minRank)
      : edge !== null && edge.side === 'outside' && edge.rule === d.rule && (d.dim === null || edge.dim === d.dim);
    if (applies) return { id: d.id, library: d.library, condition: d.condition, source: d.source };
  }
  return null;
}
