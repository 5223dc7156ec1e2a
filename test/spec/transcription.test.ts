import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { cellToText, type CellValue } from '../../harness/dtypes';
import { comboKey } from '../../harness/spec/combos';
import { acceptedDrafts, dtypeRejectDrafts } from '../../harness/expand/drafts';
import { loadSpec } from '../../harness/spec/load';
import { packageRoot } from '../../harness/paths';
import type { Spec } from '../../harness/spec/types';

/**
 * Each spec's dtype tables against an independent transcription of its vendor doc
 * (test/fixtures/transcriptions/<spec id>.json, read from the doc by hand, cell by cell), so the check
 * runs wherever the project is cloned, without the vendor's text. A transcription names its columns as
 * the doc does (the op's weight is `x2`), which are the spec's input names. The accepted and rejected
 * counts are recounted here from the transcription's rows by brute force, counted again from the spec's
 * own expansion, and both are held against the README.
 */

type Row = Record<string, CellValue[]>;
interface Transcription {
  doc: { origin: { repository: string; path: string; commit: string } };
  columns: string[];
  domain: Record<string, CellValue[]>;
  products: Record<string, { title: string; family: string; table: string; rows: Row[]; accepted: number; domainSize: number; rejected: number }>;
}

const SPECS = ['linear-a8w8-quant', 'npu-quant-matmul', 'linear-quant'] as const;

function transcription(id: string): Transcription {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'test', 'fixtures', 'transcriptions', `${id}.json`), 'utf8')) as Transcription;
}

/** Every combination of the domain, counted by brute force over the transcription's own columns (no code shared with the harness). */
function acceptedByTranscription(T: Transcription, rows: Row[]): number {
  let combos: Record<string, CellValue>[] = [{}];
  for (const c of T.columns) combos = combos.flatMap((p) => T.domain[c]!.map((v) => ({ ...p, [c]: v })));
  return combos.filter((combo) => rows.some((r) => T.columns.every((c) => r[c]!.includes(combo[c]!)))).length;
}

/** A spec row's cells keyed by the spec's input names, as the transcription keys them. */
function cellsByName(spec: Spec, cells: Record<string, CellValue[]>): Row {
  return Object.fromEntries(spec.inputs.map((i) => [i.name, cells[i.role]!]));
}

/** The distinct combinations the expansion (full profile) builds accepted and dtype-rejected cases from. */
function expansionCounts(spec: Spec, productId: string): { accepted: number; rejected: number } {
  const product = spec.products.find((p) => p.id === productId)!;
  const distinct = (drafts: { combo: Parameters<typeof comboKey>[0] }[]): number => new Set(drafts.map((d) => comboKey(d.combo))).size;
  return { accepted: distinct(acceptedDrafts(spec, product, 'full')), rejected: distinct(dtypeRejectDrafts(spec, product, 'full')) };
}

/** The README's row of the Specs table for a spec id, whitespace folded. */
function readmeRow(id: string): string {
  const readme = fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith(`| [\`${id}\`]`));
  assert.ok(line, `the README's Specs table has a row for ${id}`);
  return line.replace(/\s+/g, ' ');
}

for (const id of SPECS) {
  describe(`spec ${id}: the tables against the independent transcription of the vendor doc`, function () {
    this.timeout(120_000);
    const T = transcription(id);
    let spec: Spec;
    before(() => { spec = loadSpec(path.join(packageRoot(), 'specs', `${id}.yml`)); });

    it('the spec is the one its file is named for', () => {
      assert.equal(spec.id, id);
    });

    it('has the spec\'s input names as columns, in the doc\'s order, and its domain per column', () => {
      assert.deepEqual(T.columns, spec.inputs.map((i) => i.name));
      for (const i of spec.inputs) assert.deepEqual([...i.dtypes].sort(), [...T.domain[i.name]!].sort(), i.name);
    });

    it('cites the same doc as the spec', () => {
      assert.deepEqual(spec.doc, { repo: T.doc.origin.repository, path: T.doc.origin.path, commit: T.doc.origin.commit });
    });

    it('names the same products as the spec', () => {
      assert.deepEqual(Object.keys(T.products).sort(), spec.products.map((p) => p.id).sort());
    });

    for (const [pid, product] of Object.entries(T.products)) {
      it(`${pid}: every row, cell for cell, and the family`, () => {
        const p = spec.products.find((x) => x.id === pid);
        assert.ok(p, `product ${pid} is in the spec`);
        assert.equal(p.family, product.family);
        const rows = p.tables.flatMap((t) => spec.tables.find((x) => x.id === t)!.rows);
        assert.deepEqual(rows.map((r) => cellsByName(spec, r.cells)), product.rows);
      });

      it(`${pid}: ${product.accepted} accepted and ${product.rejected} rejected of ${product.domainSize}, by the transcription and by the expansion`, () => {
        const size = T.columns.reduce((n, c) => n * T.domain[c]!.length, 1);
        assert.equal(size, product.domainSize);
        assert.equal(acceptedByTranscription(T, product.rows), product.accepted);
        assert.equal(product.rejected, product.domainSize - product.accepted);
        assert.deepEqual(expansionCounts(spec, pid), { accepted: product.accepted, rejected: product.rejected });
      });
    }

    it('the README states the transcription\'s counts per product and its domain', () => {
      const row = readmeRow(id);
      for (const [pid, product] of Object.entries(T.products)) {
        const m = new RegExp(`${pid} (\\d+) / (\\d+)`).exec(row);
        assert.ok(m, `the README states ${pid}'s counts`);
        assert.deepEqual(m.slice(1).map(Number), [product.accepted, product.rejected], pid);
      }
      const of = /of (\d+) combinations/.exec(row);
      assert.ok(of, 'the README states the domain size');
      assert.equal(Number(of[1]), Object.values(T.products)[0]!.domainSize);
      for (const c of T.columns) {
        const m = new RegExp(`\`${c}\` ([^;|]+)`).exec(row);
        assert.ok(m, `the README states ${c}'s domain`);
        assert.deepEqual(m[1]!.trim().split(/, /).sort(), T.domain[c]!.map(cellToText).sort(), c);
      }
    });
  });
}
