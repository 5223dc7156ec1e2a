import type { Product, Spec } from '../spec/types';
import type { CaseDraft } from './build';
import { allowedCombos, comboSlug } from './dtype-cases';
import type { Profile } from './profiles';
import { BASE } from './drafts';
import { shapesOf } from './shapes';

/**
 * Performance cases: each shape of the spec's `performance` list once per output dtype, on the first
 * combination that produces it (plain: no offset, int32 bias where allowed, no pertoken), tagged `perf`
 * so backends time them. Smoke keeps the shapes marked `smoke`.
 */
export function perfDrafts(spec: Spec, product: Product, profile: Profile): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  const outputs = [...new Set(combos.map((a) => a.combo.output_dtype))];
  const out: CaseDraft[] = [];
  for (const shape of spec.performance.filter((p) => profile === 'full' || p.smoke)) {
    for (const output of outputs) {
      const plain = combos.filter((a) => a.combo.output_dtype === output && a.combo.offset === null && a.combo.pertoken_scale === null);
      const a = plain.find((x) => x.combo.bias === 'int32') ?? plain[0] ?? combos.find((x) => x.combo.output_dtype === output)!;
      out.push({
        product: product.id, path: `perf/${shape.id}/${comboSlug(a.combo)}`, expect: 'accept', rejectedBy: null,
        combo: a.combo, shapes: shapesOf(a.combo, { ...BASE, m: shape.m, k: shape.k, n: shape.n }), shapeClass: `perf:${shape.id}`,
        distribution: 'full-range', source: shape.pos, rows: a.rows.map((r) => r.key), rules: [], tags: ['perf'], edge: null,
      });
    }
  }
  return out;
}
