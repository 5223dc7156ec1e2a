import type { RunEnvironment } from '../../run/environment';
import type { ResultRecord } from '../../run/record';
import type { Spec } from '../../spec/types';
import { environmentFor } from '../release';
import type { ReportSummary } from '../summary';
import { chartLibrary } from './chart-lib';
import { CLIENT_CASES } from './client-cases';
import { CLIENT_CHARTS } from './client-charts';
import { buildCoverage, renderCoverage } from './coverage';
import { esc, jsonForScript, scriptBody } from './escape';
import { renderCasesPanel, renderDivergences } from './failures';
import { renderHeader, verdictOf } from './header';
import { renderLegend, renderMatrix } from './matrix';
import { buildMatrix, caseView, productsOf } from './model';
import { specHeading, specSections } from './spec-sections';
import { productSpec } from '../summary';
import { renderPerf } from './perf-charts';
import { buildPerf, type PeakOverride } from './perf-model';
import { renderBaseline, renderHistory, renderRelease } from './release';
import { styles } from './styles';

export interface HtmlReportOptions {
  /** the spec the run used: labels, row order, contract coverage and product peaks come from it */
  spec?: Spec;
  /** the specs the run used, for a set of several: each spec's matrices and coverage are labelled from its own */
  specs?: readonly Spec[];
  /** replaces the product's (or host's) int8 peak and bandwidth: public figures are weak */
  peakOverride?: PeakOverride;
  /** the summary the other formats print: its release lines, history and baseline moves are shown too */
  summary?: ReportSummary;
}

/**
 * The self-contained HTML report: one file that opens offline. Everything it shows is
 * rendered here or drawn by its inline script from JSON embedded in the page; a Content-Security-Policy
 * forbids any fetch, so a hostile string that escaped escaping still could not load anything.
 */
export function renderHtmlReport(records: ResultRecord[], env: RunEnvironment | null, opts: HtmlReportOptions = {}): string {
  const { peakOverride, summary } = opts;
  const known = [...(opts.specs ?? []), ...(opts.spec && !opts.specs?.includes(opts.spec) ? [opts.spec] : [])];
  const products = productsOf(records, known[0]);
  const verdict = verdictOf(records, env);
  const perf = products.map((p) => buildPerf(records, p, environmentFor(env, p), productSpec(known, p), peakOverride));
  const chart = chartLibrary();
  const data = { cases: records.map(caseView), perf };
  const groups = specSections(records, known);
  const several = groups.length > 1;
  const matrixHtml = groups.length === 0 ? '<p class="muted">No results.</p>'
    : renderLegend() + groups.map((g) => specHeading(g, several, 'matrix') + g.products.map((p) => {
      const m = buildMatrix(records, g.id, p, g.spec);
      const tag = several ? 'h4' : 'h3';
      return `<${tag} id="matrix-${several ? `${esc(g.id)}-` : ''}${esc(m.product)}">${esc(m.product)}${m.title ? ` <span class="muted">${esc(m.title)}</span>` : ''}: ${m.total.total} case(s)</${tag}>${renderMatrix(m)}`;
    }).join('\n')).join('\n');
  const coverageHtml = groups.map((g) => specHeading(g, several, 'coverage') + g.products.map((p) => {
    const tag = several ? 'h4' : 'h3';
    return `<${tag}>${esc(p)}</${tag}>${renderCoverage(g.spec ? buildCoverage(g.records, p, g.spec) : null, p, g.spec !== undefined)}`;
  }).join('\n')).join('\n') || '<p class="muted">No results.</p>';
  const title = `${summary?.title ?? `a8w8 ${env?.backend ?? [...new Set(records.map((r) => r.backend))].join(', ')} on ${products.join(', ')}`}${verdict.simulated ? ' \u00b7 SIMULATED' : ''}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${styles()}</style>
</head><body>
${renderHeader(records, env, verdict, summary?.title)}
${renderRelease(summary?.release ?? [])}
<main>
<section id="matrix"><h2>Qualification matrix</h2>${matrixHtml}</section>
<section id="divergences"><h2>Divergences</h2>${renderDivergences(records)}</section>
<section id="cases"><h2>Failing cases</h2>${renderCasesPanel(records)}</section>
<section id="coverage"><h2>Contract coverage</h2>${coverageHtml}</section>
<section id="performance"><h2>Performance</h2>${renderPerf(perf)}${renderBaseline(summary?.perf.baseline ?? null)}</section>
${renderHistory(summary?.history ?? null)}
</main>
<footer>a8w8 ${esc(env?.harness.version ?? '')} \u00b7 ${records.length} record(s) \u00b7 charts by Chart.js ${esc(chart.version)} (MIT), inlined</footer>
<script type="application/json" id="a8w8-data">${jsonForScript(data)}</script>
<script>${chart.code}</script>
<script>${scriptBody(pageScript(), 'page script')}</script>
</body></html>
`;
}

function pageScript(): string {
  return `(function () {
'use strict';
var DATA = JSON.parse(document.getElementById('a8w8-data').textContent);
${CLIENT_CHARTS}
${CLIENT_CASES}
window.addEventListener('DOMContentLoaded', function () {
  wireCases();
  if (typeof Chart === 'undefined') { document.body.setAttribute('data-charts', 'missing'); return; }
  drawPerfCharts();
  document.body.setAttribute('data-ready', 'true');
});
})();`;
}
