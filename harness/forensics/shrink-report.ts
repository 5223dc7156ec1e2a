/** The shrink report: the original and the minimal case side by side, as text or JSON. */
import { comboSlug } from '../expand/dtype-cases';
import type { Case } from '../expand/case';
import type { ResultRecord } from '../run/record';
import type { ShrinkResult } from './shrink';

/** Version of `shrink --json`: a public interface (bump with a README note on change). */
export const SHRINK_JSON_VERSION = 1;

/** The commands that replay a case on the backend and write its repro folder. */
export interface CaseCommands {
  replay: string;
  repro: string;
}

export interface ShrinkSide {
  caseId: string;
  shapes: Case['shapes'];
  dtypes: string;
  distribution: string;
  optionalInputs: string[];
  outcome: ResultRecord['outcome'];
  commands: CaseCommands;
}

function side(c: Case, r: ResultRecord, commands: CaseCommands): ShrinkSide {
  return {
    caseId: c.id, shapes: c.shapes, dtypes: comboSlug(c.dtypes), distribution: c.distribution,
    optionalInputs: (['offset', 'bias', 'pertoken_scale'] as const).filter((i) => c.dtypes[i] !== null),
    outcome: r.outcome, commands,
  };
}

export function shrinkJson(res: Extract<ShrinkResult, { status: 'shrunk' }>, commands: (c: Case) => CaseCommands): Record<string, unknown> {
  return {
    kind: 'a8w8-shrink', version: SHRINK_JSON_VERSION, calls: res.calls, budget: res.budget, exhausted: res.exhausted,
    original: side(res.original.case, res.original.record, commands(res.original.case)),
    minimal: side(res.minimal.case, res.minimal.record, commands(res.minimal.case)),
    steps: res.steps,
  };
}

const shape = (s: number[] | null): string => (s === null ? '-' : `[${s.join(', ')}]`);

function metricsText(o: ResultRecord['outcome']): string {
  const m = 'metrics' in o ? o.metrics : null;
  const base = o.status === 'fail' ? `fail: ${o.reason}` : o.status;
  return m ? `${base}; mismatches ${m.mismatches}/${m.count} (${(m.mismatchFraction * 100).toFixed(2)}%), max abs ${m.maxAbs}, max ulp ${m.maxUlp}` : base;
}

/** The side-by-side text: one row per property, original | minimal. */
export function shrinkText(res: Extract<ShrinkResult, { status: 'shrunk' }>, commands: (c: Case) => CaseCommands): string[] {
  const a = side(res.original.case, res.original.record, commands(res.original.case));
  const b = side(res.minimal.case, res.minimal.record, commands(res.minimal.case));
  const rows: [string, string, string][] = [
    ['case', a.caseId, b.caseId],
    ...(['x1', 'weight', 'scale', 'offset', 'bias', 'pertoken_scale'] as const).map((t): [string, string, string] => [t, shape(a.shapes[t]), shape(b.shapes[t])]),
    ['dtypes', a.dtypes, b.dtypes],
    ['distribution', a.distribution, b.distribution],
    ['optional inputs', a.optionalInputs.join(', ') || 'none', b.optionalInputs.join(', ') || 'none'],
    ['outcome', metricsText(a.outcome), metricsText(b.outcome)],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  const lines = [`shrink: ${res.calls} kernel call(s) of a budget of ${res.budget}${res.exhausted ? ' (budget spent: a smaller case may exist)' : ', fixpoint reached'}`];
  for (const [k, x, y] of rows) lines.push(`  ${k.padEnd(w)}  original: ${x}`, `  ${' '.repeat(w)}  minimal:  ${y}`);
  lines.push('original:', `  replay: ${a.commands.replay}`, `  repro:  ${a.commands.repro}`);
  lines.push('minimal:', `  replay: ${b.commands.replay}`, `  repro:  ${b.commands.repro}`);
  return lines;
}
