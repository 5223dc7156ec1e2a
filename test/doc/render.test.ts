import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { renderTables } from '../../harness/doc/render';
import { COLUMNS } from '../../harness/dtypes';
import { packageRoot } from '../../harness/paths';
import { realSpec } from '../helpers/spec';

describe('doc: tables rendered back in the doc layout', () => {
  it('matches the pinned rendering', () => {
    const pinned = fs.readFileSync(path.join(packageRoot(), 'test', 'fixtures', 'doc', 'tables.md'), 'utf8');
    assert.equal(renderTables(realSpec()) + '\n', pinned.endsWith('\n\n') ? pinned : pinned + '\n');
  });

  // The vendor's text is not part of this repository: where a plain-text export of the doc's web page is
  // at hand, A8W8_VENDOR_DOC names it and the tables are held against it too. Without it the same rows
  // are held against the independent transcription (test/spec/transcription.test.ts), which always runs.
  it('holds the vendor doc\'s tables cell for cell (A8W8_VENDOR_DOC: a text export of the doc)', function () {
    const vendor = process.env.A8W8_VENDOR_DOC;
    if (!vendor) this.skip();
    const text = fs.readFileSync(vendor, 'utf8');
    // In the text export each table is its title, the seven captions, then one cell per line, then the note.
    for (const table of realSpec().tables) {
      const start = text.indexOf(table.title.split(' ')[0]!);
      const end = text.indexOf('注:', start);
      const lines = text.slice(start, end).split('\n').map((l) => l.trim()).filter(Boolean);
      const cells = lines.slice(lines.indexOf('output_dtype(入参或变量)') + 1);
      const spec = table.rows.flatMap((r) => COLUMNS.map((c) => r.text[c]));
      assert.deepEqual(spec, cells, table.id);
    }
  });
});
