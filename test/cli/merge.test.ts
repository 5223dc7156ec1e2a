import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import type { RunEnvironment } from '../../harness/run/environment';
import { readResults, type ResultRecord } from '../../harness/run/record';
import { capture, PLUGIN_TWIN, runInto, tmpDir } from '../report/helpers';

function copyRun(from: string, edit: (records: ResultRecord[], env: RunEnvironment) => void = () => {}): string {
  const dir = tmpDir();
  const records = readResults(path.join(from, 'results.jsonl'));
  const env = JSON.parse(fs.readFileSync(path.join(from, 'run.json'), 'utf8')) as RunEnvironment;
  edit(records, env);
  fs.writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(env));
  return dir;
}

describe('cli: merge', function () {
  this.timeout(180_000);
  const grep = 'table2-r2/';
  let shard1: string;
  let shard2: string;
  let whole: ResultRecord[];

  before(async () => {
    const [a, b, all] = await Promise.all([
      runInto(['--backend', PLUGIN_TWIN, '--grep', grep, '--shard', '1/2']),
      runInto(['--backend', PLUGIN_TWIN, '--grep', grep, '--shard', '2/2']),
      runInto(['--backend', PLUGIN_TWIN, '--grep', grep]),
    ]);
    for (const r of [a, b, all]) assert.equal(r.code, 0, r.ctx.text());
    [shard1, shard2] = [a.dir, b.dir];
    whole = readResults(path.join(all.dir, 'results.jsonl'));
  });

  it('joins shards into the same case set as an unsharded run, with a merged run.json', async () => {
    const out = path.join(tmpDir(), 'merged');
    const ctx = capture();
    assert.equal(await main(['merge', shard1, shard2, '--out', out], ctx), 0, ctx.text());
    const merged = readResults(path.join(out, 'results.jsonl'));
    assert.deepEqual(merged.map((r) => r.caseId).sort(), whole.map((r) => r.caseId).sort());
    assert.ok(merged.length >= 4);
    const env = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as RunEnvironment;
    assert.deepEqual(env.argv, ['merge', shard1, shard2, '--out', out]);
    assert.match(ctx.errors.join('\n'), new RegExp(`${merged.length} case\\(s\\) merged, 0 duplicate\\(s\\), 0 conflict\\(s\\)`));
    assert.deepEqual(ctx.lines, [path.join(out, 'results.jsonl')], 'stdout: the file written; the rest is log on stderr');
    // the merged set reports like any run
    assert.equal(await main(['report', out, '--format', 'json'], capture()), 0);
  });

  it('reports duplicates with the same outcome, and exits 0', async () => {
    const ctx = capture();
    assert.equal(await main(['merge', shard1, copyRun(shard1), '--out', tmpDir()], ctx), 0, ctx.text());
    const n = readResults(path.join(shard1, 'results.jsonl')).length;
    assert.match(ctx.errors.join('\n'), new RegExp(`${n} duplicate\\(s\\), 0 conflict\\(s\\)`));
    assert.ok(ctx.errors.some((l) => /^DUPLICATE .*: pass in .* \(first kept\)$/.test(l)));
  });

  it('reports a case with different outcomes as a conflict, exits 1 and writes nothing', async () => {
    const bad = copyRun(shard1, (rs) => {
      rs[0]!.outcome = { status: 'error', message: 'worker died' };
      rs[0]!.asExpected = false;
    });
    const ctx = capture();
    const out = path.join(tmpDir(), 'merged');
    assert.equal(await main(['merge', shard1, bad, '--out', out], ctx), 1);
    assert.ok(ctx.errors.some((l) => /^CONFLICT .*: pass in .* vs error in .*/.test(l)), ctx.text());
    assert.match(ctx.errors.join('\n'), /1 outcome conflict\(s\), 0 environment conflict\(s\): nothing written/);
    assert.ok(!fs.existsSync(out), 'a set with a conflict is not written');
  });

  it('compares environments within a product: a different seed is a conflict, a different harness version a note', async () => {
    const ctx = capture();
    assert.equal(await main(['merge', shard1, copyRun(shard2, (_, env) => { env.seed = 9; env.harness.version = '9.9.9'; }), '--out', tmpDir()], ctx), 1);
    assert.ok(ctx.errors.some((l) => /^ENVIRONMENT CONFLICT seed: 0 \(.*\) vs 9 \(.*\)$/.test(l)), ctx.text());
    assert.ok(ctx.errors.some((l) => /^environment differs harness.version:/.test(l)));
  });

  it('joins runs of two products into one release: no conflict, both environments kept, one report with both verdicts', async () => {
    const inference = copyRun(shard2, (rs, env) => {
      for (const r of rs) {
        r.product = 'atlas-inference';
        r.caseId = r.caseId.replace(/^(linear-a8w8-quant)\/atlas-a2\//, '$1/atlas-inference/');
      }
      Object.assign(env, { product: 'atlas-inference', seed: 5, backend: 'onnxruntime' });
    });
    const out = path.join(tmpDir(), 'release');
    const ctx = capture();
    assert.equal(await main(['merge', shard1, inference, '--out', out], ctx), 0, ctx.text());
    assert.ok(!ctx.errors.some((l) => /CONFLICT/.test(l)), ctx.text());
    const env = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as RunEnvironment & { environments: RunEnvironment[] };
    assert.deepEqual(env.environments.map((e) => [e.product, e.seed, e.backend]), [['atlas-a2', 0, env.environments[0]!.backend], ['atlas-inference', 5, 'onnxruntime']]);
    const rep = capture();
    assert.equal(await main(['report', out, '--format', 'markdown,json'], rep), 0, rep.text());
    const md = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    // products in the spec's order, each with its own verdict line
    assert.match(md.split('\n')[0]!, /on atlas-inference, atlas-a2: all \d+ cases as expected/);
    // lines of several specs lead with their spec
    assert.match(md, /\n- ✅ \*\*linear-a8w8-quant\*\* · atlas-inference \(Atlas inference series[^\n]*backend onnxruntime, simulated[^\n]*\n- ✅ \*\*linear-a8w8-quant\*\* · atlas-a2 \(Atlas A2 training/);
  });

  it('refuses a shard that records a case twice (exit 2), naming the lines', async () => {
    const twice = copyRun(shard1, (rs) => { rs.push(rs[0]!); });
    const ctx = capture();
    assert.equal(await main(['merge', twice, shard2, '--out', tmpDir()], ctx), 2);
    assert.match(ctx.errors.join('\n'), /results\.jsonl: 1 case id\(s\) recorded more than once: .* \(lines 1, \d+\); a result set holds one record per case/);
  });

  it('refuses to write over an input and needs two inputs', async () => {
    const ctx = capture();
    assert.equal(await main(['merge', shard1, shard2, '--out', shard1], ctx), 2);
    assert.match(ctx.errors.join('\n'), /would overwrite a shard/);
    const one = capture();
    assert.equal(await main(['merge', shard1, '--out', tmpDir()], one), 2);
    assert.match(one.errors.join('\n'), /at least two result sets, got 1/);
  });
});
