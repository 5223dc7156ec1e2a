import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import type { RunEnvironment } from '../../harness/run/environment';
import { readResults, type ResultRecord } from '../../harness/run/record';
import { capture, runInto, tmpDir, writeMixedPlugin } from '../report/helpers';

const SHARDS = 4;

/** What a sharded run must reproduce of an unsharded one, case by case (timings and devices aside). */
const verdicts = (records: ResultRecord[]) => records
  .map((r) => ({ caseId: r.caseId, product: r.product, status: r.outcome.status, asExpected: r.asExpected, unexpectedPass: r.unexpectedPass }))
  .sort((a, b) => a.caseId.localeCompare(b.caseId));

describe('cli: a run split into shards and merged', function () {
  this.timeout(300_000);

  it(`${SHARDS} shards merged with a8w8 merge equal one unsharded run: same cases, outcomes and verdicts`, async () => {
    // a plugin with every kind of outcome, on a selection that holds passes, failures, errors and rejections
    const plugin = writeMixedPlugin(tmpDir());
    const args = ['--backend', plugin, '--product', 'atlas-a2', '--grep', 'table2-r2/|x1-rank|tail-|/m1/'];
    const runs = await Promise.all([
      runInto(args),
      ...Array.from({ length: SHARDS }, (_, i) => runInto([...args, '--shard', `${i + 1}/${SHARDS}`])),
    ]);
    const [whole, ...shards] = runs;
    // the selection has unexpected outcomes: every run exits 1, the whole and the shards alike
    for (const r of runs) assert.equal(r.code, 1, r.ctx.text());
    const wholeRecords = readResults(path.join(whole!.dir, 'results.jsonl'));
    const statuses = new Set(wholeRecords.map((r) => r.outcome.status));
    for (const s of ['pass', 'fail', 'error', 'rejected']) assert.ok(statuses.has(s as never), `the selection yields ${s}: ${[...statuses].join(', ')}`);
    const sizes = shards.map((s) => readResults(path.join(s.dir, 'results.jsonl')).length);
    assert.ok(sizes.every((n) => n > 0), `every shard runs cases: ${sizes.join(', ')}`);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `shards are balanced: ${sizes.join(', ')}`);

    const out = path.join(tmpDir(), 'merged');
    const ctx = capture();
    assert.equal(await main(['merge', ...shards.map((s) => s.dir), '--out', out], ctx), 0, ctx.text());
    const merged = readResults(path.join(out, 'results.jsonl'));
    assert.equal(merged.length, wholeRecords.length);
    assert.deepEqual(verdicts(merged), verdicts(wholeRecords));

    // the merged run.json sums the shards' time figures (the machine time the shards took together)
    const env = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as RunEnvironment;
    const shardEnvs = shards.map((s) => JSON.parse(fs.readFileSync(path.join(s.dir, 'run.json'), 'utf8')) as RunEnvironment);
    for (const r of runs) assert.ok(r.ctx.errors.some((l) => /^time: [\d.]+ s wall: backend \d+% .* harness \d+% /.test(l)), 'every run ends with its time line');
    assert.equal(env.figures?.cases, wholeRecords.length);
    const sum = shardEnvs.reduce((t, e) => t + e.figures!.wallMs, 0);
    assert.ok(Math.abs(env.figures!.wallMs - sum) < 1e-6 * sum, `merged wallMs ${env.figures!.wallMs} is the shards' sum ${sum}`);

    // and it reports as the unsharded run does: same exit code
    assert.equal(await main(['report', out, '--format', 'json', '--out', tmpDir()], capture()), 1);
    assert.equal(await main(['report', whole!.dir, '--format', 'json', '--out', tmpDir()], capture()), 1);
  });
});
