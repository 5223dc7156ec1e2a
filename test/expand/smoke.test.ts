import assert from 'node:assert/strict';
import type { DtypeCombo } from '../../harness/dtypes';
import { expandCases } from '../../harness/expand';
import type { Case, CaseShapes } from '../../harness/expand/case';
import { comboKey } from '../../harness/expand/combos';
import { allowedCombos } from '../../harness/expand/dtype-cases';
import { pathOf } from '../../harness/spec/numerics';
import type { Spec } from '../../harness/spec/types';
import { realSpec } from '../helpers/spec';

/**
 * The smoke profile is designed to kill: these properties are computed from the spec,
 * so a spec change that opens a gap (a new row, distribution or shape form no smoke case meets) fails here.
 */
const SENSITIVE = ['saturation', 'scale-rounding', 'bias-path'];
const NEVER_JUDGED = 'undefined-input';
const MAX_SMOKE = 500;

const judged = (cases: Case[]): Case[] => cases.filter((c) => c.expect === 'accept' && !c.tags.includes(NEVER_JUDGED));
const inputsPresent = (combo: DtypeCombo, inputs: readonly string[]): boolean =>
  inputs.every((i) => combo[i as keyof DtypeCombo] !== null);

/** A legal shape of an input, written independently of the expansion: rule, input, the form's dims. */
interface Form { label: string; input: 'scale' | 'offset' | 'bias' | 'pertoken_scale'; dims: (string | number)[]; others: (string | number)[][] }

function formsOf(spec: Spec): Form[] {
  const out: Form[] = [];
  for (const r of spec.shapeRules) {
    if (r.kind === 'vector-length') {
      for (const l of r.lengths) out.push({ label: `${r.tensor}(${l})`, input: r.tensor, dims: [l], others: r.lengths.filter((x) => x !== l).map((x) => [x]) });
    } else if (r.kind === 'bias-shape') {
      for (const f of r.forms) out.push({ label: `bias(${f.shape.join(',')})`, input: 'bias', dims: f.shape, others: [] });
    }
  }
  return out;
}

/** Whether a case's input has the form, with every symbol of the form above 1 and unlike the other forms. */
function hasForm(s: CaseShapes, f: Form): boolean {
  const shape = s[f.input];
  if (!shape || shape.length !== f.dims.length) return false;
  const batch = [s.x1.slice(0, -2), s.weight.slice(0, -2)].sort((a, b) => b.length - a.length);
  const sym: Record<string, number> = {
    m: s.x1.at(-2)!, k: s.x1.at(-1)!, n: s.weight.at(-2)!,
    batch: batch[0]!.length ? Math.max(...batch.filter((b) => b.length === batch[0]!.length).map((b) => b[0]!)) : 1,
  };
  const val = (d: string | number) => (/^\d+$/.test(String(d)) ? Number(d) : sym[d as string]!);
  const symbolic = (d: string | number) => !/^\d+$/.test(String(d));
  return f.dims.every((d, i) => shape[i] === val(d) && (!symbolic(d) || val(d) > 1))
    && f.others.every((o) => o.length !== 1 || val(o[0]!) !== shape[0]);
}

describe('expand: the smoke profile is designed to kill', () => {
  const spec = realSpec();
  for (const product of spec.products) {
    describe(product.id, () => {
      const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: [product.id] });
      const combos = allowedCombos(spec, product);
      const paths = [...new Set(combos.map((a) => pathOf(spec, a.combo)))];

      it(`stays small (under ${MAX_SMOKE} cases)`, () => {
        assert.ok(cases.length < MAX_SMOKE, `${cases.length} cases`);
      });

      it('judges every accepted combination at least once (not only undefined-input cases)', () => {
        const seen = new Set(judged(cases).map((c) => comboKey(c.dtypes as DtypeCombo)));
        const gaps = combos.filter((a) => !seen.has(a.key)).map((a) => a.key);
        assert.deepEqual(gaps, []);
      });

      it('meets every rounding-, saturation- and bias-sensitive distribution on every numeric path', () => {
        const gaps: string[] = [];
        for (const p of paths) {
          for (const d of spec.distributions.filter((x) => x.tags.some((t) => SENSITIVE.includes(t)) && !x.tags.includes(NEVER_JUDGED))) {
            const applies = combos.some((a) => pathOf(spec, a.combo) === p && inputsPresent(a.combo, d.applies));
            if (!applies) continue;
            if (!judged(cases).some((c) => pathOf(spec, c.dtypes) === p && c.distribution === d.id)) gaps.push(`${p} x ${d.id}`);
          }
        }
        assert.deepEqual(gaps, []);
      });

      it('gives every input every legal shape form on every numeric path that has the input', () => {
        const gaps: string[] = [];
        for (const p of paths) {
          for (const f of formsOf(spec)) {
            if (!combos.some((a) => pathOf(spec, a.combo) === p && a.combo[f.input] !== null)) continue;
            if (!judged(cases).some((c) => pathOf(spec, c.dtypes) === p && hasForm(c.shapes, f))) gaps.push(`${p} x ${f.label}`);
          }
        }
        assert.deepEqual(gaps, []);
      });

      it('reaches every shape class and distribution at least once', () => {
        for (const s of spec.shapeClasses) assert.ok(cases.some((c) => c.shapeClass === s.id), s.id);
        for (const d of spec.distributions) assert.ok(cases.some((c) => c.distribution === d.id), d.id);
      });
    });
  }

  it('checks forms for real: the form test tells (n) from (1) and needs batch > 1 for (batch, 1, n)', () => {
    const forms = formsOf(spec);
    const byLabel = (l: string) => forms.find((f) => f.label === l)!;
    const s = (over: Partial<CaseShapes>): CaseShapes => ({ x1: [4, 8], weight: [16, 8], scale: [16], offset: null, bias: null, pertoken_scale: null, ...over });
    assert.ok(hasForm(s({}), byLabel('scale(n)')));
    assert.ok(!hasForm(s({}), byLabel('scale(1)')));
    assert.ok(hasForm(s({ scale: [1] }), byLabel('scale(1)')));
    assert.ok(!hasForm(s({ weight: [1, 8], scale: [1] }), byLabel('scale(n)')), 'n = 1 is no per-channel form');
    assert.ok(hasForm(s({ x1: [3, 4, 8], weight: [3, 16, 8], bias: [3, 1, 16] }), byLabel('bias(batch,1,n)')));
    assert.ok(!hasForm(s({ x1: [1, 4, 8], weight: [1, 16, 8], bias: [1, 1, 16] }), byLabel('bias(batch,1,n)')));
  });
});
