/**
 * The page's script for the case list, the matrix clicks and the drill-down dialog. Plain ES2020 run in
 * the browser, kept as a string (the project compiles without DOM types). Data goes into the page only
 * through textContent and attributes, never innerHTML, so hostile strings in records stay text.
 */
export const CLIENT_CASES = String.raw`
var LIMIT = 300;
var state = { filter: { kind: 'problems' }, limit: LIMIT };
var PROBLEMS = { 'fail': 1, 'unexpected-accept': 1, 'unexpected-reject': 1, 'error': 1, 'timeout': 1 };

function el(tag, attrs, children) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) {
    if (k === 'text') e.textContent = attrs[k];
    else if (k === 'cls') e.className = attrs[k];
    else e.setAttribute(k, attrs[k]);
  }
  (children || []).forEach(function (c) { if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  return e;
}

function matches(c, f) {
  switch (f.kind) {
    case 'problems': return !!PROBLEMS[c.status];
    case 'unexpected': return c.unexpected;
    case 'all': return true;
    case 'status': return c.status === f.status;
    case 'cell': return c.product === f.product && (!f.spec || c.spec === f.spec) && (f.row === '*' || c.row === f.row) && (f.col === '*' || c.col === f.col);
  }
  return false;
}

function filterLabel(f) {
  if (f.kind === 'status') return 'outcome: ' + f.status;
  if (f.kind === 'cell') return (f.spec ? f.spec + ' \u00b7 ' : '') + f.product + ' \u00b7 row ' + (f.row === '*' ? 'any' : f.row) + ' \u00b7 shape class ' + (f.col === '*' ? 'any' : f.col);
  return '';
}

function renderList() {
  var body = document.querySelector('#case-table tbody');
  body.textContent = '';
  var shown = 0, total = 0;
  DATA.cases.forEach(function (c, i) {
    if (!matches(c, state.filter)) return;
    total++;
    if (shown >= state.limit) return;
    shown++;
    var tr = el('tr', { 'data-case-index': String(i), 'data-case-id': c.id, 'data-status': c.status, tabindex: '0' }, [
      el('td', {}, [el('span', { cls: 'badge st-' + c.status, text: c.status + (c.unexpected ? ' !' : '') })]),
      el('td', { cls: 'id', text: c.id }),
      el('td', { cls: 'mono', text: c.row }),
      el('td', { cls: 'mono', text: c.shapeClass }),
      el('td', { cls: 'reason', text: c.reason || '', title: c.reason || '' }),
    ]);
    tr.addEventListener('click', function () { openCase(i); });
    tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') openCase(i); });
    body.appendChild(tr);
  });
  if (total === 0) body.appendChild(el('tr', {}, [el('td', { colspan: '5', cls: 'muted', text: 'no case matches this filter' })]));
  var more = document.getElementById('case-more');
  more.textContent = '';
  if (total > shown) {
    more.appendChild(document.createTextNode(shown + ' of ' + total + ' shown. '));
    var b = el('button', { type: 'button', text: 'show all ' + total });
    b.addEventListener('click', function () { state.limit = Infinity; renderList(); });
    more.appendChild(b);
  }
  document.getElementById('filter-label').textContent = filterLabel(state.filter) + (total ? '  (' + total + ' case' + (total === 1 ? '' : 's') + ')' : '');
  document.querySelectorAll('#case-filters [data-filter]').forEach(function (b) {
    b.classList.toggle('active', b.getAttribute('data-filter') === state.filter.kind);
  });
}

function setFilter(f) {
  state.filter = f;
  state.limit = LIMIT;
  document.querySelectorAll('td.cell.selected').forEach(function (x) { x.classList.remove('selected'); });
  renderList();
}

function fmt(v) {
  if (v === null || v === undefined) return '\u2013';
  if (typeof v !== 'number') return String(v);
  if (!isFinite(v)) return String(v);
  if (v === 0 || Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6 ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

function kv(table, pairs) {
  table.textContent = '';
  pairs.forEach(function (p) { table.appendChild(el('tr', {}, [el('th', { text: p[0] }), el('td', { cls: 'mono', text: p[1] })])); });
}

var histChart = null;
function openCase(i) {
  var c = DATA.cases[i];
  var dlg = document.getElementById('drilldown');
  dlg.setAttribute('data-case-id', c.id);
  var st = document.getElementById('dd-status');
  st.textContent = '';
  st.appendChild(el('span', { cls: 'badge st-' + c.status, text: c.status }));
  if (c.unexpected) st.appendChild(el('span', { cls: 'badge st-fail', text: 'unexpected' }));
  if (c.flaky) st.appendChild(el('span', { cls: 'badge st-timeout', text: 'flaky (passed on a retry)' }));
  if (c.expectation) st.appendChild(el('span', { cls: 'badge st-skip', text: 'expectation: ' + c.expectation }));
  document.getElementById('dd-title').textContent = c.id;
  var reason = document.getElementById('dd-reason');
  reason.textContent = '';
  if (c.reason) reason.appendChild(el('div', { cls: 'reason-box', text: c.reason }));
  document.getElementById('dd-replay').textContent = c.replay;
  kv(document.getElementById('dd-case'), [
    ['spec', c.spec], ['product', c.product], ['matrix row', c.row + (c.rows.length > 1 ? '  (rows ' + c.rows.join(', ') + ')' : '')],
    ['shape class', c.shapeClass], ['path', c.path || '\u2013'], ['dtypes', c.dtypes], ['shapes', c.shapes],
    ['distribution', c.distribution], ['tags', c.tags.join(', ')], ['attempts', String(c.attempts)],
  ].concat(c.divergence ? [['divergence', c.divergence.id + ': the library ' + c.divergence.library + 's (' + c.divergence.condition + '; ' + c.divergence.source + ')']] : []));
  var m = c.metrics;
  document.getElementById('dd-metrics-wrap').hidden = !m;
  if (m) {
    var alts = Object.keys(m.alternatives || {}).map(function (k) { return k + ' \u00d7' + m.alternatives[k]; }).join(', ');
    kv(document.getElementById('dd-metrics'), [
      ['elements', fmt(m.count)], ['mismatches', fmt(m.mismatches) + ' (' + fmt(m.mismatchFraction * 100) + ' %)'],
      ['max abs error', fmt(m.maxAbs)], ['max rel error', fmt(m.maxRel)], ['max ulp', fmt(m.maxUlp)],
      ['mean signed error', fmt(m.meanSignedError)], ['mean signed error vs ideal', fmt(m.meanSignedErrorVsIdeal)],
      ['NaN outputs', fmt(m.nanCount)], ['alternatives matched', alts || 'none'], ['scale gap', fmt(m.scaleGap)],
    ]);
  }
  var wrap = document.getElementById('dd-worst-wrap');
  wrap.hidden = c.worst.length === 0;
  if (histChart) { histChart.destroy(); histChart = null; }
  if (c.worst.length) {
    var t = document.getElementById('dd-worst');
    t.textContent = '';
    t.appendChild(el('tr', {}, ['index', 'at', 'actual', 'expected', 'ideal', '|error|', 'ulps'].map(function (h) { return el('th', { text: h }); })));
    c.worst.forEach(function (w) {
      t.appendChild(el('tr', {}, [String(w.index), '[' + w.at.join(', ') + ']', fmt(w.actual), fmt(w.expected), fmt(w.ideal), fmt(w.absError), fmt(w.ulps)]
        .map(function (v, j) { return el('td', { cls: j > 1 ? 'num mono' : 'mono', text: v }); })));
    });
  }
  // open first: the histogram's canvas needs a laid-out, visible box to size itself
  if (!dlg.open) dlg.showModal();
  if (c.worst.length) histChart = drawHistogram(document.getElementById('dd-hist'), c, document.getElementById('dd-hist-note'));
}

function wireCases() {
  document.querySelectorAll('table.matrix td.cell').forEach(function (td) {
    var open = function () {
      setFilter({ kind: 'cell', spec: td.getAttribute('data-spec'), product: td.getAttribute('data-product'), row: td.getAttribute('data-row'), col: td.getAttribute('data-col') });
      td.classList.add('selected');
      document.getElementById('cases').scrollIntoView();
    };
    td.addEventListener('click', open);
    td.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') open(); });
  });
  document.querySelectorAll('[data-filter-status]').forEach(function (b) {
    b.addEventListener('click', function () { setFilter({ kind: 'status', status: b.getAttribute('data-filter-status') }); document.getElementById('cases').scrollIntoView(); });
  });
  document.querySelectorAll('#case-filters [data-filter]').forEach(function (b) {
    b.addEventListener('click', function () { setFilter({ kind: b.getAttribute('data-filter') }); });
  });
  document.getElementById('dd-close').addEventListener('click', function () { document.getElementById('drilldown').close(); });
  document.getElementById('dd-copy').addEventListener('click', function () {
    var text = document.getElementById('dd-replay').textContent;
    var btn = document.getElementById('dd-copy');
    var done = function () { btn.textContent = 'copied'; setTimeout(function () { btn.textContent = 'copy'; }, 1500); };
    var fallback = function () {
      var r = document.createRange(); r.selectNodeContents(document.getElementById('dd-replay'));
      var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      try { document.execCommand('copy'); done(); } catch (e) { btn.textContent = 'select and copy'; }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
  });
  renderList();
  var m = /^#case=(.+)$/.exec(location.hash);
  if (m) {
    var id = decodeURIComponent(m[1]);
    var i = DATA.cases.findIndex(function (c) { return c.id === id; });
    if (i >= 0) openCase(i);
  }
}
`;
