import { COLUMNS, type Column } from '../dtypes';
import type { Spec, Table } from '../spec/types';

/** The doc's column captions (parameter name and whether it is an input or a module variable). */
export const COLUMN_CAPTIONS: Record<Column, string> = {
  x1: 'x1(入参)', weight: 'weight(变量)', scale: 'scale(变量)', offset: 'offset(变量)', bias: 'bias(变量)',
  pertoken_scale: 'pertoken_scale(变量)', output_dtype: 'output_dtype(入参或变量)',
};

/** One table in the doc's layout: title, a Markdown table with the doc's columns, the note. */
export function renderTable(t: Table): string {
  const head = `| ${COLUMNS.map((c) => COLUMN_CAPTIONS[c]).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---').join('|')}|`;
  const rows = t.rows.map((r) => `| ${COLUMNS.map((c) => r.text[c]).join(' | ')} |`);
  return [t.title, '', head, rule, ...rows, ...(t.note ? ['', t.note] : [])].join('\n');
}

/** Every table of the spec, with the products that use each, for diffing against the vendor doc. */
export function renderTables(spec: Spec): string {
  const parts = spec.tables.map((t) => {
    const users = spec.products.filter((p) => p.tables.includes(t.id)).map((p) => `${p.id} (${p.title})`);
    return `${renderTable(t)}\n\n<!-- ${t.id}: ${users.join('; ')} -->`;
  });
  return `${parts.join('\n\n')}\n`;
}
