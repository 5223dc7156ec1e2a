import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { capture } from '../helpers/cli';
import { readResults } from '../../harness/run/record';
import { packageRoot } from '../../harness/paths';
import { testTmpDir } from '../helpers/tmp';


const tmp = () => testTmpDir('a8w8-run-');

describe('cli: run', function () {
  this.timeout(120_000);

  it('runs a plugin backend by path and writes a verdict for every case', async () => {
    const out = tmp();
    const ctx = capture();
    const plugin = path.join(packageRoot(), 'examples', 'plugin-twin.js');
    const code = await main(['run', '--backend', plugin, '--product', 'atlas-inference', '--profile', 'full', '--grep', 'table1-r2/.*/(base|tail-17x33x47)/', '--out', out, '--no-progress'], ctx);
    assert.equal(code, 0, ctx.errors.join('\n') + ctx.lines.join('\n'));
    const records = readResults(path.join(out, 'results.jsonl'));
    assert.ok(records.length > 5);
    for (const r of records) {
      assert.equal(r.version, 2);
      assert.ok(['linear-a8w8-quant', 'linear-quant', 'npu-quant-matmul'].includes(r.spec) && r.caseId.startsWith(`${r.spec}/atlas-inference/`), r.caseId);
      assert.equal(r.outcome.status, 'pass', r.caseId);
      assert.match(r.replay, /^npx a8w8 run --backend .* --case /);
    }
    const env = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as { simulated: boolean; product: string };
    assert.equal(env.simulated, true);
    assert.equal(env.product, 'atlas-inference');
  });

  it('resumes: a second run with --resume runs nothing already recorded', async () => {
    const out = tmp();
    const plugin = path.join(packageRoot(), 'examples', 'plugin-twin.js');
    const args = ['run', '--backend', plugin, '--profile', 'full', '--grep', 'table2-r3/.*/base/full-range', '--out', out, '--no-progress'];
    assert.equal(await main(args, capture()), 0);
    const first = readResults(path.join(out, 'results.jsonl')).length;
    assert.ok(first >= 8, `${first} cases`);
    const ctx = capture();
    assert.equal(await main([...args, '--resume'], ctx), 0);
    assert.equal(readResults(path.join(out, 'results.jsonl')).length, first);
    assert.ok(ctx.errors.some((l) => l.includes(`${first} already recorded`)), ctx.errors.join('\n'));
  });

  it('exits 1 on an unexpected outcome and prints the replay command', async () => {
    const out = tmp();
    const bad = path.join(out, 'wrong-kernel.js');
    fs.writeFileSync(bad, `
      const twin = require(${JSON.stringify(path.join(packageRoot(), 'examples', 'plugin-twin.js'))});
      exports.createBackend = () => {
        const b = twin.createBackend();
        const run = b.run;
        b.run = async (c, inputs) => { const r = await run(c, inputs); if (r.status === 'ok') r.output.data[0] ^= 1; return r; };
        return b;
      };`);
    const ctx = capture();
    const code = await main(['run', '--backend', bad, '--profile', 'full', '--grep', 'table2-r2/.*/base/full-range', '--out', out, '--no-progress'], ctx);
    assert.equal(code, 1);
    assert.ok(ctx.lines.some((l) => /^FAIL .*\n  replay: npx a8w8 run .*--case /.test(l)), ctx.lines.join('\n'));
  });

  it('names the valid backends for an unknown one', async () => {
    const ctx = capture();
    assert.equal(await main(['run', '--backend', 'nope', '--out', tmp()], ctx), 2);
    assert.match(ctx.errors.join('\n'), /unknown backend 'nope'; valid backends: torch-npu, onnxruntime, <path to a plugin module>/);
  });

  it('refuses to resume another run, and its replay commands never overwrite the run', async () => {
    const out = tmp();
    const plugin = path.join(packageRoot(), 'examples', 'plugin-twin.js');
    const args = ['run', '--backend', plugin, '--profile', 'full', '--grep', 'table2-r3/.*/base/full-range', '--out', out, '--no-progress'];
    assert.equal(await main(args, capture()), 0);
    const r = readResults(path.join(out, 'results.jsonl'))[0]!;
    assert.match(r.replay, /--out reports\/replay --case /);
    const ctx = capture();
    assert.equal(await main([...args, '--resume', '--seed', '5'], ctx), 2);
    assert.match(ctx.errors.join('\n'), /--resume: .* is another run \(seed: recorded 0, now 5\)/);
  });
});

