import { computeCoverage, type ProductCoverage, type SideCounts } from '../../coverage/compute';
import type { ResultRecord } from '../../run/record';
import type { Spec } from '../../spec/types';
import { esc } from './escape';

/**
 * Contract coverage per product, from the cases present in the records (rows and rules from both
 * sides). Counted twice: every case in the results, and only the cases that ran; a backend that skips
 * what the doc rejects (onnxruntime, plugins) exercises no reject side, and the second count shows it.
 */
export interface CoverageView { product: string; planned: ProductCoverage; ran: ProductCoverage }

export function buildCoverage(records: ResultRecord[], product: string, spec: Spec): CoverageView | null {
  const p = spec.products.find((x) => x.id === product);
  if (!p) return null;
  const own = records.filter((r) => r.product === product);
  return {
    product,
    planned: computeCoverage(spec, p, own.map((r) => r.case)),
    ran: computeCoverage(spec, p, own.filter((r) => r.outcome.status !== 'skip').map((r) => r.case)),
  };
}

export function renderCoverage(view: CoverageView | null, product: string, haveSpec: boolean): string {
  if (!view) {
    return `<p class="muted">${haveSpec ? `Product ${esc(product)} is not in the spec.` : 'Contract coverage needs the spec: render the report with the spec the run used.'}</p>`;
  }
  const { planned, ran } = view;
  const rowLines = planned.rows.map((r, i) => {
    const rr = ran.rows[i];
    const cells = r.cells.map((c, j) => `<span class="mono" title="accepted/rejected cases of this alternative">${esc(c.column)}=${esc(c.alternative)}&nbsp;${sides(c, rr.cells[j])}</span>`).join(' &middot; ');
    return `<tr data-coverage-row="${esc(r.row)}"><td class="mono">${esc(r.row)}</td><td class="num">${side(r.accept, rr.accept)}</td><td class="num">${r.na ? `<span class="muted">${esc(r.na.reason)}</span>` : side(r.reject, rr.reject)}</td><td>${cells}</td></tr>`;
  }).join('\n');
  const ruleLines = planned.rules.map((r, i) => {
    const rr = ran.rules[i];
    return `<tr data-coverage-rule="${esc(r.rule)}"><td class="mono">${esc(r.rule)}</td><td class="num">${side(r.accept, rr.accept)}</td><td class="num">${r.na ? `<span class="muted">${esc(r.na.reason)}</span>` : side(r.reject, rr.reject)}</td></tr>`;
  }).join('\n');
  const classes = Object.entries(planned.classes).map(([k, n]) =>
    `<tr><td class="mono">${esc(k)}</td><td class="num">${side(n, ran.classes[k] ?? 0)}</td></tr>`).join('');
  const divs = Object.entries(planned.divergences).map(([k, n]) =>
    `<tr><td class="mono">${esc(k)}</td><td class="num">${side(n, ran.divergences[k] ?? 0)}</td></tr>`).join('');
  const skippedGaps = ran.gaps.filter((g) => !planned.gaps.includes(g));
  return `<p class="muted">Counts read <b>cases in the results</b> / <span>cases that ran</span> (skipped cases exercise nothing).</p>
<div class="two-col">
<div><h3>Table rows (accept side; reject side = near misses)</h3>
<table class="grid" data-coverage-product="${esc(product)}"><thead><tr><th>row</th><th>accepted</th><th>rejected</th><th>cell alternatives (accepted/rejected)</th></tr></thead><tbody>${rowLines}</tbody></table>
<h3>Shape rules (just inside / just outside)</h3>
<table class="grid"><thead><tr><th>rule</th><th>inside (accepted)</th><th>outside (rejected)</th></tr></thead><tbody>${ruleLines}</tbody></table></div>
<div><h3>Defect classes</h3><table class="grid"><thead><tr><th>class</th><th>cases</th></tr></thead><tbody>${classes}</tbody></table>
${divs ? `<h3>Divergences</h3><table class="grid"><thead><tr><th>divergence</th><th>cases</th></tr></thead><tbody>${divs}</tbody></table>` : ''}
<h3>Gaps (${planned.gaps.length})</h3>
${planned.gaps.length ? `<ul class="gaps">${planned.gaps.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>` : '<p>None: every row, cell, rule and defect class is exercised from each side that can exist.</p>'}
${skippedGaps.length ? `<h3>Gaps on this backend (${skippedGaps.length}): present in the results but skipped</h3><details><summary>show</summary><ul class="gaps">${skippedGaps.map((g) => `<li>${esc(g)}</li>`).join('')}</ul></details>` : ''}
</div></div>`;
}

function side(planned: number, ran: number): string {
  const cls = planned === 0 ? ' style="color:#b71c1c;font-weight:700"' : '';
  return `<b${cls}>${planned}</b>${ran !== planned ? `&thinsp;/&thinsp;<span class="muted">${ran}</span>` : ''}`;
}

function sides(c: SideCounts, ran: SideCounts): string {
  return `${side(c.accept, ran.accept)}/${c.na ? '<span class="muted">\u2013</span>' : side(c.reject, ran.reject)}`;
}
