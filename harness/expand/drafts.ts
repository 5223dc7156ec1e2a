import { COLUMNS, type DtypeCombo } from '../dtypes';
import { matchesCondition } from '../spec/condition';
import { judgeCall } from '../spec/oracle';
import { brokenRules } from '../spec/shape-check';
import type { Distribution, Product, ShapeClass, Spec } from '../spec/types';
import type { CaseDraft } from './build';
import { comboKey } from './combos';
import { allowedCombos, comboSlug, rejectedCombos, withColumns, type AllowedCombo } from './dtype-cases';
import { edgeKindOf } from './edges';
import type { Profile } from './profiles';
import { paramsOf, shapesOf, withSides, type ShapeParams } from './shapes';
import { smokeAcceptedDrafts } from './smoke';

/** The shape the rejected dtype cases, guard probes and rule edges start from. */
export const BASE: ShapeParams = { m: 8, k: 32, n: 16, x1Batch: [], weightBatch: [], t: 'n', biasForm: '1d' };
const BASE_DIST = 'full-range';

const rowTag = (a: AllowedCombo): string => `${a.rows[0]!.table}-r${a.rows[0]!.row}`;
const has = (combo: DtypeCombo, input: 'offset' | 'bias' | 'pertoken_scale'): boolean => combo[input] !== null;

/** The shapes of a shape class for a combination: its dims, with the side tensors the spec's rules give. */
export function classShapes(spec: Spec, s: ShapeClass, combo: DtypeCombo): ReturnType<typeof shapesOf> {
  return shapesOf(combo, withSides(spec, combo, paramsOf(s)));
}

/**
 * A shape class applies to a combination that its `when` admits, that has a bias if the class shapes
 * one, and for which its shapes break no rule the combination is subject to (a batched class on a row
 * whose weight must be 2-D does not apply there).
 */
export function classApplies(spec: Spec, s: ShapeClass, combo: DtypeCombo): boolean {
  if (s.biasForm === '3d' && combo.bias === null) return false;
  if (!matchesCondition(spec, s.when, combo)) return false;
  return brokenRules(spec, { dtypes: combo, shapes: classShapes(spec, s, combo) }).length === 0;
}

export function distApplies(spec: Spec, d: Distribution, combo: DtypeCombo): boolean {
  return d.applies.every((input) => has(combo, input)) && matchesCondition(spec, d.when, combo);
}

/**
 * The distribution cases use where they need one (rejected cases, rule edges, variants): `full-range`
 * where it applies, else the first that does. Names carry no other meaning to the expansion.
 */
export function defaultDistribution(spec: Spec, combo: DtypeCombo): Distribution | undefined {
  const fits = spec.distributions.filter((d) => distApplies(spec, d, combo) && !d.tags.includes('undefined-input'));
  return fits.find((d) => d.id === BASE_DIST) ?? fits[0];
}

/**
 * Whether packed operands can hold the shapes: int4 eight to an int32 along k needs k to be a multiple
 * of 8 (an int32 tensor of (m, k/8) has no other k), so an edge past a multiple-of rule on a packed dim
 * does not exist as a call and is not built.
 */
export function packable(spec: Spec, combo: DtypeCombo, shapes: ReturnType<typeof shapesOf>): boolean {
  for (const role of ['x1', 'weight'] as const) {
    const p = spec.inputs.find((i) => i.role === role)?.packed.find((x) => x.dtype === combo[role]);
    if (!p) continue;
    const s = shapes[role];
    const dim = p.along === 'k' ? s[s.length - 1] : s[s.length - 2];
    if (dim === undefined || dim % p.per !== 0) return false;
  }
  return true;
}

/** The base shape for a combination: BASE with its side tensors, if it breaks no rule, else the first class that applies. */
export function baseParams(spec: Spec, combo: DtypeCombo): ShapeParams {
  const base = withSides(spec, combo, BASE);
  if (brokenRules(spec, { dtypes: combo, shapes: shapesOf(combo, base) }).length === 0) return base;
  const cls = spec.shapeClasses.find((s) => classApplies(spec, s, combo) && s.biasForm === '1d' && !s.x1Batch.length && !s.weightBatch.length);
  return cls ? withSides(spec, combo, paramsOf(cls)) : base;
}

function acceptedDraft(spec: Spec, product: Product, a: AllowedCombo, s: ShapeClass, d: Distribution): CaseDraft {
  return {
    product: product.id, path: `${rowTag(a)}/${comboSlug(a.combo)}/${s.id}`, expect: 'accept', rejectedBy: null,
    combo: a.combo, shapes: classShapes(spec, s, a.combo), shapeClass: s.id, distribution: d.id,
    source: a.rows[0]!.pos, rows: a.rows.map((r) => r.key), rules: [], tags: [...s.tags, ...d.tags], edge: null,
    ...(s.groupSizes ? { groupSizes: s.groupSizes } : {}),
  };
}

/** A pure function of (an object of the spec, a combination), answered once per pair for the life of the returned function. */
function memoByCombo<T extends object, R>(f: (x: T, c: DtypeCombo) => R): (x: T, c: DtypeCombo) => R {
  const seen = new Map<T, Map<string, R>>();
  return (x, c) => {
    let byCombo = seen.get(x);
    if (byCombo === undefined) seen.set(x, byCombo = new Map());
    const key = comboKey(c);
    if (!byCombo.has(key)) byCombo.set(key, f(x, c));
    return byCombo.get(key)!;
  };
}

/** baseParams of the spec, computed once per combination for the life of the returned function. */
function memoBase(spec: Spec): (c: DtypeCombo) => ShapeParams {
  const base = memoByCombo((s: Spec, c: DtypeCombo) => baseParams(s, c));
  return (c) => base(spec, c);
}

/** Accepted cases: every allowed combination on shape classes and distributions, per profile. */
export function acceptedDrafts(spec: Spec, product: Product, profile: Profile): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  const out: CaseDraft[] = [];
  if (profile === 'full') {
    for (const a of combos) for (const s of spec.shapeClasses) {
      // whether the class applies does not depend on the distribution: asked once per class and combination
      if (!classApplies(spec, s, a.combo)) continue;
      for (const d of spec.distributions) if (distApplies(spec, d, a.combo)) out.push(acceptedDraft(spec, product, a, s, d));
    }
    return out;
  }
  // smoke: the cases designed to kill (smoke.ts); then whatever class or distribution no case reached
  // gets one case on the first combination it applies to. The picks ask the same (class, combination)
  // and (distribution, combination) many times over: each is answered once.
  const cls = memoByCombo((s: ShapeClass, c: DtypeCombo): boolean => classApplies(spec, s, c));
  const dist = memoByCombo((d: Distribution, c: DtypeCombo): boolean => distApplies(spec, d, c));
  out.push(...smokeAcceptedDrafts(spec, product, (a, s, d) => acceptedDraft(spec, product, a, s, d), { cls, dist }));
  for (const s of spec.shapeClasses.filter((c) => !out.some((o) => o.shapeClass === c.id))) {
    const a = combos.find((c) => cls(s, c.combo) && defaultDistribution(spec, c.combo));
    if (a) out.push(acceptedDraft(spec, product, a, s, defaultDistribution(spec, a.combo)!));
  }
  for (const d of spec.distributions.filter((x) => !out.some((o) => o.distribution === x.id))) {
    const pairs = combos.filter((c) => dist(d, c.combo)).flatMap((c) => spec.shapeClasses.filter((s) => cls(s, c.combo)).map((s) => [c, s] as const));
    const pair = pairs.find(([, s]) => s.id === 'base') ?? pairs[0];
    if (pair) out.push(acceptedDraft(spec, product, pair[0], pair[1], d));
  }
  return out;
}

/**
 * The domain combinations the product's tables do not allow, once each, on the base shape: all of them in
 * the full profile. Smoke keeps the near misses (one column away from an allowed combination: a kernel
 * that drops one dtype check accepts one of those) and those a divergence speaks of; with int4 operands
 * and four outputs a domain has thousands of far misses that test nothing new.
 */
export function dtypeRejectDrafts(spec: Spec, product: Product, profile: Profile = 'full'): CaseDraft[] {
  const allowed = allowedCombos(spec, product).map((a) => a.combo);
  const near = (c: DtypeCombo): boolean => allowed.some((a) => {
    let off = 0;
    for (const k of COLUMNS) if (a[k] !== c[k] && ++off > 1) return false;
    return off === 1;
  });
  // a combination no table allows is rejected by the doc, so only a divergence the library accepts, for
  // this product and these dtypes, can apply: most far misses are settled without the oracle
  const mayDiverge = (c: DtypeCombo): boolean => spec.divergences.some((d) =>
    d.products.includes(product.id) && d.library === 'accept' && (d.when === null || matchesCondition(spec, d.when, c)));
  // the base shape is asked for twice per combination (the divergence check, then the draft)
  const baseOf = memoBase(spec);
  const diverges = (c: DtypeCombo): boolean => mayDiverge(c) && judgeCall(spec, { product: product.id, dtypes: c, shapes: shapesOf(c, baseOf(c)) }).divergence !== null;
  const combos = rejectedCombos(spec, product).filter((c) => profile === 'full' || near(c) || diverges(c));
  return combos.map((combo) => ({
    product: product.id, path: `outside-table/${comboSlug(combo)}/base`, expect: 'reject',
    // a combination the module's own guard refuses (mismatched operands) is refused there, before the op
    rejectedBy: guardOf(spec, combo) ?? { kind: 'dtype', rule: 'outside-table' }, combo, shapes: shapesOf(combo, baseOf(combo)),
    shapeClass: 'base', distribution: defaultDistribution(spec, combo)?.id ?? BASE_DIST, source: product.pos, rows: [], rules: [], tags: [], edge: null,
  }));
}

/** The module guard that refuses a combination, where the spec's target is the module and one does. */
function guardOf(spec: Spec, combo: DtypeCombo): CaseDraft['rejectedBy'] {
  if (spec.target !== 'module') return null;
  const g = spec.guards.find((x) => !x.allowed.some(([a, b]) => a === combo.x1 && b === combo.weight));
  return g ? { kind: 'module', rule: g.id, ...(g.raises ? { raises: g.raises } : {}) } : null;
}

/** The module's guards: each probe (x1/weight dtypes outside int8) on the first allowed combination. */
export function moduleGuardDrafts(spec: Spec, product: Product): CaseDraft[] {
  const first = allowedCombos(spec, product)[0];
  if (!first) return [];
  return spec.guards.flatMap((g) => g.probes.map(([x1, weight]): CaseDraft => {
    const combo = withColumns(first.combo, { x1, weight });
    return {
      product: product.id, path: `module/${g.id}/${comboSlug(combo)}/base`, expect: 'reject',
      rejectedBy: { kind: 'module', rule: g.id, ...(g.raises ? { raises: g.raises } : {}) }, combo, shapes: shapesOf(combo, baseParams(spec, first.combo)), shapeClass: 'base',
      distribution: defaultDistribution(spec, first.combo)?.id ?? BASE_DIST, source: g.pos, rows: [], rules: [], tags: [], edge: null,
    };
  }));
}

/**
 * Every shape rule at its edges: just inside (accept) and just outside (reject), on the first combination
 * that the rule applies to and that has the inputs it needs. An edge whose shapes also break another rule
 * that combination is subject to (an int4 row's multiple-of-8 rule for a k of 65536) moves to the next
 * combination; an edge no combination can carry is left out, and coverage shows the rule's missing side.
 */
export function ruleEdgeDrafts(spec: Spec, product: Product): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  const out: CaseDraft[] = [];
  const baseOf = memoBase(spec);
  for (const rule of spec.shapeRules) {
    const kind = edgeKindOf(rule);
    const fit = combos.filter((a) => kind.needs(rule).every((input) => has(a.combo, input)) && matchesCondition(spec, rule.when, a.combo)
      && defaultDistribution(spec, a.combo) !== undefined);
    // each edge once, on the first combination that carries it; and again on the first combination a
    // conditional divergence of the rule speaks of, so the divergence has a case
    const groups: [Set<string>, typeof fit][] = [[new Set<string>(), fit]];
    for (const d of spec.divergences.filter((x) => x.rule === rule.id && x.when !== null && x.products.includes(product.id))) {
      groups.push([new Set<string>(), fit.filter((a) => matchesCondition(spec, d.when!, a.combo))]);
    }
    for (const [done, bases] of groups) for (const base of bases) {
      for (const edge of kind.edges(rule, base.combo, baseOf(base.combo))) {
        if (done.has(edge.label) || !packable(spec, base.combo, edge.shapes)) continue;
        const verdict = judgeCall(spec, { product: product.id, dtypes: base.combo, shapes: edge.shapes, ...(edge.strided ? { strided: edge.strided } : {}) });
        const clean = edge.side === 'inside' ? verdict.expect === 'accept' : verdict.rejections.length > 0 && verdict.rejections.every((r) => r.kind === 'shape' && r.rule === rule.id);
        if (!clean) continue;
        done.add(edge.label);
        out.push({
          product: product.id, path: `rule/${rule.id}/${edge.label}/${comboSlug(base.combo)}`, expect: edge.side === 'inside' ? 'accept' : 'reject',
          rejectedBy: edge.side === 'inside' ? null : { kind: 'shape', rule: rule.id }, combo: base.combo, shapes: edge.shapes,
          shapeClass: `edge:${rule.id}:${edge.side}`, distribution: defaultDistribution(spec, base.combo)!.id, source: rule.pos, rows: base.rows.map((r) => r.key),
          rules: [rule.id], tags: edge.tags, edge: { rule: rule.id, side: edge.side, ...(edge.dim ? { dim: edge.dim } : {}) },
          ...(edge.strided ? { variant: { strided: true } } : {}),
        });
      }
    }
  }
  return out;
}
