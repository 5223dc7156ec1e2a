import * as path from 'path';
import type { Case } from '../expand/case';
import { judgeCall, type AppliedDivergence, type Rejection } from '../spec/oracle';
import type { Spec } from '../spec/types';
import type { ExplainCall } from './call';

/** Version of `explain --json`: a public interface (bump with a README note on change). */
export const EXPLAIN_VERSION = 1;

/** What the contract says of one call, for a person (`a8w8 explain`) or a script (`--json`). */
export interface Explanation {
  version: typeof EXPLAIN_VERSION;
  spec: { file: string; hash: string };
  product: string;
  call: ExplainCall;
  /** `divergence`: the doc says `expect`, the shipped library is known to do the opposite */
  verdict: 'accept' | 'reject' | 'divergence';
  /** the doc's verdict */
  expect: 'accept' | 'reject';
  /** every table row that allows the dtypes, with its position */
  rows: { key: string; pos: Case['source'] }[];
  rejections: Rejection[];
  /** the numeric path an accepted call takes (null when rejected or no path computes these dtypes) */
  path: string | null;
  divergence: AppliedDivergence | null;
}

/** The contract oracle's answer plus the numeric path, as one record. */
export function explainCall(spec: Spec, call: ExplainCall): Explanation {
  const v = judgeCall(spec, { product: call.product, dtypes: call.dtypes, shapes: call.shapes, target: call.target });
  const runs = v.expect === 'accept' || v.divergence?.library === 'accept';
  const path = runs ? v.path : null;
  return {
    version: EXPLAIN_VERSION, spec: { file: spec.file, hash: spec.hash }, product: call.product, call,
    verdict: v.divergence ? 'divergence' : v.expect, expect: v.expect,
    rows: v.rows.map((r) => ({ key: r.key, pos: r.pos })), rejections: v.rejections, path, divergence: v.divergence,
  };
}

/** A spec position, relative to the working directory when under it (as lint prints them). */
const at = (p: Case['source']): string => {
  const rel = path.relative(process.cwd(), p.file);
  return `${rel.startsWith('..') || path.isAbsolute(rel) ? p.file : rel}:${p.line}:${p.column}`;
};

/** The explanation as lines of text. */
export function formatExplanation(e: Explanation): string[] {
  const head = e.verdict === 'divergence'
    ? `${e.product}: DIVERGENCE — the doc says ${e.expect}, the shipped library is known to ${e.divergence!.library}`
    : `${e.product}: ${e.verdict.toUpperCase()} (${e.verdict === 'accept' ? 'the doc allows this call' : 'the doc rejects this call'})`;
  const out = [head];
  if (e.call.dtypes.x1 === 'int32' || e.call.dtypes.weight === 'int32') {
    out.push(`  sizes below are logical: an int32 operand holds eight int4, so its packed dim counts 8x its storage (x1 [${e.call.shapes.x1.join(', ')}], weight (n, k) [${e.call.shapes.weight.join(', ')}])`);
  }
  out.push(e.rows.length
    ? `  allowed by: ${e.rows.map((r) => `${r.key} (${at(r.pos)})`).join(', ')}`
    : '  allowed by: no table row');
  if (e.rejections.length) {
    out.push('  rejected by:');
    for (const r of e.rejections) {
      const what = r.kind === 'module' ? 'module guard' : r.kind === 'dtype' ? 'dtype tables' : 'shape rule';
      out.push(`    - ${what} ${r.rule} (${at(r.pos)}): "${r.text}" — ${r.detail}`);
    }
  }
  out.push(`  numeric path: ${e.path ?? (e.expect === 'reject' && !e.divergence ? 'none (the call is rejected)' : 'none known for these dtypes')}`);
  out.push(e.divergence
    ? `  divergence ${e.divergence.id} (${at(e.divergence.pos)}): the library does ${e.divergence.library}: ${e.divergence.condition} [${e.divergence.source}]`
    : '  divergences: none apply');
  return out;
}
