import { esc } from './escape';
import type { PerfModel, PerfPoint } from './perf-model';

/**
 * The performance section: chart containers (drawn by the page's script from the embedded PerfModel)
 * and a table with every figure, so the numbers are there without the charts too.
 */
export function renderPerf(models: PerfModel[]): string {
  const withPoints = models.filter((m) => m.points.length > 0);
  if (withPoints.length === 0) {
    return '<div class="not-measured" id="perf-none">No case in these results has device timings: run the performance cases (tag <code>perf</code>) to get charts.</div>';
  }
  return models.map((m, i) => m.points.length === 0 ? '' : renderProductPerf(m, i)).join('\n');
}

function renderProductPerf(m: PerfModel, i: number): string {
  const fmt = (v: number | null, d = 1) => (v === null ? '\u2013' : v.toFixed(d));
  const peak = `int8 peak ${m.peak.int8Tops === null ? 'unknown' : `${fmt(m.peak.int8Tops, 3)} TOPS`}, bandwidth ${m.peak.bandwidthGBs === null ? 'unknown' : `${fmt(m.peak.bandwidthGBs, 0)} GB/s`}`;
  const anyFloat = m.points.some((p) => p.float !== null);
  const floatLabels = [...new Set(m.points.flatMap((p) => (p.float ? [p.float.label] : [])))];
  const missing = m.points.filter((p) => p.float === null).map((p) => p.label);
  const box = (kind: string, title: string, note: string) =>
    `<div class="chart-box"><h4>${esc(title)}</h4><div class="canvas-wrap"><canvas data-chart="${kind}" data-perf="${i}" id="chart-${kind}-${i}" role="img" aria-label="${esc(title)}"></canvas></div><div class="note">${note}</div></div>`;
  const floatBox = anyFloat
    ? box('float', `A8W8 vs ${floatLabels.join(', ')} (same shape)`,
      `TOPS of each at its median time; ${missing.length ? `not measured for ${esc(missing.join(', '))}` : 'measured for every shape'}; the float matmul is timed by the same backend`)
    : `<div class="chart-box"><h4>A8W8 vs a float matmul</h4><div class="not-measured" data-chart-missing="float">not measured: this backend timed no float matmul of the same shapes</div></div>`;
  return `<section class="perf-product" data-perf-product="${esc(m.product)}">
<h3>${esc(m.product)}: ${m.points.length} timed case(s)</h3>
<p>${esc(peak)} <span class="muted">(${esc(m.peak.source)})</span>${m.peak.caveat ? `<br><span class="caveat">${esc(m.peak.caveat)}</span>` : ''}</p>
<div class="charts">
${box('tops', 'Achieved TOPS by shape (median; p10\u2013p90 in the table)', 'two operations per MAC; TOPS at the median device time')}
${m.peak.int8Tops === null
    ? `<div class="chart-box"><h4>% of the int8 peak</h4><div class="not-measured" data-chart-missing="pct">no peak known: ${esc(m.peak.caveat ?? 'give one with the peak override')}</div></div>`
    : box('pct', '% of the int8 peak', `of ${esc(fmt(m.peak.int8Tops, 3))} TOPS (${esc(m.peak.basis)})`)}
${box('roofline', 'Roofline: arithmetic intensity vs TOPS', `log\u2013log; intensity = 2mnk / bytes of inputs and output; ${m.peak.bandwidthGBs === null ? 'no bandwidth known: the compute roof only' : `roofs: the int8 peak and ${fmt(m.peak.bandwidthGBs, 1)} GB/s \u00d7 intensity`}; each point labelled with its shape and path`)}
${floatBox}
</div>
<h4>Figures</h4>
<table class="grid perf-table"><thead><tr><th>shape</th><th>path</th><th>batch\u00d7m\u00d7k\u00d7n</th><th>repeats</th><th>median \u00b5s</th><th>p10\u2013p90 \u00b5s</th><th>TOPS</th><th>GB/s</th><th>ops/byte</th><th>% peak</th><th>float baseline</th><th>A8W8 speed-up</th></tr></thead>
<tbody>${m.points.map((p) => perfRow(p, fmt)).join('\n')}</tbody></table>
</section>`;
}

function perfRow(p: PerfPoint, fmt: (v: number | null, d?: number) => string): string {
  const float = p.float
    ? `<td>${esc(p.float.label)}: ${fmt(p.float.medianUs)} \u00b5s, ${fmt(p.float.tops, 4)} TOPS</td><td class="num">${fmt(p.float.speedup, 2)}\u00d7</td>`
    : '<td class="muted">not measured</td><td class="muted">\u2013</td>';
  return `<tr data-case="${esc(p.caseId)}"><td>${esc(p.shape)}</td><td>${esc(p.path ?? '')}</td><td class="mono">${p.batch}\u00d7${p.m}\u00d7${p.k}\u00d7${p.n}</td><td class="num">${p.repeats}</td>`
    + `<td class="num">${fmt(p.medianUs)}</td><td class="num">${fmt(p.p10Us)}\u2013${fmt(p.p90Us)}</td><td class="num">${fmt(p.tops, 4)}</td>`
    + `<td class="num">${fmt(p.gbs, 2)}</td><td class="num">${fmt(p.intensity, 1)}</td><td class="num">${p.pctPeak === null ? '\u2013' : fmt(p.pctPeak, 3)}</td>${float}</tr>`;
}
