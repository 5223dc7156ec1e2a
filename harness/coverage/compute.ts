import { COLUMNS, cellToText, type Column } from '../dtypes';
import { matchesCondition } from '../spec/condition';
import type { Case } from '../expand/case';
import { allowedCombos } from '../expand/dtype-cases';
import { comboKey } from '../expand/combos';
import { domainCombos } from '../spec/semantic';
import type { Product, Spec, TableRow } from '../spec/types';
import { combosOfRow } from '../expand/combos';

/** The defect classes every profile must reach; `coverage` reports cases per class. */
export const DEFECT_CLASSES = [
  'tail', 'broadcast', 'tiny', 'bias-path', 'large', 'scale-rounding', 'saturation', 'nz', 'graph', 'op', 'repeat', 'strides',
] as const;

/** Cases that exercise one thing from each side, or why one side cannot exist. */
export interface SideCounts {
  accept: number;
  reject: number;
  /** set when a side cannot exist (then that side being empty is not a gap) */
  na: { side: 'reject' | 'both'; reason: string } | null;
}

export interface CellCoverage extends SideCounts { column: Column; alternative: string }
export interface RowCoverage extends SideCounts { row: string; cells: CellCoverage[]; line: number }
export interface RuleCoverage extends SideCounts { rule: string; line: number }

export interface ProductCoverage {
  product: string;
  rows: RowCoverage[];
  rules: RuleCoverage[];
  classes: Record<string, number>;
  divergences: Record<string, number>;
  /** human-readable gaps: exercised from one side only, or a defect class with no case */
  gaps: string[];
}

/** Coverage of a product's rows, cells, rules and defect classes by a case list. */
export function computeCoverage(spec: Spec, product: Product, cases: Case[]): ProductCoverage {
  const own = cases.filter((c) => c.product === product.id);
  const accepted = own.filter((c) => c.expect === 'accept');
  const allowed = new Set(allowedCombos(spec, product).map((a) => a.key));
  // a combination outside the tables that a module guard refuses first is still a rejected dtype case
  const rejectedByDtype = new Set(own.filter((c) => c.rejectedBy?.kind === 'dtype' || (c.rejectedBy?.kind === 'module' && !allowed.has(comboKey(c.dtypes))))
    .map((c) => comboKey(c.dtypes)));
  const domain = domainCombos(spec);
  const gaps: string[] = [];
  const rows: RowCoverage[] = [];
  for (const table of spec.tables.filter((t) => product.tables.includes(t.id))) {
    for (const row of table.rows) {
      const rowCases = accepted.filter((c) => c.rows.includes(row.key));
      const cells = COLUMNS.flatMap((col) => row.cells[col].map((alt): CellCoverage => {
        const misses = nearMisses(row, col, domain);
        const possible = misses.filter((k) => !allowed.has(k));
        return {
          column: col, alternative: cellToText(alt),
          accept: rowCases.filter((c) => c.dtypes[col] === alt).length,
          reject: possible.filter((k) => rejectedByDtype.has(k)).length,
          na: possible.length === 0 ? NO_NEAR_MISS : null,
        };
      }));
      const rowMisses = new Set(COLUMNS.flatMap((col) => nearMisses(row, col, domain)).filter((k) => !allowed.has(k)));
      const r: RowCoverage = {
        row: row.key, line: row.pos.line, cells, accept: rowCases.length,
        reject: [...rowMisses].filter((k) => rejectedByDtype.has(k)).length, na: rowMisses.size === 0 ? NO_NEAR_MISS : null,
      };
      rows.push(r);
      if (oneSided(r)) gaps.push(`${row.key}: ${describeSides(r)}`);
      for (const cell of cells) if (oneSided(cell)) gaps.push(`${row.key} ${cell.column}=${cell.alternative}: ${describeSides(cell)}`);
    }
  }
  const rules = spec.shapeRules.map((rule): RuleCoverage => {
    const ruleCases = own.filter((c) => c.rules.includes(rule.id));
    const r = {
      rule: rule.id, line: rule.pos.line,
      accept: ruleCases.filter((c) => c.expect === 'accept').length,
      reject: ruleCases.filter((c) => c.expect === 'reject').length,
      na: ruleCases.length === 0 && !applicable(rule.id, spec, product)
        ? { side: 'both' as const, reason: 'no allowed combination is subject to it' } : null,
    };
    if (oneSided(r)) gaps.push(`rule ${rule.id}: ${describeSides(r)}`);
    return r;
  });
  const classes = Object.fromEntries(DEFECT_CLASSES.map((t) => [t, own.filter((c) => c.tags.includes(t)).length]));
  for (const [t, n] of Object.entries(classes)) if (n === 0) gaps.push(`defect class ${t}: no case`);
  const divergences = Object.fromEntries(spec.divergences.filter((d) => d.products.includes(product.id))
    .map((d) => [d.id, own.filter((c) => c.divergence?.id === d.id).length]));
  for (const [d, n] of Object.entries(divergences)) if (n === 0) gaps.push(`divergence ${d}: no case`);
  return { product: product.id, rows, rules, classes, divergences, gaps };
}

/** Keys of domain combinations equal to a combination of the row in every column but `col`, and outside the row there. */
function nearMisses(row: TableRow, col: Column, domain: ReturnType<typeof domainCombos>): string[] {
  const rowKeys = new Set(combosOfRow(row).map((c) => COLUMNS.filter((k) => k !== col).map((k) => cellToText(c[k])).join(',')));
  return domain
    .filter((c) => !row.cells[col].includes(c[col]) && rowKeys.has(COLUMNS.filter((k) => k !== col).map((k) => cellToText(c[k])).join(',')))
    .map(comboKey);
}

/** Whether some allowed combination of the product is subject to the rule (its `when`, the input it constrains). */
function applicable(ruleId: string, spec: Spec, product: Product): boolean {
  const rule = spec.shapeRules.find((r) => r.id === ruleId);
  if (!rule) return false;
  const input = rule.kind === 'bias-shape' ? 'bias' : rule.kind === 'vector-length' || rule.kind === 'tensor-shape' ? rule.tensor : null;
  return allowedCombos(spec, product).some((a) => matchesCondition(spec, rule.when, a.combo) && (input === null || a.combo[input] !== null));
}

const NO_NEAR_MISS = { side: 'reject' as const, reason: 'no near miss exists' };

/** A gap: a side that can exist has no case. */
function oneSided(s: SideCounts): boolean {
  if (s.na?.side === 'both') return false;
  return s.accept === 0 || (s.na === null && s.reject === 0);
}

function describeSides(s: SideCounts): string {
  if (s.accept === 0 && s.reject === 0) return 'exercised from neither side';
  return s.accept === 0 ? `only rejected cases (${s.reject})` : `only accepted cases (${s.accept})`;
}
