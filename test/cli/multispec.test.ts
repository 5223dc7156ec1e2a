import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { ErrorCode, HarnessError } from '../../harness/errors';
import { expandSpecs } from '../../harness/expand';
import { chooseSpec, defaultSpecFiles, defaultSpecPath, loadSpecs } from '../../harness/spec/load';
import { readResults } from '../../harness/run/record';
import { capture, tmpDir } from '../helpers/cli';
import { specCopyWithId } from '../helpers/spec';

/**
 * Several specs at once: the real spec beside a copy of it under another spec.id (made in a temp dir,
 * specs/ is never touched), so every command that reads specs is held to ids that never collide.
 */
describe('cli: several specs at once', function () {
  this.timeout(120_000);
  const dir = tmpDir('a8w8-multispec-');
  const second = specCopyWithId(dir, 'second-spec');
  const real = defaultSpecPath();

  it('with none named, the specs are every *.yml of specs/, sorted', () => {
    const files = defaultSpecFiles();
    assert.ok(files.includes(real));
    assert.deepEqual(files, [...files].sort());
    assert.deepEqual(loadSpecs().map((s) => s.file), files);
  });

  it('two files with one spec id: a clear error naming both files', () => {
    const clash = specCopyWithId(tmpDir(), 'linear-a8w8-quant', 'clash.yml');
    assert.throws(() => loadSpecs([real, clash]), (e: unknown) => e instanceof HarnessError && e.code === ErrorCode.DUPLICATE_SPEC_ID
      && e.message.includes(real) && e.message.includes(clash) && e.message.includes("'linear-a8w8-quant'"));
  });

  it('list of two specs gives the cases of both, each id under its spec, none shared', async () => {
    const ctx = capture();
    assert.equal(await main(['list', real, '--spec', second, '--profile', 'smoke', '--product', 'atlas-a2'], ctx), 0);
    const ids = ctx.lines;
    const first = ids.filter((id) => id.startsWith('linear-a8w8-quant/atlas-a2/'));
    const other = ids.filter((id) => id.startsWith('second-spec/atlas-a2/'));
    assert.ok(first.length > 100);
    assert.equal(first.length + other.length, ids.length);
    assert.equal(new Set(ids).size, ids.length, 'no id is shared');
    // the same contract under another id gives the same cases, the spec prefix aside
    assert.deepEqual(other.map((id) => id.slice('second-spec/'.length)), first.map((id) => id.slice('linear-a8w8-quant/'.length)));
  });

  it('a case seed derives from its whole id, so the same case of two specs gets its own data', () => {
    const cases = expandSpecs(loadSpecs([real, second]), { profile: 'smoke', seed: 0, products: ['atlas-a2'] });
    const byLocal = new Map<string, number[]>();
    for (const c of cases) {
      const local = c.id.slice(c.spec.length + 1);
      byLocal.set(local, [...(byLocal.get(local) ?? []), c.seed]);
    }
    assert.ok([...byLocal.values()].every((seeds) => seeds.length === 2));
    assert.ok([...byLocal.values()].some(([a, b]) => a !== b));
  });

  it('explain takes one spec: several loaded is an error listing them; --spec-id picks one', async () => {
    const call = ['--product', 'atlas-a2', '--x1', 'int8[2,16]', '--weight', 'int8[8,16]', '--scale', 'float32[8]'];
    const ctx = capture();
    assert.equal(await main(['explain', real, '--spec', second, ...call], ctx), 2);
    assert.match(ctx.errors.join('\n'), /reads one spec.*linear-a8w8-quant.*second-spec/s);
    const picked = capture();
    assert.equal(await main(['explain', real, '--spec', second, '--spec-id', 'second-spec', '--json', ...call], picked), 0);
    assert.throws(() => chooseSpec(loadSpecs([real]), 'nope'), /unknown spec 'nope'; loaded spec ids: linear-a8w8-quant/);
  });

  it('coverage and doc cover every spec named', async () => {
    const cov = capture();
    assert.equal(await main(['coverage', real, second, '--profile', 'smoke', '--product', 'atlas-a2', '--json'], cov), 0);
    const doc = JSON.parse(cov.lines.join('\n')) as { products: { spec: string; product: string }[] };
    assert.deepEqual(doc.products.map((p) => `${p.spec}/${p.product}`), ['linear-a8w8-quant/atlas-a2', 'second-spec/atlas-a2']);
    const d = capture();
    assert.equal(await main(['doc', real, second], d), 0);
    assert.match(d.lines.join('\n'), /spec linear-a8w8-quant[\s\S]*spec second-spec/);
  });

  it('run of two specs runs the cases of both; run.json records every spec; reports group by spec, then product', async () => {
    const out = path.join(dir, 'run');
    const ctx = capture();
    const code = await main(['run', '--backend', 'onnxruntime', '--product', 'atlas-a2', '--spec', real, '--spec', second,
      '--grep', '/atlas-a2/table2-r2/.*/(tiny-1x2x1|m1)/', '--out', out, '--no-progress'], ctx);
    assert.equal(code, 0, ctx.text());
    const records = fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { version: number; spec: string; caseId: string; case: { spec: string } });
    assert.ok(records.every((r) => r.version === 2 && r.caseId.startsWith(`${r.spec}/`) && r.case.spec === r.spec));
    const specs = [...new Set(records.map((r) => r.spec))].sort();
    assert.deepEqual(specs, ['linear-a8w8-quant', 'second-spec']);
    const env = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as { specs: { id: string; file: string; hash: string }[] };
    assert.deepEqual(env.specs.map((s) => s.id), ['linear-a8w8-quant', 'second-spec']);
    assert.ok(env.specs.every((s) => /^[0-9a-f]{64}$/.test(s.hash)), 'every spec with its hash');
    assert.ok(env.specs.some((s) => s.file.endsWith('second-spec.yml')));

    const rep = capture();
    const reports = path.join(dir, 'reports');
    assert.equal(await main(['report', out, '--format', 'junit,json', '--out', reports], rep), 0, rep.text());
    const junit = fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuite name="linear-a8w8-quant \/ atlas-a2 \//);
    assert.match(junit, /<testsuite name="second-spec \/ atlas-a2 \//);
    const summary = JSON.parse(fs.readFileSync(path.join(reports, 'summary.json'), 'utf8')) as { release: { spec: string }[] };
    assert.equal(summary.release.length, 2, 'a verdict line per spec and product');

    // a version 1 record (one spec, ids without it) is read as the version 2 record of linear-a8w8-quant
    const v2 = records.find((r) => r.spec === 'linear-a8w8-quant')! as unknown as Record<string, unknown> & { caseId: string; case: Record<string, unknown> };
    const local = v2.caseId.slice('linear-a8w8-quant/'.length);
    const { spec: _spec, ...v1 } = { ...v2, spec: v2.spec as string, version: 1, caseId: local, case: { ...v2.case, id: local } };
    delete (v1.case as Record<string, unknown>).spec;
    const old = path.join(dir, 'v1');
    fs.mkdirSync(old);
    fs.writeFileSync(path.join(old, 'results.jsonl'), JSON.stringify(v1) + '\n');
    const [read] = readResults(path.join(old, 'results.jsonl'));
    assert.equal(read!.version, 2);
    assert.equal(read!.spec, 'linear-a8w8-quant');
    assert.equal(read!.caseId, v2.caseId);
    assert.equal(read!.case.id, v2.caseId);
    assert.equal(read!.case.spec, 'linear-a8w8-quant');
    const diff = capture();
    assert.equal(await main(['diff', old, out], diff), 0, diff.text());
  });
});
