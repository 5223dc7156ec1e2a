import { COLUMNS, cellToText, type CellValue, type Column, type DtypeCombo } from '../dtypes';
import type { CaseShapes, SourcePos } from './positions';
import { brokenRuleDims } from './shape-check';
import { matchesCondition, rowAllows } from './condition';
import { pathOf } from './numerics';
import type { DivergenceSpec, Product, Spec, TableRow } from './types';

/**
 * The contract as one function: what the spec says of a call. The expansion takes every case's expected
 * verdict from here, and `a8w8 explain` shows the same answer to a person, so the two cannot drift apart.
 */

/** A call as the contract sees it: effective dtypes (absent inputs null) and the shapes passed. */
export interface ContractCall {
  product: string;
  dtypes: DtypeCombo;
  shapes: CaseShapes;
  /** the module's own guards apply only when the module is called (default: the spec's target) */
  target?: 'module' | 'op';
  /** inputs passed as non-contiguous views (for `contiguous` rules) */
  strided?: readonly string[];
  /** the library versions of the run, where known; a divergence holds only for the versions it names */
  versions?: LibraryVersions;
}

/** torch_npu and CANN versions as the run's stamp has them; null or absent: not known. */
export interface LibraryVersions {
  torch_npu?: string | null;
  cann?: string | null;
}

/** One reason the doc rejects a call, with the spec's words for it and where they stand. */
export interface Rejection {
  /** `module`: the module's own guard; `dtype`: no table row allows the dtypes; `shape`: a shape rule */
  kind: 'module' | 'dtype' | 'shape';
  /** the guard or rule id, or `outside-table` */
  rule: string;
  /** the spec's quoted words for the rule */
  text: string;
  pos: SourcePos;
  /** for `dim-limit` rules: the dims past the limit; for dtype rejections: the nearest rows and what breaks them */
  detail: string;
  dims?: ('m' | 'k' | 'n')[];
}

/** A divergence of the shipped library that applies to the call. */
export interface AppliedDivergence {
  id: string;
  library: 'accept' | 'reject';
  condition: string;
  source: string;
  pos: SourcePos;
}

export interface ContractVerdict {
  /** the doc's verdict */
  expect: 'accept' | 'reject';
  /** every table row that allows the dtypes (empty when none does) */
  rows: TableRow[];
  /** every reason for a rejection, module guards first, then dtypes, then shape rules in spec order */
  rejections: Rejection[];
  /** the divergence that flips the doc's verdict for this call, if any */
  divergence: AppliedDivergence | null;
  /** the numeric path the spec's `numerics` names for the dtypes (null: none does) */
  path: string | null;
}

/** The rows of a product's tables that allow a combination. */
export function rowsAllowing(spec: Spec, product: Product, combo: DtypeCombo): TableRow[] {
  return spec.tables.filter((t) => product.tables.includes(t.id)).flatMap((t) => t.rows)
    .filter((row) => rowAllows(row, combo));
}

/** The spec's verdict on a call. The product must be one of the spec's (validated by the caller). */
export function judgeCall(spec: Spec, call: ContractCall): ContractVerdict {
  const product = spec.products.find((p) => p.id === call.product);
  if (!product) throw new RangeError(`judgeCall: unknown product '${call.product}'`);
  const rows = rowsAllowing(spec, product, call.dtypes);
  const rejections: Rejection[] = [];
  for (const g of (call.target ?? spec.target) === 'op' ? [] : spec.guards) {
    const pair = [call.dtypes.x1, call.dtypes.weight];
    if (!g.allowed.some(([a, b]) => a === pair[0] && b === pair[1])) {
      rejections.push({ kind: 'module', rule: g.id, text: g.text, pos: g.pos, detail: `x1 ${cellToText(pair[0]!)}, weight ${cellToText(pair[1]!)}` });
    }
  }
  if (rows.length === 0) {
    rejections.push({ kind: 'dtype', rule: 'outside-table', text: tablesText(spec, product), pos: product.pos, detail: nearestRows(spec, product, call.dtypes) });
  }
  for (const broken of brokenRuleDims(spec, { dtypes: call.dtypes, shapes: call.shapes, ...(call.strided ? { strided: call.strided } : {}) })) {
    const rule = spec.shapeRules.find((r) => r.id === broken.rule)!;
    rejections.push({
      kind: 'shape', rule: rule.id, text: rule.text, pos: rule.pos, detail: broken.detail,
      ...(broken.dims.length ? { dims: broken.dims } : {}),
    });
  }
  const expect = rejections.length === 0 ? 'accept' : 'reject';
  return { expect, rows, rejections, divergence: divergenceOf(spec, product, call, expect, rejections), path: pathOf(spec, call.dtypes) };
}

/**
 * The divergence that applies: one whose dtype condition (`when`, and the x1 rank) matches a call the doc
 * decides the other way, or one keyed to a shape rule (and dim) that is the call's only reason for
 * rejection, so a call that breaks anything else is still expected to be rejected.
 */
function divergenceOf(spec: Spec, product: Product, call: ContractCall, expect: 'accept' | 'reject', rejections: Rejection[]): AppliedDivergence | null {
  const applies = (d: DivergenceSpec): boolean => {
    if (!d.products.includes(product.id) || d.library === expect || !versionsHold(d, call.versions)) return false;
    if (d.when !== null && !matchesCondition(spec, d.when, call.dtypes)) return false;
    if (d.rule === null) return d.minRank === null || call.shapes.x1.length >= d.minRank;
    return rejections.length > 0 && rejections.every((r) => r.kind === 'shape' && r.rule === d.rule
      && (d.dim === null || (r.dims !== undefined && r.dims.every((x) => x === d.dim))));
  };
  const d = spec.divergences.find(applies);
  return d ? { id: d.id, library: d.library, condition: d.condition, source: d.source, pos: d.pos } : null;
}

/**
 * Whether a divergence holds for the run's library versions: each named library's version must start
 * with one of the divergence's prefixes. A version the run does not know matches, so both behaviours
 * stay admitted and the result says which one happened.
 */
export function versionsHold(d: Pick<DivergenceSpec, 'versions'>, v: LibraryVersions | undefined): boolean {
  const holds = (allowed: string[] | 'all', have: string | null | undefined): boolean =>
    allowed === 'all' || have === null || have === undefined || have === '' || allowed.some((p) => have.startsWith(p));
  return holds(d.versions.torch_npu, v?.torch_npu) && holds(d.versions.cann, v?.cann);
}

function tablesText(spec: Spec, product: Product): string {
  const titles = spec.tables.filter((t) => product.tables.includes(t.id)).map((t) => t.title);
  return `no row of ${titles.join(', ')} allows these dtypes`;
}

/** The rows that come closest (fewest columns off), each with the columns that break it. */
function nearestRows(spec: Spec, product: Product, combo: DtypeCombo): string {
  const all = spec.tables.filter((t) => product.tables.includes(t.id)).flatMap((t) => t.rows);
  const misses = all.map((row) => ({ row, off: COLUMNS.filter((c) => !row.cells[c].includes(combo[c])) }));
  const fewest = Math.min(...misses.map((m) => m.off.length));
  return misses.filter((m) => m.off.length === fewest)
    .map((m) => `${m.row.key}: ${m.off.map((c: Column) => `${c} ${show(combo[c])} not in ${m.row.text[c]}`).join(', ')}`)
    .join('; ');
}

const show = (v: CellValue): string => cellToText(v);
