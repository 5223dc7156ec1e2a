import type { Product, Spec } from '../spec/types';
import type { CaseDraft } from './build';
import { allowedCombos, comboSlug, type AllowedCombo } from './dtype-cases';
import { brokenRules } from '../spec/shape-check';
import { classApplies, classShapes, defaultDistribution } from './drafts';
import { STRIDED_INPUTS } from './edges/contiguous';
import { scaleBuildOf } from './scale-build';
import type { Profile } from './profiles';

type Variant = NonNullable<CaseDraft['variant']>;

/**
 * Cases for defect classes that need another way of calling, not other data (the tags of
 * docs/glossary.md): the weight in NZ (`nz`), graph mode (`graph`), the op with hand-built round_mode 1
 * scales (`scale-rounding`), repeated runs (`repeat`) and non-contiguous views (`strides`). Smoke: one per product and kind; full: per combination.
 */
export function variantDrafts(spec: Spec, product: Product, profile: Profile): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  // A variant names the class it prefers; a spec without that class takes the first small class with the
  // same defect tag that applies to the combination, else any small class that does.
  const small = spec.shapeClasses.filter((s) => !s.tags.includes('large'));
  const preferred: Record<string, string[]> = {
    'tail-17x33x47': ['tail'], 'doc-example': [], base: [], 'many-blocks-332x64x5320': ['tail'], 'tail-15x31x17': ['tail'],
  };
  const classFor = (id: string, combo: AllowedCombo['combo']) => {
    const own = spec.shapeClasses.find((s) => s.id === id);
    if (own) return classApplies(spec, own, combo) ? own : undefined;
    const tags = preferred[id] ?? [];
    return small.find((s) => s.tags.some((t) => tags.includes(t)) && classApplies(spec, s, combo))
      ?? small.find((s) => classApplies(spec, s, combo));
  };
  const pickCombos = (filter: (a: AllowedCombo) => boolean): AllowedCombo[] => {
    const matching = combos.filter(filter);
    return profile === 'full' ? matching : matching.slice(0, 1);
  };
  const nzClasses = profile === 'full'
    ? spec.shapeClasses.filter((s) => s.tags.some((t) => ['tail', 'broadcast', 'tiny'].includes(t)))
    : spec.shapeClasses.filter((s) => s.id === 'tail-17x33x47').concat(spec.shapeClasses.some((s) => s.id === 'tail-17x33x47') ? [] : small.filter((s) => s.tags.includes('tail')).slice(0, 1));
  const kinds: { name: string; variant: Variant; combos: AllowedCombo[]; classes: string[]; tags: string[] }[] = [
    { name: 'nz', variant: { weightFormat: 'NZ' }, combos: pickCombos(() => true), classes: nzClasses.map((s) => s.id), tags: ['nz'] },
    { name: 'graph', variant: { mode: 'graph' }, combos: pickCombos(() => true), classes: ['doc-example'], tags: ['graph'] },
    {
      name: 'op-rm1', variant: { target: 'op', scaleBuild: { roundMode: 1, packOffset: true } },
      combos: pickCombos((a) => a.combo.scale === 'int64'), classes: ['base'], tags: ['op', 'scale-rounding'],
    },
    // many blocks: nondeterminism shows between blocks and cores (the `repeat` tag), not inside one tile
    { name: 'repeat', variant: { repeat: 3 }, combos: pickCombos(() => true), classes: ['many-blocks-332x64x5320'], tags: ['repeat'] },
    // Strided views matter most for pertoken (the `strides` tag); a product without pertoken uses its first combination.
    {
      name: 'strided', variant: { strided: true }, classes: ['tail-15x31x17'], tags: ['strides'],
      combos: profile === 'full' ? combos : (combos.filter((a) => a.combo.pertoken_scale !== null).slice(0, 1).concat(combos.slice(0, 1))).slice(0, 1),
    },
  ];
  const out: CaseDraft[] = [];
  for (const k of kinds) {
    for (const a of k.combos) {
      for (const classId of k.classes) {
        const s = classFor(classId, a.combo);
        if (!s) continue;
        // a combination a contiguous rule covers rejects strided views: that is the rule's edge, not a variant
        if (k.variant.strided && brokenRules(spec, { dtypes: a.combo, shapes: classShapes(spec, s, a.combo), strided: STRIDED_INPUTS }).length) continue;
        const scaleBuild = k.variant.scaleBuild ? scaleBuildOf(a.combo.offset !== null, k.variant.scaleBuild.roundMode) : undefined;
        out.push({
          product: product.id, path: `${a.rows[0]!.table}-r${a.rows[0]!.row}/${comboSlug(a.combo)}/${s.id}`, expect: 'accept',
          rejectedBy: null, combo: a.combo, shapes: classShapes(spec, s, a.combo), shapeClass: s.id, distribution: defaultDistribution(spec, a.combo)?.id ?? 'full-range',
          source: a.rows[0]!.pos, rows: a.rows.map((r) => r.key), rules: [], tags: [...s.tags, ...k.tags], edge: null,
          variant: { ...k.variant, ...(scaleBuild ? { scaleBuild } : {}) },
        });
      }
    }
  }
  return out;
}
