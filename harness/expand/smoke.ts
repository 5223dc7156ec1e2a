import type { DtypeCombo } from '../dtypes';
import { hashSeed } from '../seed';
import { pathOf as specPathOf } from '../spec/numerics';
import type { Distribution, Product, ShapeClass, Spec } from '../spec/types';
import type { CaseDraft } from './build';
import type { CaseShapes } from './case';
import { comboKey } from './combos';
import { allowedCombos, type AllowedCombo } from './dtype-cases';
import { paramsOf, shapesOf } from './shapes';

/** Cases with this tag run for robustness only: the judge never looks at their numbers. */
export const UNJUDGED_TAG = 'undefined-input';

/**
 * Distribution tags that mark values where the numeric paths differ in rounding, saturation or the
 * accumulator: every path must meet every distribution carrying one of them.
 */
export const SENSITIVE_TAGS: readonly string[] = ['saturation', 'scale-rounding', 'bias-path'];

/** Optional inputs (and the scale) whose legal shapes the spec's shape rules list. */
export type FormInput = 'scale' | 'offset' | 'bias' | 'pertoken_scale';

/** One legal shape of an input, from a shape rule: `scale(n)`, `bias(batch,1,n)`. */
export interface InputForm {
  input: FormInput;
  label: string;
  /** true when the case's shapes take this form unambiguously (no symbol of the form is 1 by accident) */
  matches: (s: CaseShapes) => boolean;
}

/** The values of the shape symbols of a case: m, n, k, batch (the first broadcast batch dim). */
function symbolsOf(s: CaseShapes): Record<string, number> {
  const m = s.x1[s.x1.length - 2] ?? 1;
  const k = s.x1[s.x1.length - 1] ?? 1;
  const n = s.weight[s.weight.length - 2] ?? 1;
  const batches = [s.x1.slice(0, -2), s.weight.slice(0, -2)];
  const rank = Math.max(...batches.map((b) => b.length));
  const first = batches.filter((b) => b.length === rank).map((b) => b[0] ?? 1);
  return { m, n, k, batch: rank ? Math.max(...first) : 1 };
}

const valueOf = (sym: string | number, syms: Record<string, number>): number =>
  typeof sym === 'number' || /^\d+$/.test(sym) ? Number(sym) : syms[sym] ?? NaN;

/**
 * Every legal shape form of every input a shape rule constrains, read from the spec's `vector-length`
 * and `bias-shape` rules. A form matches only where its symbols are not 1 and differ from the other
 * forms' lengths: scale of length n with n = 1 is also the per-tensor form and shows no axis mistake.
 */
export function inputForms(spec: Spec): InputForm[] {
  const out: InputForm[] = [];
  for (const rule of spec.shapeRules) {
    if (rule.kind === 'vector-length') {
      for (const length of rule.lengths) {
        out.push({
          input: rule.tensor, label: `${rule.tensor}(${length})`,
          matches: (s) => {
            const shape = s[rule.tensor];
            if (shape === null || shape.length !== 1) return false;
            const syms = symbolsOf(s);
            const want = valueOf(length, syms);
            const symbolic = !/^\d+$/.test(length);
            return shape[0] === want && (!symbolic || want > 1)
              && rule.lengths.every((other) => other === length || valueOf(other, syms) !== want);
          },
        });
      }
    } else if (rule.kind === 'bias-shape') {
      for (const form of rule.forms) {
        out.push({
          input: 'bias', label: `bias(${form.shape.join(',')})`,
          matches: (s) => {
            if (s.bias === null || s.bias.length !== form.shape.length) return false;
            const syms = symbolsOf(s);
            return form.shape.every((d, i) => s.bias![i] === valueOf(d, syms) && (typeof d === 'number' || /^\d+$/.test(d) || syms[d]! > 1));
          },
        });
      }
    }
  }
  return out;
}

/** A requirement on the smoke profile's judged accepted cases, and how to meet it when nothing does. */
interface Need {
  key: string;
  met: (d: CaseDraft) => boolean;
  combos: AllowedCombo[];
  classes: (combo: DtypeCombo) => ShapeClass[];
  dists: (combo: DtypeCombo) => Distribution[];
}

export type AcceptedDraftFn = (a: AllowedCombo, s: ShapeClass, d: Distribution) => CaseDraft;

const pick = <T>(items: T[], key: string): T | undefined => items[hashSeed(0, key) % Math.max(items.length, 1)];
const judgedDraft = (d: CaseDraft): boolean => d.expect === 'accept' && !d.tags.includes(UNJUDGED_TAG);

/**
 * The smoke profile's accepted cases, designed to kill: every allowed combination gets one judged case;
 * every numeric path meets every rounding-, saturation- and accumulator-sensitive distribution that
 * applies to one of its combinations; every path takes every legal shape form of each input it has
 * (scale and offset of length 1 and n, bias (n) and (batch, 1, n), pertoken (m)). Picks (combination,
 * shape class, distribution) come from each requirement's own key, so they do not depend on the seed.
 */
export function smokeAcceptedDrafts(
  spec: Spec, product: Product, make: AcceptedDraftFn,
  applies: { cls: (s: ShapeClass, c: DtypeCombo) => boolean; dist: (d: Distribution, c: DtypeCombo) => boolean },
): CaseDraft[] {
  const combos = allowedCombos(spec, product);
  const small = spec.shapeClasses.filter((s) => !s.tags.includes('large'));
  const judgedDists = spec.distributions.filter((d) => !d.tags.includes(UNJUDGED_TAG));
  const classesFor = (c: DtypeCombo) => small.filter((s) => applies.cls(s, c));
  const distsFor = (c: DtypeCombo) => judgedDists.filter((d) => applies.dist(d, c));
  const pathOf = (c: DtypeCombo): string => specPathOf(spec, c) ?? 'none';
  const paths = [...new Set(combos.map((a) => pathOf(a.combo)))];

  const needs: Need[] = combos.map((a) => ({
    key: a.key, met: (d) => comboKey(d.combo) === a.key,
    combos: [a], classes: classesFor, dists: distsFor,
  }));
  for (const p of paths) {
    const own = combos.filter((a) => pathOf(a.combo) === p);
    for (const dist of judgedDists.filter((d) => d.tags.some((t) => SENSITIVE_TAGS.includes(t)))) {
      const fit = own.filter((a) => applies.dist(dist, a.combo));
      if (!fit.length) continue;
      needs.push({
        key: `${p}/${dist.id}`, met: (d) => pathOf(d.combo) === p && d.distribution === dist.id,
        combos: fit, classes: classesFor, dists: () => [dist],
      });
    }
    for (const form of inputForms(spec)) {
      const fit = own.filter((a) => a.combo[form.input] !== null);
      if (!fit.length) continue;
      const shaped = (c: DtypeCombo) => classesFor(c).filter((s) => form.matches(shapesOf(c, paramsOf(s))));
      needs.push({
        key: `${p}/${form.label}`, met: (d) => pathOf(d.combo) === p && form.matches(d.shapes),
        combos: fit.filter((a) => shaped(a.combo).length), classes: shaped, dists: distsFor,
      });
    }
  }

  const out: CaseDraft[] = [];
  for (const need of needs) {
    if (out.some((d) => judgedDraft(d) && need.met(d))) continue;
    const a = pick(need.combos, `${need.key}/combo`);
    if (!a) continue; // no combination and shape class can meet it: the test of the smoke profile says which
    const s = pick(need.classes(a.combo), `${need.key}/class`);
    const d = pick(need.dists(a.combo), `${need.key}/dist`);
    if (s && d) out.push(make(a, s, d));
  }
  return out;
}
