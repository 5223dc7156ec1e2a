import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { NUMERIC_PATHS } from '../../harness/numerics';
import { packageRoot } from '../../harness/paths';
import { loadSpec } from '../../harness/spec/load';
import { capture, tmpDir } from '../helpers/cli';

/**
 * The spec language is open: a spec for a module the harness has never seen, dropped next to the
 * others, must lint, expand, cover and run with no code change. The new spec is LinearQuant's under a
 * new id and a new module name, so nothing in the harness can recognise it by either; its rows use
 * the registry's numeric paths only.
 */
describe('spec: a new spec works with no code change', function () {
  this.timeout(300_000);
  const ID = 'linear-quant-renamed';
  const MODULE = 'torch_npu.contrib.module.LinearQuantRenamed';
  let file: string;

  before(() => {
    const text = fs.readFileSync(path.join(packageRoot(), 'specs', 'linear-quant.yml'), 'utf8');
    const renamed = text
      .replace(/^ {2}id: linear-quant$/m, `  id: ${ID}`)
      .replace(/^ {2}module: torch_npu\.contrib\.module\.LinearQuant$/m, `  module: ${MODULE}`);
    assert.notEqual(renamed, text);
    file = path.join(tmpDir('a8w8-new-spec-'), `${ID}.yml`);
    fs.writeFileSync(file, renamed);
  });

  const cli = async (args: string[]): Promise<{ code: number; lines: string[]; errors: string[] }> => {
    const ctx = capture();
    const code = await main(args, ctx);
    return { code, lines: ctx.lines, errors: ctx.errors };
  };

  it('is new: an id and a module no shipped spec has, numeric paths from the registry', () => {
    const spec = loadSpec(file);
    assert.equal(spec.id, ID);
    assert.equal(spec.module, MODULE);
    for (const f of fs.readdirSync(path.join(packageRoot(), 'specs'))) {
      const shipped = loadSpec(path.join(packageRoot(), 'specs', f));
      assert.notEqual(shipped.id, spec.id, f);
      assert.notEqual(shipped.module, spec.module, f);
    }
    assert.ok(spec.numerics.length > 0);
    for (const e of spec.numerics) assert.ok(e.path in NUMERIC_PATHS, e.path);
  });

  it('lint: no problem', async () => {
    const r = await cli(['lint', file]);
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.match(r.errors.join('\n'), /1 file\(s\), 0 problem\(s\)/);
  });

  it('list: cases whose ids carry the new id', async () => {
    const r = await cli(['list', file, '--profile', 'smoke']);
    assert.equal(r.code, 0, r.errors.join('\n'));
    assert.ok(r.lines.length > 100, `${r.lines.length} cases`);
    assert.deepEqual(r.lines.filter((id) => !id.startsWith(`${ID}/`)), []);
  });

  it('coverage --strict: no gap', async () => {
    const r = await cli(['coverage', file, '--strict']);
    assert.equal(r.code, 0, [...r.errors, ...r.lines].join('\n'));
    assert.ok(r.lines.some((l) => /gaps: none/.test(l)));
  });

  it('run --backend onnxruntime --profile smoke: every case as expected, the module under its new name', async () => {
    const out = path.join(tmpDir('a8w8-new-spec-run-'), 'run');
    const r = await cli(['run', '--spec', file, '--backend', 'onnxruntime', '--profile', 'smoke', '--out', out, '--no-progress']);
    assert.equal(r.code, 0, [...r.errors, ...r.lines].join('\n'));
    type Result = { caseId: string; asExpected: boolean; outcome: { status: string }; case: { call: { target: string; callee: string } } };
    const results = fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Result);
    assert.ok(results.length > 100, `${results.length} results`);
    assert.deepEqual(results.filter((x) => !x.caseId.startsWith(`${ID}/`)).map((x) => x.caseId), []);
    assert.deepEqual(results.filter((x) => !x.asExpected).map((x) => x.caseId), []);
    assert.ok(results.some((x) => x.outcome.status === 'pass'), 'some accepted case passed');
    const callees = new Set(results.filter((x) => x.case.call.target === 'module').map((x) => x.case.call.callee));
    assert.deepEqual([...callees], [MODULE]);
    assert.match(r.errors.join('\n'), /0 unexpected outcome\(s\)/);
  });
});
