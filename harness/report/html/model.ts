import type { ElementDiff, Metrics } from '../../compare/types';
import type { Divergence } from '../../expand/case';
import type { OutcomeStatus } from '../../judge/outcome';
import { OUTCOME_STATUSES } from '../../judge/outcome';
import type { ResultRecord } from '../../run/record';
import type { Spec } from '../../spec/types';
import { placeCase, productSummary, type CellSummary, type RowKind } from '../matrix';
import { isUnexpected, outcomeReason } from '../outcome-text';

/**
 * The qualification matrix's view-model for the HTML page. Placement and counts come from the report
 * stage's `productSummary` (so every format agrees); this adds what only the page needs: each cell's
 * colour (its worst outcome), column labels, and the slim per-case data the page's script reads.
 */

export { OUTSIDE_ROW, placeCase } from '../matrix';
export { isUnexpected, outcomeReason, PROBLEM_STATUSES } from '../outcome-text';
export type { RowKind } from '../matrix';

export type Counts = Partial<Record<OutcomeStatus, number>>;

/** How bad an outcome is, for a cell's colour: the worst outcome of its cases wins. `skip` only colours a
 * cell whose cases were all skipped, so a row of passes with a few skips still reads green. */
export const SEVERITY: Record<OutcomeStatus, number> = {
  skip: 0, pass: 1, rejected: 1, divergence: 2, timeout: 3, error: 4,
  'unexpected-reject': 5, 'unexpected-accept': 6, fail: 7,
};

export interface CellModel extends CellSummary {
  /** the worst status present (by SEVERITY); `skip` for an empty cell */
  worst: OutcomeStatus;
}

export interface RowModel {
  /** `table2#1`, `outside`, `guard:<id>`, `rule:<id>` */
  key: string;
  kind: RowKind;
  label: string;
  /** the row's text from the spec (dtype alternatives, rule text), for a tooltip */
  detail: string | null;
  cells: Record<string, CellModel>;
  /** cases of this row that ended `divergence` (reported in their own column) */
  divergences: number;
  total: CellModel;
}

export interface ColumnModel { key: string; label: string; detail: string | null }

export interface MatrixModel {
  /** the spec id of the matrix's records: a matrix holds one spec's rows */
  spec: string;
  product: string;
  title: string | null;
  columns: ColumnModel[];
  rows: RowModel[];
  total: CellModel;
}

export const EDGE_INSIDE = 'edge:inside';
export const EDGE_OUTSIDE = 'edge:outside';

/** The worst status among counts (by SEVERITY). */
export function worstOf(counts: Counts): OutcomeStatus {
  let worst: OutcomeStatus = 'skip';
  for (const s of OUTCOME_STATUSES) if ((counts[s] ?? 0) > 0 && SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

function cellModel(c: CellSummary): CellModel {
  return { ...c, counts: { ...c.counts }, worst: worstOf(c.counts) };
}

export function emptyCell(): CellModel {
  return { counts: {}, total: 0, worst: 'skip', unexpected: 0 };
}

/** Adds one cell's counts into another (column totals). */
export function mergeCell(into: CellModel, from: CellModel | undefined): void {
  if (!from || from.total === 0) return;
  for (const [s, n] of Object.entries(from.counts) as [OutcomeStatus, number][]) into.counts[s] = (into.counts[s] ?? 0) + n;
  into.worst = worstOf(into.counts);
  into.total += from.total;
  into.unexpected += from.unexpected;
}

/** Products in spec order, then any others in the order records name them. */
export function productsOf(records: ResultRecord[], spec?: Spec): string[] {
  const seen = [...new Set(records.map((r) => r.product))];
  const ordered = (spec?.products ?? []).map((p) => p.id).filter((id) => seen.includes(id));
  return [...ordered, ...seen.filter((id) => !ordered.includes(id))];
}

/** The qualification matrix of one spec's records on one product, labelled from that spec. */
export function buildMatrix(records: ResultRecord[], specId: string, product: string, spec?: Spec): MatrixModel {
  const s = productSummary(records.filter((r) => r.spec === specId && r.product === product), product, spec);
  return {
    spec: specId,
    product,
    title: s.title,
    columns: s.shapeClasses.map((key) => ({ key, label: columnLabel(key), detail: columnDetail(key, spec) })),
    rows: s.rows.map((r) => ({
      key: r.key, kind: r.kind, label: r.label, detail: r.detail, divergences: r.divergences, total: cellModel(r.total),
      cells: Object.fromEntries(Object.entries(r.byShapeClass).map(([k, c]) => [k, cellModel(c)])),
    })),
    total: cellModel(s.total),
  };
}

function columnLabel(key: string): string {
  if (key === EDGE_INSIDE) return 'rule edge: inside';
  if (key === EDGE_OUTSIDE) return 'rule edge: outside';
  return key;
}

function columnDetail(key: string, spec?: Spec): string | null {
  if (key === EDGE_INSIDE) return 'just inside a shape rule\u2019s edge (accepted by the doc)';
  if (key === EDGE_OUTSIDE) return 'just outside a shape rule\u2019s edge (rejected by the doc)';
  const sc = spec?.shapeClasses.find((s) => s.id === key);
  if (sc) return `m=${sc.m} k=${sc.k} n=${sc.n}${sc.x1Batch.length ? ` x1 batch [${sc.x1Batch.join(',')}]` : ''}${sc.weightBatch.length ? ` weight batch [${sc.weightBatch.join(',')}]` : ''}`;
  const perf = key.startsWith('perf:') ? spec?.performance.find((p) => `perf:${p.id}` === key) : undefined;
  return perf ? `performance shape m=${perf.m} k=${perf.k} n=${perf.n}` : null;
}

/** Counts per status over a set of records, with every status present (zeros included). */
export function countStatuses(records: ResultRecord[]): Record<OutcomeStatus, number> {
  const out = Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, 0])) as Record<OutcomeStatus, number>;
  for (const r of records) out[r.outcome.status] += 1;
  return out;
}

/** What the page's script needs of one case: small, so a full profile's thousands of cases stay light. */
export interface CaseView {
  id: string;
  spec: string;
  product: string;
  status: OutcomeStatus;
  unexpected: boolean;
  flaky: boolean;
  unexpectedPass: boolean;
  expectation: string | null;
  row: string;
  col: string;
  rows: string[];
  shapeClass: string;
  path: string | null;
  reason: string | null;
  metrics: Metrics | null;
  worst: ElementDiff[];
  divergence: Divergence | null;
  replay: string;
  dtypes: string;
  shapes: string;
  distribution: string;
  tags: string[];
  attempts: number;
}

export function caseView(r: ResultRecord): CaseView {
  const o = r.outcome;
  const at = placeCase(r.case);
  const metrics = 'metrics' in o ? o.metrics : null;
  return {
    id: r.caseId, spec: r.spec, product: r.product, status: o.status, unexpected: isUnexpected(r), flaky: r.flaky,
    unexpectedPass: r.unexpectedPass, expectation: r.expectation?.reason ?? null,
    row: at.row, col: at.col, rows: r.case.rows, shapeClass: r.case.shapeClass, path: r.path,
    reason: outcomeReason(o), metrics, worst: o.status === 'fail' ? o.worst : [],
    divergence: r.case.divergence, replay: r.replay,
    dtypes: Object.entries(r.case.dtypes).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`).join(' '),
    shapes: Object.entries(r.case.shapes).filter(([, v]) => v !== null).map(([k, v]) => `${k}[${(v as number[]).join(',')}]`).join(' '),
    distribution: r.case.distribution, tags: r.case.tags, attempts: r.attempts,
  };
}
