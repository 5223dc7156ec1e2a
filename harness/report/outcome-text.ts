import type { ElementDiff, Metrics } from '../compare/types';
import type { Outcome, OutcomeStatus } from '../judge/outcome';
import type { ResultRecord } from '../run/record';

/** Outcomes a human must look at, whatever an expectation file says about them. */
export const PROBLEM_STATUSES: ReadonlySet<OutcomeStatus> = new Set(['fail', 'unexpected-accept', 'unexpected-reject', 'error', 'timeout']);

/** Counts toward the exit code: not as expected, or a pass the expectation file says should fail. */
export function isUnexpected(r: ResultRecord): boolean {
  return !r.asExpected || r.unexpectedPass;
}

/** The one-line reason of an outcome; null for a pass. */
export function outcomeReason(o: Outcome): string | null {
  switch (o.status) {
    case 'pass': return null;
    case 'fail': return o.reason;
    case 'rejected': case 'unexpected-reject': return `${o.errorType} (${o.errorClass} error): ${o.message}`;
    case 'unexpected-accept': return 'the doc rejects this case; the kernel ran it';
    case 'divergence': return `${o.divergence.id}: ${o.detail}`;
    case 'error': return o.message;
    case 'timeout': return `no answer within ${o.limitMs} ms`;
    case 'skip': return o.reason;
  }
}

/** Why a record needs attention, in one line (an unexpected pass says which expectation it broke). */
export function recordReason(r: ResultRecord): string {
  if (r.unexpectedPass) {
    return `passed, but the expectation file says ${r.expectation?.expected.join('|') ?? 'otherwise'}${r.expectation ? ` (${r.expectation.reason})` : ''}`;
  }
  return firstLine(outcomeReason(r.outcome) ?? 'pass');
}

/** The metrics an outcome carries, or null. */
export function outcomeMetrics(o: Outcome): Metrics | null {
  return 'metrics' in o ? o.metrics : null;
}

/** The worst elements an outcome carries (only `fail` keeps them). */
export function outcomeWorst(o: Outcome): ElementDiff[] {
  return o.status === 'fail' ? o.worst : [];
}

/** Metrics in one line, e.g. `mismatches 3/256 (1.17%), maxAbs 2, maxUlp 1, NaN 0, alternatives int8-tie-other=2`. */
export function metricsLine(m: Metrics): string {
  const alts = Object.entries(m.alternatives).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `mismatches ${m.mismatches}/${m.count} (${fmt(100 * m.mismatchFraction, 3)}%)`,
    `maxAbs ${fmt(m.maxAbs)}`, `maxRel ${fmt(m.maxRel)}`, `maxUlp ${fmt(m.maxUlp)}`, `NaN ${m.nanCount}`,
    `mean error ${fmt(m.meanSignedError)}`, `vs ideal ${fmt(m.meanSignedErrorVsIdeal)}`,
    ...(alts ? [`alternatives ${alts}`] : []),
  ].join(', ');
}

/** One worst element in one line: where, what came out, what was expected. */
export function elementLine(d: ElementDiff): string {
  return `[${d.at.join(',')}] actual ${fmt(d.actual)} expected ${fmt(d.expected)} ideal ${fmt(d.ideal)} |err| ${fmt(d.absError)} ulps ${fmt(d.ulps)}`;
}

/**
 * A number for humans: up to `digits` significant digits. null stands for NaN or ±Infinity, which
 * JSON writes as null (results.jsonl keeps them so), and prints as `non-finite`.
 */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return 'non-finite';
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return String(Number(x.toPrecision(digits)));
}

/** The first line of a message (backend messages may carry tracebacks). */
export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** dtypes of a case in one compact line, `x1=int8 weight=int8 scale=float32 ... out=float16`. */
export function dtypesLine(r: ResultRecord): string {
  const d = r.case.dtypes;
  return `x1=${d.x1} w=${d.weight} scale=${d.scale} offset=${d.offset ?? 'None'} bias=${d.bias ?? 'None'} pertoken=${d.pertoken_scale ?? 'None'} out=${d.output_dtype}`;
}

/** Input shapes of a case in one compact line. */
export function shapesLine(r: ResultRecord): string {
  const s = r.case.shapes;
  const dims = (x: number[] | null): string => (x === null ? 'None' : `[${x.join(',')}]`);
  return `x1${dims(s.x1)} w${dims(s.weight)} scale${dims(s.scale)} offset${dims(s.offset)} bias${dims(s.bias)} pertoken${dims(s.pertoken_scale)}`;
}
