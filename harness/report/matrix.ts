import type { Case } from '../expand/case';
import type { OutcomeStatus } from '../judge/outcome';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { isUnexpected } from './outcome-text';
import { productTitle } from './release';

/**
 * The qualification matrix of a product: rows are table rows, "outside the table"
 * (dtype rejections), module guards and shape rules; columns are shape classes.
 */

/** Counts per outcome status; an absent status is 0. */
export type StatusCounts = Partial<Record<OutcomeStatus, number>>;

/** The cases of one matrix cell, one row, or one product. */
export interface CellSummary {
  total: number;
  counts: StatusCounts;
  /** cases counting toward the exit code (not as expected, or an unexpected pass) */
  unexpected: number;
}

/** The kind of a matrix row: a table row, outside the table (dtype rejections), a module guard, a shape rule. */
export type RowKind = 'table' | 'outside' | 'guard' | 'rule';

/** One row of a product's matrix. */
export interface RowSummary {
  /** `table2#1`, `outside`, `guard:<id>`, `rule:<id>` */
  key: string;
  kind: RowKind;
  /** `Table 2 row 1`, `outside the table`, `guard <id>`, `rule <id>` */
  label: string;
  /** the row's text from the spec (dtype alternatives, guard or rule text); null without a spec */
  detail: string | null;
  total: CellSummary;
  /** per column: a shape class id, `perf:<shape>`, or `edge:inside` / `edge:outside` for rule edges */
  byShapeClass: Record<string, CellSummary>;
  /** cases of the row that ended `divergence` (their own column) */
  divergences: number;
}

/** One product's matrix: rows × shape classes. */
export interface ProductSummary {
  product: string;
  title: string | null;
  total: CellSummary;
  rows: RowSummary[];
  /** column keys in display order */
  shapeClasses: string[];
}

export const OUTSIDE_ROW = 'outside';

/**
 * Where a case sits: rule-edge cases (`edge:<rule>:<side>`) in their rule's row, column inside/outside;
 * dtype rejections outside the table; guard and shape rejections in their guard's or rule's row;
 * accepted cases in their first table row (`rows[0]`), column their shape class.
 */
export function placeCase(c: Case): { row: string; col: string } {
  const edge = /^edge:(.+):(inside|outside)$/.exec(c.shapeClass);
  if (edge) return { row: `rule:${edge[1]}`, col: `edge:${edge[2]}` };
  const by = c.rejectedBy;
  if (by?.kind === 'dtype') return { row: OUTSIDE_ROW, col: c.shapeClass };
  if (by?.kind === 'module') return { row: `guard:${by.rule}`, col: c.shapeClass };
  if (by?.kind === 'shape') return { row: `rule:${by.rule}`, col: c.shapeClass };
  return { row: c.rows[0] ?? OUTSIDE_ROW, col: c.shapeClass };
}

function emptyCell(): CellSummary {
  return { total: 0, counts: {}, unexpected: 0 };
}

function add(cell: CellSummary, r: ResultRecord): void {
  cell.total += 1;
  cell.counts[r.outcome.status] = (cell.counts[r.outcome.status] ?? 0) + 1;
  if (isUnexpected(r)) cell.unexpected += 1;
}

/** The matrix of one product's records. */
export function productSummary(records: ResultRecord[], product: string, spec?: Spec): ProductSummary {
  const rows = new Map<string, RowSummary>();
  const columns = new Set<string>();
  const total = emptyCell();
  for (const r of records) {
    const at = placeCase(r.case);
    columns.add(at.col);
    const row = rows.get(at.row) ?? newRow(at.row, spec);
    rows.set(at.row, row);
    add((row.byShapeClass[at.col] ??= emptyCell()), r);
    add(row.total, r);
    add(total, r);
    if (r.outcome.status === 'divergence') row.divergences += 1;
  }
  return {
    product, title: productTitle(product, spec?.products.find((p) => p.id === product)?.title), total,
    rows: orderRows([...rows.values()], spec), shapeClasses: orderColumns([...columns], spec),
  };
}

function newRow(key: string, spec?: Spec): RowSummary {
  const base = { key, total: emptyCell(), byShapeClass: {}, divergences: 0 };
  if (key === OUTSIDE_ROW) return { ...base, kind: 'outside', label: 'outside the table', detail: 'dtype combinations no table row allows' };
  if (key.startsWith('guard:')) {
    const id = key.slice('guard:'.length);
    return { ...base, kind: 'guard', label: `guard ${id}`, detail: spec?.guards.find((g) => g.id === id)?.text ?? null };
  }
  if (key.startsWith('rule:')) {
    const id = key.slice('rule:'.length);
    return { ...base, kind: 'rule', label: `rule ${id}`, detail: spec?.shapeRules.find((s) => s.id === id)?.text ?? null };
  }
  const row = spec?.tables.flatMap((t) => t.rows).find((tr) => tr.key === key);
  const m = /^table(\w+)#(\d+)$/.exec(key);
  return {
    ...base, kind: 'table', label: m ? `Table ${m[1]} row ${m[2]}` : key,
    detail: row ? Object.entries(row.text).map(([col, text]) => `${col}=${text}`).join(' ') : null,
  };
}

const KIND_ORDER: Record<RowKind, number> = { table: 0, outside: 1, guard: 2, rule: 3 };

/** Table rows, outside, guards, rules; within a kind spec order where known, else natural order. */
function orderRows(rows: RowSummary[], spec?: Spec): RowSummary[] {
  const specOrder = spec ? [
    ...spec.tables.flatMap((t) => t.rows.map((r) => r.key)), ...spec.guards.map((g) => `guard:${g.id}`), ...spec.shapeRules.map((s) => `rule:${s.id}`),
  ] : [];
  const rank = (r: RowSummary): number => (specOrder.includes(r.key) ? specOrder.indexOf(r.key) : Number.MAX_SAFE_INTEGER);
  return rows.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || rank(a) - rank(b) || a.key.localeCompare(b.key, 'en', { numeric: true }));
}

/** Shape classes in spec order, performance shapes, others, then the two rule-edge columns. */
function orderColumns(keys: string[], spec?: Spec): string[] {
  const specOrder = [...(spec?.shapeClasses.map((s) => s.id) ?? []), ...(spec?.performance.map((p) => `perf:${p.id}`) ?? [])];
  const rank = (k: string): number => (k === 'edge:inside' ? 2e9 + 1 : k === 'edge:outside' ? 2e9 + 2 : specOrder.includes(k) ? specOrder.indexOf(k) : k.startsWith('perf:') ? 1e9 : 1e9 + 1);
  return keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

