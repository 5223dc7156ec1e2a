import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';
import { loadSpec } from '../../harness/spec/load';
import type { Spec } from '../../harness/spec/types';

/**
 * Each spec's tables held cell for cell against the vendor doc itself, where a copy of the doc is at
 * hand: A8W8_VENDOR_DIR names a folder holding the docs (by the file name of the doc's path in its
 * repository, or the short local names below). The vendor's text is not part of this repository, so
 * without the folder these tests skip, and the same rows are held against the independent hand
 * transcriptions (transcription.test.ts), which always run.
 */

/** Local names a copy of a doc may have besides the file name of its path. */
const LOCAL_NAMES: Record<string, string[]> = {
  'npu-quant-matmul': ['npu_quant_matmul.zh.md'],
  'linear-quant': ['LinearQuant.zh.md'],
};

/** The rows of every dtype table in a doc: Markdown pipe tables and HTML tables alike, 7 cells a row. */
export function docTableRows(text: string): string[][][] {
  const tables: string[][][] = [];
  // HTML tables: the cells' paragraphs, a row per <tr>, notes (colspan rows) left out
  for (const t of text.match(/<table[\s\S]*?<\/table>/g) ?? []) {
    const rows = (t.match(/<tr[\s\S]*?<\/tr>/g) ?? [])
      .filter((r) => r.includes('<td') && !r.includes('colspan'))
      .map((r) => (r.match(/<td[\s\S]*?<\/td>/g) ?? []).map((c) => c.replace(/<[^>]+>/g, '').trim()));
    if (rows.length) tables.push(rows);
  }
  // Markdown tables: consecutive `|a|b|...|` lines after a header and a rule
  let current: string[][] | null = null;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const cells = /^\|.*\|$/.test(line) ? line.slice(1, -1).split('|').map((c) => c.trim()) : null;
    if (!cells) { if (current?.length) tables.push(current); current = null; continue; }
    if (cells.every((c) => /^:?-+:?$/.test(c))) { current = []; continue; }
    if (current && cells.length === 7 && /^(int|float|bfloat)/.test(cells[0]!)) current.push(cells);
  }
  if (current?.length) tables.push(current);
  return tables.filter((t) => t.every((r) => r.length === 7));
}

function findDoc(spec: Spec): string | null {
  const dir = process.env.A8W8_VENDOR_DIR;
  if (!dir || !spec.doc) return null;
  for (const name of [path.basename(spec.doc.path), ...(LOCAL_NAMES[spec.id] ?? [])]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

describe('spec: the tables against the vendor doc itself (A8W8_VENDOR_DIR)', () => {
  const dir = path.join(packageRoot(), 'specs');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort()) {
    const spec = loadSpec(path.join(dir, file));
    it(`${spec.id}: every row, cell for cell, in the doc's column order`, function () {
      const doc = findDoc(spec);
      if (!doc) this.skip();
      const tables = docTableRows(fs.readFileSync(doc, 'utf8'));
      assert.equal(tables.length, spec.tables.length, `${doc}: ${tables.length} dtype tables`);
      spec.tables.forEach((t, i) => {
        const mine = t.rows.map((r) => spec.inputs.map((input) => r.text[input.role]));
        assert.deepEqual(mine, tables[i], `${spec.id} ${t.id} against ${doc}`);
      });
    });
  }

  it('reads both table forms the docs use', () => {
    const md = '|x1|x2|a|b|c|d|e|\n|--|--|--|--|--|--|--|\n|int8|int8|int64/float32|None|int32/None|None|float16|\n';
    const html = '<table><tr><th>x</th></tr><tr><td><p>int8</p></td><td>int8</td><td>f</td><td>None</td><td>b</td><td>None</td><td>int8</td></tr>'
      + '<tr><td colspan="7"><p>注</p></td></tr></table>';
    assert.deepEqual(docTableRows(md), [[['int8', 'int8', 'int64/float32', 'None', 'int32/None', 'None', 'float16']]]);
    assert.deepEqual(docTableRows(html), [[['int8', 'int8', 'f', 'None', 'b', 'None', 'int8']]]);
  });
});
