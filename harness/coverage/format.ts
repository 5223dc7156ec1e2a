import type { ProductCoverage, SideCounts } from './compute';

const sides = (s: SideCounts): string =>
  s.na?.side === 'both' ? `n/a (${s.na.reason})` : `${s.accept} accept / ${s.na ? s.na.reason : `${s.reject} reject`}`;

/** A plain-text coverage report: rows with their cells, rules, defect classes, divergences, gaps. */
export function formatCoverage(cov: (ProductCoverage & { spec?: string })[]): string[] {
  const lines: string[] = [];
  for (const p of cov) {
    lines.push(`== ${p.product}${p.spec !== undefined ? ` (spec ${p.spec})` : ''}`);
    for (const r of p.rows) {
      lines.push(`  ${r.row} (line ${r.line}): ${sides(r)}`);
      for (const c of r.cells) lines.push(`    ${c.column}=${c.alternative}: ${sides(c)}`);
    }
    for (const r of p.rules) lines.push(`  rule ${r.rule} (line ${r.line}): ${sides(r)}`);
    lines.push(`  defect classes: ${Object.entries(p.classes).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    lines.push(`  divergences: ${Object.entries(p.divergences).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`);
    lines.push(p.gaps.length ? `  gaps (${p.gaps.length}):` : '  gaps: none');
    for (const g of p.gaps) lines.push(`    ${g}`);
  }
  return lines;
}
