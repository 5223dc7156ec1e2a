import { OUTCOME_STATUSES } from '../../judge/outcome';
import { esc } from './escape';
import { emptyCell, mergeCell, type CellModel, type MatrixModel } from './model';
import { STATUS_COLOURS } from './styles';

/**
 * The qualification matrix of one product as HTML: rows are table rows, "outside the table", module
 * guards and shape rules; columns are shape classes (rule edges folded into inside/outside). Each cell
 * carries data attributes the page's script uses to filter the case list, and the browser test reads.
 */
export function renderMatrix(m: MatrixModel): string {
  const head = m.columns.map((c) =>
    `<th scope="col" title="${esc(c.detail ?? c.label)}" data-col="${esc(c.key)}"><div class="rot">${esc(c.label)}</div></th>`).join('');
  const body = m.rows.map((row) => {
    const cells = m.columns.map((c) => renderCell(m, row.key, c.key, row.cells[c.key])).join('');
    return `<tr class="kind-${row.kind}" data-row="${esc(row.key)}">`
      + `<th scope="row" class="row" title="${esc(row.detail ?? row.label)}">${esc(row.label)}${row.detail ? `<span class="sub">${esc(row.detail)}</span>` : ''}</th>`
      + cells
      + `<td class="divcol" data-divergences="${row.divergences}" title="cases that ended as a known divergence of the shipped library says">${row.divergences || ''}</td>`
      + renderCell(m, row.key, '*', row.total, 'totcol')
      + '</tr>';
  }).join('\n');
  const colTotals = m.columns.map((c) => {
    const cell = emptyCell();
    for (const row of m.rows) mergeCell(cell, row.cells[c.key]);
    return renderCell(m, '*', c.key, cell, 'totcol');
  }).join('');
  const divTotal = m.rows.reduce((a, r) => a + r.divergences, 0);
  return `<div class="matrix-wrap"><table class="matrix" data-spec="${esc(m.spec)}" data-product="${esc(m.product)}">
<thead><tr><th class="rowhead">row \\ shape class</th>${head}<th title="cases that ended as a known divergence of the shipped library says"><div class="rot">divergences</div></th><th><div class="rot">all</div></th></tr></thead>
<tbody>
${body}
<tr class="kind-total" data-row="*"><th scope="row" class="row">all rows</th>${colTotals}<td class="divcol" data-divergences="${divTotal}">${divTotal || ''}</td>${renderCell(m, '*', '*', m.total, 'totcol')}</tr>
</tbody></table></div>`;
}

/** The legend: what each colour and abbreviation means, and how cases are placed. */
export function renderLegend(): string {
  const items = OUTCOME_STATUSES.map((s) =>
    `<span class="sw st-${s}">${esc(STATUS_COLOURS[s].short)}</span> ${esc(STATUS_COLOURS[s].label)}`).join(' &nbsp; ');
  return `<div class="legend">${items}</div>
<p class="muted">A cell is coloured by the worst outcome among its cases and shows the count per outcome; a red frame
marks unexpected outcomes. Click a cell to list its cases. A combination two table rows allow counts under the first
(the coverage section counts it for each row). Rule rows hold the cases just inside and just outside each shape rule.</p>`;
}

function renderCell(m: MatrixModel, row: string, col: string, cell: CellModel | undefined, extra = ''): string {
  const attrs = `data-spec="${esc(m.spec)}" data-product="${esc(m.product)}" data-row="${esc(row)}" data-col="${esc(col)}"`;
  if (!cell || cell.total === 0) return `<td class="empty ${extra}" ${attrs} data-total="0"></td>`;
  const parts = OUTCOME_STATUSES.filter((s) => (cell.counts[s] ?? 0) > 0)
    .map((s) => `<span data-status="${s}" data-n="${cell.counts[s]}">${cell.counts[s]}${esc(STATUS_COLOURS[s].short)}</span>`)
    .join(' ');
  const title = OUTCOME_STATUSES.filter((s) => (cell.counts[s] ?? 0) > 0)
    .map((s) => `${cell.counts[s]} ${STATUS_COLOURS[s].label}`).join(', ')
    + (cell.unexpected ? `; ${cell.unexpected} unexpected` : '');
  const cls = extra === 'totcol' ? `cell ${extra}` : `cell st-${cell.worst}${cell.unexpected ? ' unexp' : ''}`;
  return `<td class="${cls}" ${attrs} data-total="${cell.total}" data-worst="${cell.worst}" title="${esc(title)}" tabindex="0">`
    + `<span class="n">${cell.total}</span><span class="parts">${parts}</span></td>`;
}
