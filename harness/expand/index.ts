import { UnknownNameError } from '../errors';
import type { Spec } from '../spec/types';
import { buildCase } from './build';
import type { Case } from './case';
import { acceptedDrafts, dtypeRejectDrafts, moduleGuardDrafts, ruleEdgeDrafts } from './drafts';
import type { Profile } from './profiles';
import { perfDrafts } from './perf';
import { variantDrafts } from './variants';

export interface ExpandOptions {
  profile: Profile;
  /** run seed; case seeds are hashSeed(seed, case id) */
  seed: number;
  /** only these products (all when empty) */
  products?: string[];
}

/**
 * Expands a spec into cases: accepted (table rows x shape classes x distributions), rejected (outside the
 * tables, module guards), rule edges from both sides, and call variants. Ids are unique; the order is
 * product, then family, then generation order, and does not depend on the seed.
 */
export function expandCases(spec: Spec, opts: ExpandOptions): Case[] {
  const known = spec.products.map((p) => p.id);
  for (const p of opts.products ?? []) if (!known.includes(p)) throw new UnknownNameError('product', p, known);
  const products = spec.products.filter((p) => !opts.products?.length || opts.products.includes(p.id));
  const cases = new Map<string, Case>();
  for (const product of products) {
    const drafts = [
      ...acceptedDrafts(spec, product, opts.profile),
      ...ruleEdgeDrafts(spec, product),
      ...variantDrafts(spec, product, opts.profile),
      ...perfDrafts(spec, product, opts.profile),
      ...dtypeRejectDrafts(spec, product, opts.profile),
      ...moduleGuardDrafts(spec, product),
    ];
    for (const d of drafts) {
      const c = buildCase(spec, d, opts.seed);
      if (!cases.has(c.id)) cases.set(c.id, c);
    }
  }
  return [...cases.values()];
}

export type { Case } from './case';

/**
 * Expands several specs, in the order given, into one list. A product filter names products of any of
 * them: a spec without the product adds no case, and a product no spec knows is an error.
 */
export function expandSpecs(specs: readonly Spec[], opts: ExpandOptions): Case[] {
  const known = [...new Set(specs.flatMap((s) => s.products.map((p) => p.id)))];
  for (const p of opts.products ?? []) if (!known.includes(p)) throw new UnknownNameError('product', p, known);
  return specs.flatMap((spec) => {
    const products = opts.products?.length ? opts.products.filter((p) => spec.products.some((x) => x.id === p)) : undefined;
    if (products && products.length === 0) return [];
    return expandCases(spec, { ...opts, ...(products ? { products } : {}) });
  });
}
