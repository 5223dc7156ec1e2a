import type { DtypeCombo } from '../dtypes';
import type { Distribution, Product, ShapeClass, Spec } from '../spec/types';
import type { CaseDraft } from './build';
import { allowedCombos, comboSlug, rejectedCombos, withColumns, type AllowedCombo } from './dtype-cases';
import { edgeKindOf } from './edges';
import type { Profile } from './profiles';
import { paramsOf, shapesOf, type ShapeParams } from './shapes';
import { smokeAcceptedDrafts } from './smoke';

/** The shape the rejected dtype cases, guard probes and rule edges start from. */
export const BASE: ShapeParams = { m: 8, k: 32, n: 16, x1Batch: [], weightBatch: [], t: 'n', biasForm: '1d' };
const BASE_DIST = 'full-range';

const rowTag = (a: AllowedCombo): string => `${a.rows[0]!.table}-r${a.rows[0]!.row}`;
const has = (combo: DtypeCombo, input: 'offset' | 'bias' | 'pertoken_scale'): boolean => combo[input] !== null;

export function classApplies(s: ShapeClass, combo: DtypeCombo): boolean {
  return s.biasForm === '1d' || combo.bias !== null;
}

export function distApplies(d: Distribution, combo: DtypeCombo): boolean {
  return d.applies.every((input) => has(combo, input));
}

function acceptedDraft(product: Product, a: AllowedCombo, s: ShapeClass, d: Distribution): CaseDraft {
  return {
    product: product.id, path: `${rowTag(a)}/${comboSlug(a.combo)}/${s.id}`, expect: 'accept', rejectedBy: null,
    combo: a.combo, shapes: shapesOf(a.combo, paramsOf(s)), shapeClass: s.id, distribution: d.id,
    source: a.rows[0]!.pos, rows: a.rows.map((r) => r.key), rules: [], tags: [...s.tags, ...d.tags], edge: null,
  };
}

/** Accepted cases: every allowed combination on shape classes and distributions, per profile. */
export function acceptedDrafts(spec: Spec, product: Product, profile: Profile): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  const out: CaseDraft[] = [];
  if (profile === 'full') {
    for (const a of combos) for (const s of spec.shapeClasses) for (const d of spec.distributions) {
      if (classApplies(s, a.combo) && distApplies(d, a.combo)) out.push(acceptedDraft(product, a, s, d));
    }
    return out;
  }
  // smoke: the cases designed to kill (smoke.ts); then whatever class or distribution no case reached
  // gets one case on the first combination it applies to.
  out.push(...smokeAcceptedDrafts(spec, product, (a, s, d) => acceptedDraft(product, a, s, d), { cls: classApplies, dist: distApplies }));
  const fallbackDist = spec.distributions.find((d) => d.id === BASE_DIST) ?? spec.distributions[0]!;
  for (const s of spec.shapeClasses.filter((c) => !out.some((o) => o.shapeClass === c.id))) {
    const a = combos.find((c) => classApplies(s, c.combo));
    if (a) out.push(acceptedDraft(product, a, s, fallbackDist));
  }
  const baseClass = spec.shapeClasses.find((s) => s.id === 'base') ?? spec.shapeClasses[0]!;
  for (const d of spec.distributions.filter((x) => !out.some((o) => o.distribution === x.id))) {
    const a = combos.find((c) => distApplies(d, c.combo));
    if (a) out.push(acceptedDraft(product, a, baseClass, d));
  }
  return out;
}

/** Every domain combination the product's tables do not allow, once, on the base shape. */
export function dtypeRejectDrafts(spec: Spec, product: Product): CaseDraft[] {
  return rejectedCombos(spec, product).map((combo) => ({
    product: product.id, path: `outside-table/${comboSlug(combo)}/base`, expect: 'reject',
    rejectedBy: { kind: 'dtype', rule: 'outside-table' }, combo, shapes: shapesOf(combo, BASE),
    shapeClass: 'base', distribution: BASE_DIST, source: product.pos, rows: [], rules: [], tags: [], edge: null,
  }));
}

/** The module's guards: each probe (x1/weight dtypes outside int8) on the first allowed combination. */
export function moduleGuardDrafts(spec: Spec, product: Product): CaseDraft[] {
  const first = allowedCombos(spec, product)[0];
  if (!first) return [];
  return spec.guards.flatMap((g) => g.probes.map(([x1, weight]): CaseDraft => {
    const combo = withColumns(first.combo, { x1, weight });
    return {
      product: product.id, path: `module/${g.id}/${comboSlug(combo)}/base`, expect: 'reject',
      rejectedBy: { kind: 'module', rule: g.id, ...(g.raises ? { raises: g.raises } : {}) }, combo, shapes: shapesOf(combo, BASE), shapeClass: 'base',
      distribution: BASE_DIST, source: g.pos, rows: [], rules: [], tags: [], edge: null,
    };
  }));
}

/** Every shape rule at its edges: just inside (accept) and just outside (reject), on a combination that has the inputs it needs. */
export function ruleEdgeDrafts(spec: Spec, product: Product): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  const out: CaseDraft[] = [];
  for (const rule of spec.shapeRules) {
    const kind = edgeKindOf(rule);
    const base = combos.find((a) => kind.needs(rule).every((input) => has(a.combo, input)));
    if (!base) continue; // e.g. pertoken on a product without it: coverage reports the rule as not applicable
    for (const edge of kind.edges(rule, base.combo, BASE)) {
      out.push({
        product: product.id, path: `rule/${rule.id}/${edge.label}/${comboSlug(base.combo)}`, expect: edge.side === 'inside' ? 'accept' : 'reject',
        rejectedBy: edge.side === 'inside' ? null : { kind: 'shape', rule: rule.id }, combo: base.combo, shapes: edge.shapes,
        shapeClass: `edge:${rule.id}:${edge.side}`, distribution: BASE_DIST, source: rule.pos, rows: base.rows.map((r) => r.key),
        rules: [rule.id], tags: edge.tags, edge: { rule: rule.id, side: edge.side, ...(edge.dim ? { dim: edge.dim } : {}) },
      });
    }
  }
  return out;
}
