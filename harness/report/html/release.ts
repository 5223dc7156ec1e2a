import type { HistoryRow } from '../history';
import type { PerfComparison, PerfMove, TimingInterval } from '../perf-compare';
import { releaseText, type ReleaseLine } from '../release';
import { esc } from './escape';

/**
 * The parts of the page that come from the report's summary rather than from the records alone: the
 * verdict line per spec and product of a release, the history of a folder of runs, and the
 * performance moves against a baseline.
 */

/** One verdict line per spec and product; nothing for a set of one product. */
export function renderRelease(lines: ReleaseLine[]): string {
  if (lines.length < 2) return '';
  // lines of several specs lead with the spec: the product alone repeats
  const several = new Set(lines.map((l) => l.specId)).size > 1;
  return `<ul class="release" id="release">${lines.map((l) =>
    `<li class="verdict ${l.verdict === 'unexpected' ? 'bad' : 'ok'}" data-spec="${esc(l.specId)}" data-product="${esc(l.product)}" data-unexpected="${l.unexpected}">${several ? `<b>${esc(l.specId)}</b> \u00b7 ` : ''}${esc(releaseText(l))}</li>`).join('')}</ul>`;
}

/** Pass and unexpected counts per run, spec and product, newest first; the spec column only where specs differ. */
export function renderHistory(rows: HistoryRow[] | null): string {
  if (!rows || rows.length === 0) return '';
  const several = new Set(rows.map((r) => r.spec)).size > 1;
  const body = rows.map((r) => `<tr data-run="${esc(r.run)}" data-spec="${esc(r.spec)}" data-product="${esc(r.product)}"><td>${esc(r.run)}</td><td>${esc(r.startedAt ?? '\u2013')}</td>${several ? `<td>${esc(r.spec)}</td>` : ''}<td>${esc(r.product)}</td>`
    + `<td>${esc(r.backend)}${r.simulated ? ' <span class="muted">(simulated)</span>' : ''}</td><td class="num">${r.pass}</td><td class="num${r.unexpected ? ' bad' : ''}">${r.unexpected}</td><td class="num">${r.total}</td></tr>`).join('\n');
  return `<section id="history"><h2>History</h2><p class="muted">${new Set(rows.map((r) => r.run)).size} run(s), newest first; this report shows the newest in full.</p>
<table class="grid" id="history-table"><thead><tr><th>run</th><th>started</th>${several ? '<th>spec</th>' : ''}<th>product</th><th>backend</th><th>pass</th><th>unexpected</th><th>cases</th></tr></thead>
<tbody>${body}</tbody></table></section>`;
}

/** Moves against `--baseline` beyond noise (regressions first, then improvements), each with both intervals. */
export function renderBaseline(b: PerfComparison | null): string {
  if (!b) return '';
  const flagged = [...b.moves.filter((m) => m.kind === 'regression'), ...b.moves.filter((m) => m.kind === 'improvement')];
  const what = b.noise === 'ci95' ? '95% confidence intervals of the median' : 'p10\u2013p90 bands';
  const head = `<p id="baseline-counts"><b>${b.regressions} regression(s)</b>, ${b.improvements} improvement(s), ${b.withinNoise} within noise, ${b.unjudged} unjudged; a move counts only when the two runs\u2019 ${what} do not overlap.</p>`
    + b.warnings.map((w) => `<p class="caveat">${esc(w)}</p>`).join('');
  const table = flagged.length === 0 ? '<p class="muted">No move beyond noise.</p>'
    : `<table class="grid" id="baseline-moves"><thead><tr><th>move</th><th>case</th><th>shape</th><th>path</th><th>baseline median \u00b5s [interval]</th><th>current median \u00b5s [interval]</th><th>change</th></tr></thead>
<tbody>${flagged.map(moveRow).join('\n')}</tbody></table>`;
  return `<h3 id="baseline">Against the baseline</h3>${head}${table}`;
}

function moveRow(m: PerfMove): string {
  const span = (median: number, i: TimingInterval | null): string => `${median.toFixed(1)}${i ? ` [${i.lowUs.toFixed(1)}, ${i.highUs.toFixed(1)}]` : ''}`;
  return `<tr class="move-${m.kind}" data-case="${esc(m.caseId)}"><td>${m.kind}</td><td class="mono">${esc(m.caseId)}</td><td>${esc(m.shape)}</td><td>${esc(m.path ?? '')}</td>`
    + `<td class="num">${span(m.baselineMedianUs, m.baseline)}</td><td class="num">${span(m.currentMedianUs, m.current)}</td><td class="num">${m.change >= 0 ? '+' : ''}${(100 * m.change).toFixed(1)}%</td></tr>`;
}
