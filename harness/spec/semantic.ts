import { COLUMNS, cellToText, type CellValue, type Column } from '../dtypes';
import { ErrorCode, type Diagnostic } from '../errors';
import { combosOfRow, comboKey } from './combos';
import { checkOpenLanguage } from './semantic-open';
import { matchesCondition, matchesDtypes } from './condition';
import { broadcastBatch } from './broadcast';
import { joinPointer, positionOf, type SpecSource } from './source';
import type { Generator, Spec } from './types';

type Emit = (segs: (string | number)[], expected: string, got: string, code: Diagnostic['code'], severity?: 'warning') => void;

/**
 * Checks what the schema cannot: references between sections, values outside the domain, duplicate ids,
 * and rules that contradict each other. Every problem is reported; nothing throws.
 */
export function checkSemantics(spec: Spec, src: SpecSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const emit: Emit = (segs, expected, got, code, severity) => {
    const pointer = joinPointer(segs);
    out.push({ file: src.file, ...positionOf(src, pointer), pointer, expected, got, code, ...(severity ? { severity } : {}) });
  };
  checkTables(spec, emit);
  checkIds(spec, emit);
  checkDivergences(spec, emit);
  checkFacts(spec, emit);
  checkShapeClasses(spec, emit);
  checkDistributions(spec, emit);
  checkOpenLanguage(spec, src, emit);
  return out;
}

function checkTables(spec: Spec, emit: Emit): void {
  const tableIds = new Set(spec.tables.map((t) => t.id));
  const used = new Set<string>();
  for (const p of spec.products) {
    p.tables.forEach((t, i) => {
      used.add(t);
      if (!tableIds.has(t)) emit(['products', p.id, 'tables', i], `a table defined in tables (${[...tableIds].join(', ')})`, `'${t}'`, ErrorCode.UNKNOWN_TABLE);
    });
  }
  for (const t of spec.tables) {
    if (!used.has(t.id)) emit(['tables', t.id], 'a table that some product lists', `table '${t.id}' named by no product`, ErrorCode.TABLE_UNUSED);
    t.rows.forEach((r, i) => {
      if (r.row !== i + 1) emit(['tables', t.id, 'rows', i, 'row'], `row number ${i + 1} (rows are numbered as in the doc, in order)`, `${r.row}`, ErrorCode.ROW_NUMBER);
      // a role no input (or two inputs) declares is reported once, at the inputs, not at every cell
      for (const c of COLUMNS.filter((x) => spec.inputs.filter((i) => i.role === x).length === 1)) {
        for (const v of r.cells[c]) {
          if (!spec.domain[c].includes(v)) {
            emit(['tables', t.id, 'rows', i, spec.inputs.find((x) => x.role === c)?.name ?? c], `a ${c} dtype of the domain (${spec.domain[c].map(cellToText).join(', ')})`, `'${cellToText(v)}'`, ErrorCode.DTYPE_OUTSIDE_DOMAIN);
          }
        }
      }
    });
  }
}

function checkIds(spec: Spec, emit: Emit): void {
  const dup = (section: string, ids: string[]): void => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) emit([section, i, 'id'], `a ${section} id used once`, `'${id}' again`, ErrorCode.DUPLICATE_ID);
      seen.add(id);
    });
  };
  dup('shapeRules', spec.shapeRules.map((r) => r.id));
  dup('divergences', spec.divergences.map((d) => d.id));
  dup('shapeClasses', spec.shapeClasses.map((s) => s.id));
  dup('distributions', spec.distributions.map((d) => d.id));
  const socOwner = new Map<string, string>();
  for (const p of spec.products) {
    p.socNames.forEach((s, i) => {
      const owner = socOwner.get(s);
      if (owner !== undefined) emit(['products', p.id, 'socNames', i], 'a SoC name that belongs to one product', `'${s}', already in ${owner}`, ErrorCode.DUPLICATE_SOC);
      else socOwner.set(s, p.id);
    });
  }
  spec.shapeRules.forEach((r, i) => {
    if (r.kind === 'rank' && r.min > r.max) emit(['shapeRules', i, 'min'], `min <= max (${r.max})`, `${r.min}`, ErrorCode.CONTRADICTION);
  });
}

/** The set of combination keys a product's tables allow. */
export function allowedKeys(spec: Spec, productId: string): Set<string> {
  const keys = new Set<string>();
  const product = spec.products.find((p) => p.id === productId);
  for (const t of spec.tables.filter((t) => product?.tables.includes(t.id))) {
    for (const r of t.rows) for (const c of combosOfRow(r)) keys.add(comboKey(c));
  }
  return keys;
}

function checkDivergences(spec: Spec, emit: Emit): void {
  const productIds = spec.products.map((p) => p.id);
  spec.divergences.forEach((d, i) => {
    d.products.forEach((p, j) => {
      if (!productIds.includes(p)) emit(['divergences', i, 'products', j], `a product (${productIds.join(', ')})`, `'${p}'`, ErrorCode.UNKNOWN_PRODUCT);
    });
    if (d.rule !== null) {
      const rule = spec.shapeRules.find((r) => r.id === d.rule);
      if (!rule) emit(['divergences', i, 'rule'], `a shape rule id (${spec.shapeRules.map((r) => r.id).join(', ')})`, `'${d.rule}'`, ErrorCode.UNKNOWN_RULE);
      else if (d.dim !== null && ((rule.kind !== 'dim-limit' && rule.kind !== 'multiple-of') || !rule.dims.includes(d.dim))) {
        emit(['divergences', i, 'dim'], `a dim the rule '${rule.id}' limits`, `'${d.dim}'`, ErrorCode.CONTRADICTION);
      }
    }
    if (d.when === null || d.rule !== null) return;
    // A divergence must contradict the doc somewhere: `reject` needs an allowed combination to apply to,
    // `accept` a combination the doc rejects.
    for (const p of d.products.filter((p) => productIds.includes(p))) {
      const allowed = allowedKeys(spec, p);
      const matching = domainCombos(spec).filter((c) => matchesCondition(spec, d.when!, c));
      const contradicts = matching.some((c) => allowed.has(comboKey(c)) === (d.library === 'reject'));
      if (!contradicts) {
        emit(['divergences', i, 'library'], `a combination on ${p} whose doc verdict is the opposite of '${d.library}'`, `none among the ${matching.length} it matches`, ErrorCode.CONTRADICTION);
      }
    }
  });
}

function checkFacts(spec: Spec, emit: Emit): void {
  for (const p of spec.products) {
    if (p.pertokenSupported?.value !== false) continue;
    for (const t of spec.tables.filter((t) => p.tables.includes(t.id))) {
      t.rows.forEach((r, i) => {
        if (r.cells.pertoken_scale.some((v) => v !== null)) {
          emit(['tables', t.id, 'rows', i, 'pertoken_scale'], `None only: ${p.id} says pertoken is unsupported`, `'${r.text.pertoken_scale}'`, ErrorCode.CONTRADICTION);
        }
      });
    }
  }
}

function checkShapeClasses(spec: Spec, emit: Emit): void {
  spec.shapeClasses.forEach((s, i) => {
    const batch = broadcastBatch(s.x1Batch, s.weightBatch);
    if (batch === null) {
      emit(['shapeClasses', i, 'weightBatch'], `batch dims that broadcast with x1Batch [${s.x1Batch.join(', ')}]`, `[${s.weightBatch.join(', ')}]`, ErrorCode.CONTRADICTION);
      return;
    }
    // rules with a `when` apply to some combinations only; the expansion keeps a class off those it breaks
    for (const r of spec.shapeRules.filter((x) => x.when.dtypes === null && x.when.rows === null)) {
      if (r.kind === 'rank' && r.min <= r.max) { // a rule with min > max is reported once, by checkIds
        for (const t of r.tensors) {
          const rank = (t === 'x1' ? s.x1Batch : s.weightBatch).length + 2;
          if (rank < r.min || rank > r.max) emit(['shapeClasses', i, t === 'x1' ? 'x1Batch' : 'weightBatch'], `a ${t} rank within rule '${r.id}' (${r.min}..${r.max})`, `rank ${rank}`, ErrorCode.CONTRADICTION);
        }
      }
      if (r.kind === 'dim-limit') {
        for (const d of r.dims) {
          if (s[d] > r.max) emit(['shapeClasses', i, d], `${d} <= ${r.max} (rule '${r.id}')`, `${s[d]}`, ErrorCode.CONTRADICTION);
        }
      }
      if (r.kind === 'bias-shape' && s.biasForm === '3d') {
        const form = r.forms.find((f) => f.shape.length === 3);
        const outRank = batch.length + 2;
        if (!form || (form.outputRank !== null && form.outputRank !== outRank) || batch.length !== 1) {
          emit(['shapeClasses', i, 'biasForm'], `a 3-D output for a 3-D bias (rule '${r.id}')`, `output rank ${outRank}`, ErrorCode.CONTRADICTION);
        }
      }
    }
  });
}

type GeneratedTensor = 'x1' | 'weight' | 'scale' | 'offset' | 'bias' | 'pertoken_scale';

/**
 * The generator kinds that make sense per tensor. x1 and weight are int8 data: integer generators only
 * (a `normal` is allowed; the data stage clamps its values to int8 and truncates them). The
 * accumulator-sized kinds belong to the tensor they size: output-range and low-mantissa to scale,
 * accumulator-scale and int32-range to bias.
 */
const KINDS: Record<GeneratedTensor, Generator['kind'][]> = {
  x1: ['uniform', 'choice', 'normal'],
  weight: ['uniform', 'choice', 'normal'],
  scale: ['uniform', 'choice', 'normal', 'output-range', 'low-mantissa', 'power-of-two'],
  offset: ['uniform', 'choice', 'normal', 'power-of-two'],
  bias: ['uniform', 'choice', 'normal', 'power-of-two', 'accumulator-scale', 'int32-range'],
  pertoken_scale: ['uniform', 'choice', 'normal', 'power-of-two'],
};

/** Generators that contradict themselves, do not fit their tensor, or leave int8 for x1 and weight. */
function checkDistributions(spec: Spec, emit: Emit): void {
  spec.distributions.forEach((d, i) => {
    for (const t of Object.keys(KINDS) as GeneratedTensor[]) {
      const g = d[t];
      if (g === null) continue;
      const at = (...segs: (string | number)[]): (string | number)[] => ['distributions', i, spec.inputs.find((x) => x.role === t)?.name ?? t, ...segs];
      if (!KINDS[t].includes(g.kind)) {
        emit(at('kind'), `a generator kind for ${t} (${KINDS[t].join(', ')})`, `'${g.kind}'`, ErrorCode.BAD_GENERATOR);
        continue;
      }
      if (g.kind === 'uniform' && Math.ceil(g.min) > Math.floor(g.max)) {
        emit(at('min'), `min <= max with an integer between them (max ${g.max})`, `${g.min}`, ErrorCode.CONTRADICTION);
        continue;
      }
      if (g.kind === 'power-of-two' && g.minExp > g.maxExp) {
        emit(at('minExp'), `minExp <= maxExp (${g.maxExp})`, `${g.minExp}`, ErrorCode.CONTRADICTION);
        continue;
      }
    }
  });
}

/** Every combination of the domain. */
export function domainCombos(spec: Spec): Record<Column, CellValue>[] {
  let acc: Record<string, CellValue>[] = [{}];
  for (const c of COLUMNS) acc = acc.flatMap((partial) => spec.domain[c].map((v) => ({ ...partial, [c]: v })));
  return acc as Record<Column, CellValue>[];
}

/** Whether a combination satisfies a dtype condition (kept for callers that have no spec at hand). */
export function matchesWhen(when: Partial<Record<Column, CellValue[]>>, combo: Record<Column, CellValue>): boolean {
  return matchesDtypes(when, combo);
}
