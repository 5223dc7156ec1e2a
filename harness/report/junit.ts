import type { RunEnvironment } from '../run/environment';
import { specProductGroups } from './groups';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { placeCase, productSummary } from './matrix';
import { recordedSpecs, specOf } from './specs';
import { specList } from './summary';
import { dtypesLine, elementLine, firstLine, isUnexpected, metricsLine, outcomeMetrics, outcomeReason, outcomeWorst, recordReason, shapesLine } from './outcome-text';
import { attrs, escapeText } from './xml';

/**
 * JUnit XML for Jenkins and GitLab: a <testsuite> per product and table row (the
 * matrix's rows: table rows, outside the table, guards, rules), a <testcase> per case.
 * - an unexpected outcome is a <failure> (an <error> for `error` and `timeout`: the case could not be
 *   judged), whose message is the reason and whose text adds the metrics, the worst elements, the
 *   dtypes and shapes, and the replay command;
 * - `skip` is <skipped> with its reason; an outcome an expectation file lists (an expected fail) is
 *   <skipped> too, as pytest reports an xfail, with the expectation's reason;
 * - `pass`, `rejected` and `divergence` pass (a divergence never fails), the latter two with a
 *   <system-out> line that says what happened.
 * classname is `<product>.<row>`, so Jenkins groups by product, then row; a set of several specs adds
 * the spec first (`<spec>.<product>.<row>`), each spec's rows labelled from that spec.
 */

/** Longest `message` attribute: CI UIs show it in one line; the full text is in the element's body. */
const MESSAGE_MAX = 300;

interface CaseXml {
  xml: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
  seconds: number;
}

/** The JUnit XML document for a result set. */
export function renderJunit(records: ResultRecord[], env: RunEnvironment | null, specs?: Spec | readonly Spec[], title?: string): string {
  const known = specList(specs);
  const name = title ?? (env ? `a8w8 ${env.backend} on ${env.product}` : 'a8w8');
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 };
  // a testsuite per spec, product and row: ids of several specs share products and row names
  const groups = specProductGroups(records);
  const several = new Set(groups.map((g) => g.spec)).size > 1;
  for (const { spec: specId, product, records: own } of groups) {
    const prefix = several ? `${specId} / ` : '';
    const classPrefix = several ? `${specId}.` : '';
    for (const row of productSummary(own, product, specOf(known, specId, several ? 2 : 1)).rows) {
      const cases = own.filter((r) => placeCase(r.case).row === row.key).map((r) => testcase(r, `${classPrefix}${product}.${row.key}`));
      const t = {
        tests: cases.length, failures: count(cases, 'failure'), errors: count(cases, 'error'), skipped: count(cases, 'skipped'),
        seconds: cases.reduce((s, c) => s + c.seconds, 0),
      };
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += t[k];
      const startedAt = own.filter((r) => placeCase(r.case).row === row.key).map((r) => r.startedAt).sort()[0];
      suites.push(
        `  <testsuite${attrs({
          name: `${prefix}${product} / ${row.label}`, tests: t.tests, failures: t.failures, errors: t.errors, skipped: t.skipped,
          time: secs(t.seconds), timestamp: startedAt?.replace(/\.\d+Z$|Z$/, ''),
        })}>\n${properties(env, several ? specId : null, product, row.key, row.detail)}${cases.map((c) => c.xml).join('')}  </testsuite>\n`,
      );
    }
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites${attrs({ name, tests: totals.tests, failures: totals.failures, errors: totals.errors, skipped: totals.skipped, time: secs(totals.seconds) })}>\n`
    + suites.join('') + '</testsuites>\n';
}

function count(cases: CaseXml[], k: 'failure' | 'error' | 'skipped'): number {
  return cases.filter((c) => c[k]).length;
}

function secs(s: number): string {
  return s.toFixed(3);
}

/** A suite's properties; `specId` is named for a set of several specs, and the hash is that spec's own. */
function properties(env: RunEnvironment | null, specId: string | null, product: string, row: string, detail: string | null): string {
  const props: [string, string][] = [...(specId ? [['spec', specId] as [string, string]] : []), ['product', product], ['row', row]];
  if (detail) props.push(['row.text', detail]);
  if (env) {
    const hash = specId ? recordedSpecs(env).find((x) => x.id === specId)?.hash : env.spec.hash;
    props.push(['backend', env.backend], ['profile', env.profile], ['seed', String(env.seed)], ['simulated', String(env.simulated)],
      ...(hash ? [['spec.hash', hash] as [string, string]] : []), ['harness', env.harness.version]);
  }
  return `    <properties>\n${props.map(([n, v]) => `      <property${attrs({ name: n, value: v })}/>\n`).join('')}    </properties>\n`;
}

function testcase(r: ResultRecord, classname: string): CaseXml {
  const seconds = r.timings.wallMs / 1000;
  const open = `    <testcase${attrs({ classname, name: r.caseId, time: secs(seconds) })}>\n`;
  const close = '    </testcase>\n';
  const o = r.outcome;
  const base = { seconds, failure: false, error: false, skipped: false };
  if (isUnexpected(r)) {
    const tag = o.status === 'error' || o.status === 'timeout' ? 'error' : 'failure';
    const type = r.unexpectedPass ? 'unexpected-pass' : o.status;
    const body = `      <${tag}${attrs({ message: clip(`${type}: ${recordReason(r)}`), type })}>${escapeText(failureText(r))}</${tag}>\n`;
    return { ...base, [tag]: true, xml: open + body + close };
  }
  if (o.status === 'skip') return { ...base, skipped: true, xml: `${open}      <skipped${attrs({ message: clip(o.reason) })}/>\n${close}` };
  if (r.expectation && o.status !== 'pass' && o.status !== 'rejected' && o.status !== 'divergence') {
    const message = `expected ${o.status} (expectation: ${r.expectation.reason}): ${firstLine(outcomeReason(o) ?? '')}`;
    return { ...base, skipped: true, xml: `${open}      <skipped${attrs({ message: clip(message) })}/>\n${close}` };
  }
  const notes: string[] = [];
  if (o.status === 'rejected') notes.push(`rejected as the doc says: ${outcomeReason(o)}`);
  if (o.status === 'divergence') notes.push(`divergence ${o.divergence.id} (the shipped library, not the doc: ${o.divergence.condition}; ${o.divergence.source}): ${o.detail}`);
  if (r.flaky) notes.push(`flaky: passed on attempt ${r.attempts} (a retry, --retries)`);
  const m = outcomeMetrics(o);
  if (m && Object.keys(m.alternatives).length > 0) notes.push(`alternatives matched: ${Object.entries(m.alternatives).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  const out = notes.length ? `      <system-out>${escapeText(notes.join('\n'))}</system-out>\n` : '';
  return { ...base, xml: out ? open + out + close : open.replace(/>\n$/, '/>\n') };
}

/** The failure's text: everything needed to understand and replay it without the harness's other files. */
function failureText(r: ResultRecord): string {
  const o = r.outcome;
  const lines = [`${r.unexpectedPass ? 'unexpected pass' : o.status}: ${outcomeReason(o) ?? recordReason(r)}`];
  if (r.unexpectedPass) lines.push(recordReason(r));
  const m = outcomeMetrics(o);
  if (m) lines.push(`metrics: ${metricsLine(m)}`);
  const worst = outcomeWorst(o);
  if (worst.length) lines.push('worst elements:', ...worst.map((d) => `  ${elementLine(d)}`));
  lines.push(`path: ${r.path ?? 'none'}`, `dtypes: ${dtypesLine(r)}`, `shapes: ${shapesLine(r)}`, `backend: ${r.backend} on ${r.device}${r.simulated ? ' (simulated)' : ''}`);
  if (r.expectation) lines.push(`expectation: ${r.expectation.expected.join('|')} (${r.expectation.reason})`);
  lines.push(`replay: ${r.replay}`);
  return lines.join('\n');
}

function clip(s: string): string {
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length <= MESSAGE_MAX ? one : `${one.slice(0, MESSAGE_MAX - 1)}…`;
}
