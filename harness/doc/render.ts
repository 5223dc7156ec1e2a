import type { Spec, Table } from '../spec/types';

/**
 * A column's caption: the input's name as the doc writes it, and, where the spec gives one, its kind in
 * the doc's words (LinearA8W8Quant's tables say whether each is an input (入参) or a module variable (变量)).
 */
function caption(spec: Spec, i: Spec['inputs'][number]): string {
  return i.text ? `${i.name}(${i.text})` : i.name;
}

/** One table in the doc's layout: title, a Markdown table with the doc's columns in the doc's order, the note. */
export function renderTable(spec: Spec, t: Table): string {
  const head = `| ${spec.inputs.map((i) => caption(spec, i)).join(' | ')} |`;
  const rule = `|${spec.inputs.map(() => '---').join('|')}|`;
  const rows = t.rows.map((r) => `| ${spec.inputs.map((i) => r.text[i.role]).join(' | ')} |`);
  return [t.title, '', head, rule, ...rows, ...(t.note ? ['', t.note] : [])].join('\n');
}

/** Every table of the spec, with the products that use each, for diffing against the vendor doc. */
export function renderTables(spec: Spec): string {
  const parts = spec.tables.map((t) => {
    const users = spec.products.filter((p) => p.tables.includes(t.id)).map((p) => `${p.id} (${p.title})`);
    return `${renderTable(spec, t)}\n\n<!-- ${t.id}: ${users.join('; ')} -->`;
  });
  return `${parts.join('\n\n')}\n`;
}
