import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { COLUMNS, type CellValue, type Column } from '../../harness/dtypes';
import { combosOfRow, comboKey } from '../../harness/spec/combos';
import { packageRoot } from '../../harness/paths';
import { realSpec } from '../helpers/spec';

/**
 * The spec's dtype tables against an independent transcription of the vendor doc
 * (test/fixtures/transcriptions/linear-a8w8-quant.json, read from the doc by hand, cell by cell), so the
 * check runs wherever the project is cloned, without the vendor's text. The accepted and rejected
 * counts are recounted here from the transcription's rows, then held against the spec and the README.
 */

type Row = { [C in Column]: CellValue[] };
interface Transcription {
  doc: { origin: { repository: string; path: string; commit: string } };
  columns: string[];
  domain: { [C in Column]: CellValue[] };
  products: Record<string, { title: string; family: string; table: string; rows: Row[]; accepted: number; domainSize: number; rejected: number }>;
}

const FILE = path.join(packageRoot(), 'test', 'fixtures', 'transcriptions', 'linear-a8w8-quant.json');
const T = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Transcription;

/** Every combination of the domain, counted by brute force (no code shared with the harness). */
function acceptedByTranscription(rows: Row[]): number {
  let combos: Record<string, CellValue>[] = [{}];
  for (const c of COLUMNS) combos = combos.flatMap((p) => T.domain[c].map((v) => ({ ...p, [c]: v })));
  return combos.filter((combo) => rows.some((r) => COLUMNS.every((c) => r[c].includes(combo[c]!)))).length;
}

describe('spec: the tables against the independent transcription of the vendor doc', () => {
  const spec = realSpec();

  it('has the spec\'s columns and domain', () => {
    assert.deepEqual(T.columns, [...COLUMNS]);
    for (const c of COLUMNS) assert.deepEqual([...spec.domain[c]].sort(), [...T.domain[c]].sort(), c);
  });

  it('cites the same doc as the spec', () => {
    assert.deepEqual(spec.doc, { repo: T.doc.origin.repository, path: T.doc.origin.path, commit: T.doc.origin.commit });
  });

  for (const [id, product] of Object.entries(T.products)) {
    it(`${id}: every row, cell for cell, and the family`, () => {
      const p = spec.products.find((x) => x.id === id);
      assert.ok(p, `product ${id} is in the spec`);
      assert.equal(p.family, product.family);
      const rows = p.tables.flatMap((t) => spec.tables.find((x) => x.id === t)!.rows);
      assert.deepEqual(rows.map((r) => r.cells), product.rows);
    });

    it(`${id}: ${product.accepted} accepted and ${product.rejected} rejected of ${product.domainSize}`, () => {
      const size = COLUMNS.reduce((n, c) => n * T.domain[c].length, 1);
      assert.equal(size, product.domainSize);
      assert.equal(acceptedByTranscription(product.rows), product.accepted);
      assert.equal(product.rejected, product.domainSize - product.accepted);
      const p = spec.products.find((x) => x.id === id)!;
      const keys = new Set(p.tables.flatMap((t) => spec.tables.find((x) => x.id === t)!.rows.flatMap((r) => combosOfRow(r).map(comboKey))));
      assert.equal(keys.size, product.accepted);
    });
  }

  it('the README\'s accepted and rejected counts per product are the transcription\'s', () => {
    const readme = fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const accepted = /every allowed dtype combination \((\d+) on the Atlas inference series, (\d+) on A2 and A3\)/.exec(readme);
    const rejected = /every other combination of the (\d+)-combination domain as a case the kernel must reject \((\d+) \/ (\d+)\)/.exec(readme);
    assert.ok(accepted && rejected, 'the README states the counts');
    const P = T.products;
    assert.deepEqual(accepted.slice(1).map(Number), [P['atlas-inference']!.accepted, P['atlas-a2']!.accepted]);
    assert.equal(P['atlas-a3']!.accepted, P['atlas-a2']!.accepted);
    assert.deepEqual(rejected.slice(1).map(Number), [P['atlas-a2']!.domainSize, P['atlas-inference']!.rejected, P['atlas-a2']!.rejected]);
  });
});
