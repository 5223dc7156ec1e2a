import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { readResults, type ResultRecord } from '../../harness/run/record';
import { capture, PLUGIN_TWIN, runInto, tmpDir, writeMixedPlugin } from '../report/helpers';

/** A copy of a run with one record timed (hand-made timings on a real record). */
function withTiming(from: string, medianUs: number): string {
  const dir = tmpDir();
  const records = readResults(path.join(from, 'results.jsonl')).map((r, i): ResultRecord => (i === 0
    ? { ...r, timings: { ...r.timings, device: { repeats: 20, medianUs, p10Us: medianUs * 0.98, p90Us: medianUs * 1.02 } } } : r));
  fs.writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  fs.copyFileSync(path.join(from, 'run.json'), path.join(dir, 'run.json'));
  return dir;
}

describe('cli: diff', function () {
  this.timeout(180_000);
  // tail cases: the mixed plugin flips a bit of them (fail); the rest pass on both
  const grep = 'table2-r1/.*/(tail-|base/)';
  let good: string;
  let bad: string;

  before(async () => {
    const [g, b] = await Promise.all([
      runInto(['--backend', PLUGIN_TWIN, '--grep', grep]),
      runInto(['--backend', writeMixedPlugin(tmpDir()), '--grep', grep]),
    ]);
    assert.equal(g.code, 0, g.ctx.text());
    assert.equal(b.code, 1, 'the mixed plugin fails tail cases');
    [good, bad] = [g.dir, b.dir];
  });

  it('shows new failures with their replay commands and exits 1', async () => {
    const ctx = capture();
    assert.equal(await main(['diff', good, bad], ctx), 1, ctx.text());
    const fails = readResults(path.join(bad, 'results.jsonl')).filter((r) => r.outcome.status === 'fail');
    assert.ok(fails.length > 0);
    for (const f of fails) assert.ok(ctx.lines.includes(`NEW ${f.caseId}: pass -> fail: ${f.outcome.status === 'fail' ? f.outcome.reason : ''}\n  replay: ${f.replay}`), ctx.text());
    assert.match(ctx.lines.at(-2)!, new RegExp(`^${fails.length} new unexpected, 0 fixed`));
    assert.ok(ctx.lines.some((l) => /^environment differs backend:/.test(l)));
  });

  it('shows fixed cases and exits 0 the other way round', async () => {
    const ctx = capture();
    assert.equal(await main(['diff', bad, good], ctx), 0, ctx.text());
    assert.ok(ctx.lines.some((l) => /^FIXED .*: fail -> pass/.test(l)));
    assert.match(ctx.lines.at(-2)!, /^0 new unexpected, \d+ fixed/);
  });

  it('fails on cases that vanished only when asked (--fail-on-missing)', async () => {
    const short = tmpDir();
    const lines = fs.readFileSync(path.join(good, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(path.join(short, 'results.jsonl'), lines.slice(0, -2).join('\n') + '\n');
    fs.copyFileSync(path.join(good, 'run.json'), path.join(short, 'run.json'));
    assert.equal(await main(['diff', good, short], capture()), 0);
    const ctx = capture();
    assert.equal(await main(['diff', good, short, '--fail-on-missing'], ctx), 1);
    assert.match(ctx.text(), /2 case\(s\) of .* have no result in .* \(--fail-on-missing\)/);
  });

  it('writes versioned JSON with --json', async () => {
    const ctx = capture();
    assert.equal(await main(['diff', good, bad, '--json'], ctx), 1);
    const d = JSON.parse(ctx.lines.join('\n')) as { version: number; newUnexpected: { caseId: string }[]; fixed: unknown[] };
    assert.equal(d.version, 1);
    assert.ok(d.newUnexpected.length > 0);
    assert.deepEqual(d.fixed, []);
  });

  it('shows performance moves beyond noise; fails on them only when asked', async () => {
    const before = withTiming(good, 100);
    const after = withTiming(good, 150);
    const ctx = capture();
    assert.equal(await main(['diff', before, after], ctx), 0, ctx.text());
    assert.ok(ctx.lines.some((l) => /^SLOWER .*: 100\.0 -> 150\.0 us \(\+50\.0%\): slower: /.test(l)), ctx.text());
    assert.match(ctx.lines.at(-1)!, /^performance \(ci95\): 1 regression\(s\), 0 improvement\(s\)/);
    assert.equal(await main(['diff', before, after, '--fail-on-regression'], capture()), 1);
    const same = capture();
    assert.equal(await main(['diff', before, withTiming(good, 100.5), '--fail-on-regression'], same), 0, 'within noise');
    assert.match(same.lines.at(-1)!, /1 within noise/);
  });
});
