import { fmt } from './outcome-text';
import type { PerfRow } from './perf';
import { releaseText } from './release';
import type { ReportSummary } from './summary';

/**
 * A Markdown summary sized for a merge-request comment: a verdict line, the counts, the
 * first unexpected outcomes with their replay commands, the divergences, and performance highlights.
 * Every list is capped, and the whole is cut at MAX_LINES however big the run: the full detail lives in
 * summary.json, junit.xml and the HTML report.
 */

/** Hard cap on the comment's lines. */
export const MAX_LINES = 60;

/** Caps on each list, chosen so the sections together stay under MAX_LINES. */
export interface MarkdownLimits {
  unexpected: number;
  divergences: number;
  perf: number;
  moves: number;
  history: number;
}

const LIMITS: MarkdownLimits = { unexpected: 10, divergences: 4, perf: 5, moves: 3, history: 8 };
const REASON_MAX = 160;

/** The Markdown summary; at most MAX_LINES lines. */
export function renderMarkdown(s: ReportSummary, limits: Partial<MarkdownLimits> = {}): string {
  const lim = { ...LIMITS, ...limits };
  const lines = [
    ...header(s), ...releaseSection(s), ...countsTable(s), ...unexpectedList(s, lim.unexpected), ...divergenceTable(s, lim.divergences),
    ...alternatives(s), ...perfSection(s, lim.perf, lim.moves), ...historySection(s, lim.history), ...footer(s),
  ];
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_LINES) {
    lines.length = MAX_LINES - 1;
    lines.push('_… cut to fit a comment: the full detail is in summary.json, junit.xml and report.html_');
  }
  return lines.join('\n') + '\n';
}

function header(s: ReportSummary): string[] {
  const verdict = s.verdict === 'empty' ? `⚪ **${md(s.title)}: no results**`
    : s.verdict === 'unexpected' ? `❌ **${md(s.title)}: ${s.unexpectedCount} unexpected of ${s.total} cases**`
    : `✅ **${md(s.title)}: all ${s.total} cases as expected**`;
  const meta: string[] = [];
  if (s.run) {
    // every spec of the run by id and hash where there are several; the one hash as before otherwise
    const specs = s.run.specs.length > 1 ? `specs ${s.run.specs.map((x) => `${md(x.id)} \`${x.hash.slice(0, 12)}\``).join(', ')}` : `spec \`${s.run.specHash.slice(0, 12)}\``;
    meta.push(`profile ${s.run.profile}`, `seed ${s.run.seed}`, specs, `harness ${s.run.harness}`);
  }
  if (s.simulated) meta.push('**simulated: not an NPU qualification**');
  if (s.flaky.length) meta.push(`${s.flaky.length} flaky (passed on a retry)`);
  return [`### ${verdict}`, ...(meta.length ? ['', meta.join(' · ')] : []), ''];
}

/** A set of several products or specs: one verdict line each, before anything else. */
function releaseSection(s: ReportSummary): string[] {
  if (s.release.length < 2) return [];
  // lines of several specs lead with the spec: the product alone repeats
  const several = new Set(s.release.map((l) => l.specId)).size > 1;
  return [...s.release.map((l) => `- ${l.verdict === 'unexpected' ? '❌' : '✅'} ${several ? `**${md(l.specId)}** · ` : ''}${md(releaseText(l))}`), ''];
}

/** Earlier runs of a folder of runs, newest first. */
function historySection(s: ReportSummary, max: number): string[] {
  const h = s.history;
  if (!h || h.length === 0) return [];
  // the spec column only where the runs hold several specs
  const several = new Set(h.map((r) => r.spec)).size > 1;
  const spec = (text: string): string => (several ? ` ${text} |` : '');
  return [
    `#### History (${new Set(h.map((r) => r.run)).size} run(s), newest first)`,
    `| run | started |${spec('spec')} product | backend | pass | unexpected | cases |`, `|---|---|${spec('---')}---|---|---:|---:|---:|`,
    ...h.slice(0, max).map((r) => `| ${md(r.run)} | ${r.startedAt ?? '–'} |${spec(md(r.spec))} ${r.product} | ${md(r.backend)}${r.simulated ? ' (simulated)' : ''} | ${r.pass} | ${r.unexpected} | ${r.total} |`),
    ...(h.length > max ? [`| … ${h.length - max} more row(s) in report.html | |${spec('')} | | | | |`] : []),
    '',
  ];
}

function countsTable(s: ReportSummary): string[] {
  const rows = Object.entries(s.counts).filter(([, n]) => n > 0);
  if (rows.length === 0) return [];
  return ['| outcome | cases |', '|---|---:|', ...rows.map(([k, n]) => `| ${k} | ${n} |`), ''];
}

function unexpectedList(s: ReportSummary, max: number): string[] {
  if (s.unexpected.length === 0) return [];
  const shown = s.unexpected.slice(0, max);
  return [
    `#### Unexpected (${s.unexpected.length}${s.unexpected.length > max ? `, first ${max}` : ''})`,
    ...shown.map((u) => `- **${u.unexpectedPass ? 'unexpected pass' : u.status}** \`${u.caseId}\`: ${md(clip(u.reason))} — replay: \`${u.replay}\``),
    ...(s.unexpected.length > max ? [`- … and ${s.unexpected.length - max} more`] : []),
    '',
  ];
}

function divergenceTable(s: ReportSummary, max: number): string[] {
  if (s.divergences.length === 0) return [];
  return [
    '#### Divergences (the shipped library did what a known divergence says, not what the doc says; not failures)',
    '| divergence | library | cases | source |', '|---|---|---:|---|',
    ...s.divergences.slice(0, max).map((d) => `| \`${d.id}\` | ${d.library}s | ${d.count} | ${md(clip(d.source, 60))} |`),
    ...(s.divergences.length > max ? [`| … ${s.divergences.length - max} more | | | |`] : []),
    '',
  ];
}

function alternatives(s: ReportSummary): string[] {
  if (s.alternatives.length === 0) return [];
  return [`Admissible alternatives matched (where the library's behaviour is unsettled): ${s.alternatives.map((a) => `\`${a.kind}\` in ${a.cases} case(s), ${a.elements} element(s)`).join('; ')}`, ''];
}

function perfSection(s: ReportSummary, maxRows: number, maxMoves: number): string[] {
  const rows = s.perf.rows;
  if (rows.length === 0 && !s.perf.baseline) return [];
  const out = [`#### Performance (${rows.length} timed case(s))`];
  for (const [product, peak] of Object.entries(s.perf.peaks)) {
    if (!rows.some((r) => r.product === product)) continue;
    out.push(`${product}: ${peak.int8Tops !== null ? `% of ${peakText(peak.int8Tops)} int8 peak (${peak.basis}: ${md(clip(peak.source, 200))})` : 'no peak known'}${peak.caveat ? ` — ${md(peak.caveat)}` : ''}`);
  }
  if (rows.length > 0) {
    const shown = [...rows].sort((a, b) => b.ops - a.ops || a.caseId.localeCompare(b.caseId)).slice(0, maxRows);
    out.push('', '| shape | path | TOPS | % peak | GB/s | speed vs float (same shape) |', '|---|---|---:|---:|---:|---|', ...shown.map(perfLine));
    if (rows.length > maxRows) out.push(`| … ${rows.length - maxRows} more | | | | | |`);
    if (s.perf.floatNote) out.push('', s.perf.floatNote);
  }
  const b = s.perf.baseline;
  if (b) {
    out.push('', `Baseline: **${b.regressions} regression(s)**, ${b.improvements} improvement(s), ${b.withinNoise} within noise, ${b.unjudged} unjudged (noise: ${b.noise})${b.warnings.length ? ` — ${md(b.warnings.join('; '))}` : ''}`);
    const flagged = b.moves.filter((m) => m.kind === 'regression').concat(b.moves.filter((m) => m.kind === 'improvement'));
    for (const m of flagged.slice(0, maxMoves)) out.push(`- ${m.kind} \`${m.shape}\` ${m.path ?? ''}: ${pct(m.change)} — ${m.why}`);
  }
  return [...out, ''];
}

function perfLine(r: PerfRow): string {
  const float = r.float ? `${fmt(r.float.speedup, 3)}× (${md(clip(r.float.label, 40))}: ${fmt(r.float.tops, 3)} TOPS)` : 'not measured';
  return `| ${r.shape} | ${r.path ?? ''} | ${fmt(r.tops, 3)} | ${r.pctPeak === null ? '–' : `${fmt(r.pctPeak, 3)}%`} | ${r.gbs === null ? '–' : fmt(r.gbs, 3)} | ${float} |`;
}

function footer(s: ReportSummary): string[] {
  if (s.skips.length === 0) return [];
  const total = s.skips.reduce((n, k) => n + k.count, 0);
  return [`${total} skipped: ${s.skips.slice(0, 3).map((k) => `${md(clip(k.reason, 80))} (${k.count})`).join('; ')}${s.skips.length > 3 ? '; …' : ''}`];
}

function peakText(tops: number): string {
  return tops < 1 ? `${fmt(tops * 1000, 4)} GOPS` : `${fmt(tops, 4)} TOPS`;
}

function pct(change: number): string {
  return `${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}%`;
}

function clip(s: string, max = REASON_MAX): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Escapes what would break a table cell or start markup: pipes, angle brackets, backticks. */
function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, "'");
}
