import type { OutcomeStatus } from '../../judge/outcome';
import type { ResultRecord } from '../../run/record';
import { esc } from './escape';
import { statusBadges } from './header';
import { countStatuses, PROBLEM_STATUSES } from './model';

/**
 * The divergence section (divergences are reported apart, with their reasons) and the shell of the
 * case list and its drill-down dialog, which the page's script fills from the embedded case data.
 */

export interface DivergenceSummary {
  /** the spec id of its cases: divergence ids are a spec's own */
  spec: string;
  product: string;
  id: string;
  library: 'accept' | 'reject';
  condition: string;
  source: string;
  /** outcomes of the cases that carry this divergence: `divergence` when the library did as it says */
  counts: Record<OutcomeStatus, number>;
  detail: string | null;
}

export function summarizeDivergences(records: ResultRecord[]): DivergenceSummary[] {
  const groups = new Map<string, ResultRecord[]>();
  for (const r of records) {
    if (!r.case.divergence) continue;
    const key = `${r.spec}\u0000${r.product}\u0000${r.case.divergence.id}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const d = rs[0].case.divergence!;
    const hit = rs.find((r) => r.outcome.status === 'divergence');
    return {
      spec: rs[0].spec, product: rs[0].product, id: d.id, library: d.library, condition: d.condition, source: d.source,
      counts: countStatuses(rs), detail: hit && hit.outcome.status === 'divergence' ? hit.outcome.detail : null,
    };
  });
}

export function renderDivergences(records: ResultRecord[]): string {
  const all = summarizeDivergences(records);
  if (all.length === 0) return '<p class="muted">No case of this run carries a known divergence.</p>';
  // the spec column only where there is more than one spec to tell apart
  const several = new Set(all.map((d) => d.spec)).size > 1;
  const rows = all.map((d) => `<tr data-divergence="${esc(d.id)}" data-spec="${esc(d.spec)}" data-product="${esc(d.product)}">
${several ? `<td>${esc(d.spec)}</td>` : ''}<td>${esc(d.product)}</td><td class="mono">${esc(d.id)}</td><td>the library ${d.library === 'reject' ? 'rejects where the doc accepts' : 'accepts where the doc rejects'}</td>
<td>${esc(d.condition)}</td><td>${esc(d.source)}</td>
<td><div class="badges">${statusBadges(d.counts, false)}</div>${d.detail ? `<div class="muted">${esc(d.detail)}</div>` : ''}</td></tr>`).join('\n');
  return `<p class="muted">Where the shipped library is known to contradict the vendor doc (a known divergence). A case that ends
<b>divergence</b> did what the library is known to do: not a pass, not unexpected. Cases that carry a divergence but did
what the doc says end with the normal outcome.</p>
<table class="grid" id="divergence-table"><thead><tr>${several ? '<th>spec</th>' : ''}<th>product</th><th>divergence</th><th>what the library does</th><th>condition</th><th>source</th><th>outcomes of its cases</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** The case list (filled by script) and the drill-down dialog. */
export function renderCasesPanel(records: ResultRecord[]): string {
  const problems = records.filter((r) => PROBLEM_STATUSES.has(r.outcome.status)).length;
  return `<p class="muted">${problems} case(s) failed, errored, timed out or got the wrong verdict. The list starts with them;
click an outcome badge or a matrix cell to list other cases. Click a case for its drill-down.</p>
<div class="filters" id="case-filters">
<button type="button" data-filter="problems" class="active">failing (${problems})</button>
<button type="button" data-filter="unexpected">unexpected</button>
<button type="button" data-filter="all">all (${records.length})</button>
<span id="filter-label" class="muted"></span>
</div>
<noscript><p class="caveat">The case list and drill-downs need JavaScript.</p></noscript>
<table class="grid cases" id="case-table"><thead><tr><th>outcome</th><th>case</th><th>row</th><th>shape class</th><th>reason</th></tr></thead><tbody></tbody></table>
<div id="case-more" class="muted"></div>
<dialog id="drilldown" aria-labelledby="dd-title">
<div class="dd-head"><div><div id="dd-status"></div><h3 id="dd-title" class="mono" style="margin:4px 0 0"></h3></div>
<button type="button" id="dd-close" aria-label="close">close \u2715</button></div>
<div class="dd-body">
<div id="dd-reason"></div>
<h3>Replay</h3>
<div class="replay"><pre id="dd-replay"></pre><button type="button" id="dd-copy">copy</button></div>
<div class="dd-grid"><div><h3>Case</h3><table class="grid" id="dd-case"></table></div>
<div id="dd-metrics-wrap"><h3>Metrics</h3><table class="grid" id="dd-metrics"></table></div></div>
<div id="dd-worst-wrap" class="dd-grid"><div><h3>Worst elements</h3><table class="grid" id="dd-worst"></table></div>
<div><h3>Error histogram</h3><div class="chart-box"><div class="canvas-wrap" style="height:220px"><canvas id="dd-hist" role="img" aria-label="error histogram"></canvas></div>
<div class="note" id="dd-hist-note"></div></div></div></div>
</div></dialog>`;
}
