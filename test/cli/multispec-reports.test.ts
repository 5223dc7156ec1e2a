import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { loadSpecs } from '../../harness/spec/load';
import { capture, tmpDir } from '../helpers/cli';

/** What the tests read of summary.json. */
interface SummaryJson {
  version: number;
  specs: { spec: string; file: string | null; products: { product: string; rows: { key: string; detail: string | null; total: { total: number } }[] }[] }[];
  release: { specId: string; product: string }[];
  run: { specs: { id: string }[] };
}

/**
 * Reports over a run of the three specs of specs/ (one table row each, smoke, atlas-a2): every format
 * groups by spec, then product, each spec's matrix labelled from its own spec (table keys repeat across
 * specs); a report of one spec's results reads as before several specs could run.
 */
describe('cli: reports of several specs', function () {
  this.timeout(180_000);
  const dir = tmpDir('a8w8-multispec-reports-');
  const run = path.join(dir, 'run');
  const specs = loadSpecs();
  const ids = specs.map((s) => s.id);

  before(async () => {
    const ctx = capture();
    const code = await main(['run', '--backend', 'onnxruntime', '--product', 'atlas-a2', '--profile', 'smoke',
      '--grep', '/atlas-a2/table2-r1/', '--out', run, '--no-progress'], ctx);
    assert.equal(code, 0, ctx.text());
  });

  it('summary.json (version 2): matrices per spec, then product, each row labelled from its own spec', async () => {
    const out = path.join(dir, 'all');
    const ctx = capture();
    assert.equal(await main(['report', run, '--out', out], ctx), 0, ctx.text());
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as SummaryJson;
    assert.equal(s.version, 2);
    assert.deepEqual(s.specs.map((x) => x.spec), ids, 'spec sections in run order');
    assert.deepEqual(s.run.specs.map((x) => x.id), ids);
    for (const section of s.specs) {
      const spec = specs.find((x) => x.id === section.spec)!;
      assert.deepEqual(section.products.map((p) => p.product), ['atlas-a2']);
      const row = section.products[0]!.rows.find((r) => r.key === 'table2#1')!;
      const own = spec.tables.flatMap((t) => t.rows).find((r) => r.key === 'table2#1')!;
      assert.equal(row.detail, Object.entries(own.text).map(([col, text]) => `${col}=${text}`).join(' '), `${section.spec}: the row's text is its own spec's`);
      assert.ok(row.total.total > 0);
    }
    assert.deepEqual(s.release.map((l) => `${l.specId}/${l.product}`), ids.map((id) => `${id}/atlas-a2`));
    // the console says each spec's standing too
    for (const id of ids) assert.match(ctx.errors.join('\n'), new RegExp(`a8w8 report: ok ${id}/atlas-a2 `));

    const md = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    assert.match(md, new RegExp(`specs ${ids.map((id) => `${id} \`[0-9a-f]{12}\``).join(', ')}`));
    for (const id of ids) assert.match(md, new RegExp(`\\n- ✅ \\*\\*${id}\\*\\* · atlas-a2 `));

    const junit = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
    for (const spec of specs) {
      assert.match(junit, new RegExp(`<testsuite name="${spec.id} / atlas-a2 / Table 2 row 1"`));
      assert.match(junit, new RegExp(`<property name="spec" value="${spec.id}"/>\\s*<property name="product" value="atlas-a2"/>\\s*<property name="row" value="table2#1"/>[\\s\\S]*?<property name="spec.hash" value="${spec.hash}"/>`));
    }

    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    const headings = [...html.matchAll(/<h([34]) id="matrix-([^"]+)"/g)].map((m) => `h${m[1]} ${m[2]}`);
    assert.deepEqual(headings, ids.flatMap((id) => [`h3 ${id}`, `h4 ${id}-atlas-a2`]), 'a section per spec, then product');
    assert.deepEqual([...html.matchAll(/<table class="matrix" data-spec="([^"]+)" data-product="atlas-a2">/g)].map((m) => m[1]), ids);
    assert.deepEqual([...html.matchAll(/<h3 id="coverage-([^"]+)"/g)].map((m) => m[1]), ids, 'contract coverage per spec too');
    for (const spec of specs) assert.match(html, new RegExp(`<th>spec ${spec.id}</th><td>${spec.file.replace(/.*\/specs\//, 'specs/')} sha256 ${spec.hash}</td>`));
    assert.doesNotMatch(html, /first spec/);
  });

  it('a report of one spec\u2019s results: no spec headings, columns or prefixes', async () => {
    const one = path.join(dir, 'one');
    fs.mkdirSync(one);
    const lines = fs.readFileSync(path.join(run, 'results.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{') && (JSON.parse(l) as { spec: string }).spec === ids[0]);
    fs.writeFileSync(path.join(one, 'results.jsonl'), lines.join('\n') + '\n');
    const ctx = capture();
    assert.equal(await main(['report', one, '--spec', specs[0]!.file], ctx), 0, ctx.text());
    assert.doesNotMatch(ctx.errors.join('\n'), /a8w8 report: ok /, 'no per-spec lines for one spec and product');
    const s = JSON.parse(fs.readFileSync(path.join(one, 'summary.json'), 'utf8')) as SummaryJson;
    assert.deepEqual(s.specs.map((x) => x.spec), [ids[0]]);
    const html = fs.readFileSync(path.join(one, 'report.html'), 'utf8');
    assert.match(html, /<h3 id="matrix-atlas-a2">/);
    assert.doesNotMatch(html, /<h3 id="(matrix|coverage)-[^"]+" data-spec=/);
    assert.doesNotMatch(html, /<th>spec<\/th>/);
    const junit = fs.readFileSync(path.join(one, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuite name="atlas-a2 \/ Table 2 row 1"/);
    assert.doesNotMatch(junit, /<property name="spec"/);
    assert.doesNotMatch(fs.readFileSync(path.join(one, 'summary.md'), 'utf8'), /\*\*linear/);
  });
});
