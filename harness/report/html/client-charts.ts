/**
 * The page's script for charts, drawn with the inlined Chart.js (global `Chart`). Animation is off so a
 * chart is complete when the page has loaded (screenshots, tests, printing).
 */
export const CLIENT_CHARTS = String.raw`
var BASE = { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: true } } };
function opts(extra) { return Object.assign({}, BASE, extra); }
var BLUE = '#1f77b4', ORANGE = '#ff7f0e', GREY = '#7f7f7f', RED = '#d62728', GREEN = '#2ca02c';

/** Buckets of error in ulps: what the record holds is the element count, the mismatch count and the
 *  worst elements; unrecorded mismatches are at most as far off as the least of the recorded worst. */
function histogramOf(c) {
  var m = c.metrics || { count: 0, mismatches: c.worst.length };
  var buckets = [], counts = [];
  var exact = Math.max(0, m.count - m.mismatches);
  buckets.push('0 (admissible)'); counts.push(exact);
  var maxExp = 0;
  c.worst.forEach(function (w) { if (isFinite(w.ulps) && w.ulps > 0) maxExp = Math.max(maxExp, Math.floor(Math.log2(w.ulps))); });
  for (var e = 0; e <= maxExp; e++) { buckets.push(e === 0 ? '1' : (Math.pow(2, e) + '\u2013' + (Math.pow(2, e + 1) - 1))); counts.push(0); }
  var nonFinite = 0;
  c.worst.forEach(function (w) {
    if (!isFinite(w.ulps)) { nonFinite++; return; }
    if (w.ulps <= 0) { counts[1] = (counts[1] || 0) + 1; return; }
    counts[1 + Math.floor(Math.log2(w.ulps))]++;
  });
  if (nonFinite) { buckets.push('NaN / inf'); counts.push(nonFinite); }
  var least = c.worst.reduce(function (a, w) { return Math.min(a, w.ulps); }, Infinity);
  var rest = Math.max(0, m.mismatches - c.worst.length);
  if (rest) { buckets.push('\u2264 ' + least + ' (not recorded)'); counts.push(rest); }
  return { buckets: buckets, counts: counts, rest: rest };
}

function drawHistogram(canvas, c, note) {
  var h = histogramOf(c);
  note.textContent = 'elements per error bucket (ulps against the reference\u2019s answer); ' + c.worst.length
    + ' worst element(s) recorded' + (h.rest ? ', ' + h.rest + ' other mismatch(es) no farther off than the least of them' : '') + '. Log scale.';
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: h.buckets, datasets: [{ label: 'elements', data: h.counts, backgroundColor: h.buckets.map(function (b, i) { return i === 0 ? GREEN : RED; }) }] },
    options: opts({ plugins: { legend: { display: false } }, scales: { y: { type: 'logarithmic', min: 0.8, title: { display: true, text: 'elements' }, ticks: { callback: function (v) { var l = Math.log10(v); return v >= 1 && Math.abs(l - Math.round(l)) < 1e-9 ? String(v) : ''; } } }, x: { title: { display: true, text: 'error (ulps)' } } } }),
  });
}

/** Writes each point's label (shape and path) beside it, for datasets that ask (pointLabels: true). */
var POINT_LABELS = { id: 'a8w8PointLabels', afterDatasetsDraw: function (chart) {
  var ctx = chart.ctx;
  ctx.save(); ctx.font = '11px sans-serif'; ctx.fillStyle = '#1f2328'; ctx.textBaseline = 'bottom';
  chart.data.datasets.forEach(function (ds, i) {
    if (!ds.pointLabels || !chart.isDatasetVisible(i)) return;
    chart.getDatasetMeta(i).data.forEach(function (el, j) { var d = ds.data[j]; if (d && d.label) ctx.fillText(d.label, el.x + 7, el.y - 3); });
  });
  ctx.restore();
} };

function drawPerfCharts() {
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var p = DATA.perf[Number(canvas.getAttribute('data-perf'))];
    var kind = canvas.getAttribute('data-chart');
    var labels = p.points.map(function (x) { return x.label; });
    if (kind === 'tops') {
      new Chart(canvas, { type: 'bar', data: { labels: labels, datasets: [
        { label: 'TOPS (median)', data: p.points.map(function (x) { return x.tops; }), backgroundColor: BLUE },
      ] }, options: opts({ scales: { y: { beginAtZero: true, title: { display: true, text: 'TOPS' } } } }) });
    } else if (kind === 'pct') {
      new Chart(canvas, { type: 'bar', data: { labels: labels, datasets: [
        { label: '% of int8 peak', data: p.points.map(function (x) { return x.pctPeak; }), backgroundColor: ORANGE },
      ] }, options: opts({ scales: { y: { beginAtZero: true, title: { display: true, text: '% of peak' } } } }) });
    } else if (kind === 'roofline') {
      var pts = p.points.filter(function (x) { return x.intensity !== null && x.intensity > 0 && x.tops > 0; });
      if (pts.length === 0) { canvas.parentNode.textContent = 'no case has a byte count: no roofline'; return; }
      var xs = pts.map(function (x) { return x.intensity; });
      var lo = Math.min.apply(null, xs) / 4, hi = Math.max.apply(null, xs) * 4;
      var sets = [{ type: 'scatter', label: 'cases (shape and path)', data: pts.map(function (x) { return { x: x.intensity, y: x.tops, label: x.label }; }), backgroundColor: BLUE, pointRadius: 5, pointLabels: true }];
      var peak = p.peak.int8Tops, bw = p.peak.bandwidthGBs;
      if (peak && bw) {
        var ridge = peak * 1000 / bw;
        lo = Math.min(lo, ridge / 8); hi = Math.max(hi, ridge * 4);
        sets.push({ type: 'line', label: 'roof: min(peak, bandwidth \u00d7 intensity)', data: [{ x: lo, y: bw * lo / 1000 }, { x: ridge, y: peak }, { x: hi, y: peak }], borderColor: RED, pointRadius: 0, borderWidth: 2 });
      } else if (peak) {
        sets.push({ type: 'line', label: 'int8 peak', data: [{ x: lo, y: peak }, { x: hi, y: peak }], borderColor: RED, pointRadius: 0 });
      } else if (bw) {
        sets.push({ type: 'line', label: 'bandwidth \u00d7 intensity', data: [{ x: lo, y: bw * lo / 1000 }, { x: hi, y: bw * hi / 1000 }], borderColor: RED, pointRadius: 0 });
      }
      new Chart(canvas, { type: 'scatter', data: { datasets: sets }, plugins: [POINT_LABELS], options: opts({
        scales: { x: { type: 'logarithmic', min: lo, max: hi, title: { display: true, text: 'ops per byte' } }, y: { type: 'logarithmic', title: { display: true, text: 'TOPS' } } },
        plugins: { tooltip: { callbacks: { label: function (ctx) { var d = ctx.raw; return (d.label ? d.label + ': ' : '') + d.x.toFixed(1) + ' ops/B, ' + d.y.toPrecision(3) + ' TOPS'; } } } },
      }) });
    } else if (kind === 'float') {
      new Chart(canvas, { type: 'bar', data: { labels: labels, datasets: [
        { label: 'A8W8', data: p.points.map(function (x) { return x.tops; }), backgroundColor: BLUE },
        { label: 'float baseline', data: p.points.map(function (x) { return x.float ? x.float.tops : null; }), backgroundColor: GREY },
      ] }, options: opts({ scales: { y: { beginAtZero: true, title: { display: true, text: 'TOPS' } } } }) });
    }
  });
}
`;
