import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { readResults } from '../../harness/run/record';
import { HUNG_AFTER_TIMEOUTS } from '../../harness/run/runner';
import { capture, tmpDir } from '../helpers/cli';
import { FAULTY, GREP, withFaults } from '../helpers/plugins';

const SELECTION = 4;

const runArgs = (out: string, timeoutMs: number): string[] =>
  ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--profile', 'smoke', '--grep', GREP, '--timeout', String(timeoutMs), '--out', out, '--no-progress'];

describe('cli: plugins are untrusted code', function () {
  this.timeout(120_000);

  describe('a plugin that cannot be opened is refused before anything runs (exit 2)', () => {
    // a short limit only where the open never ends: loading a plugin on a busy machine takes a while
    const refused: [string, number, RegExp][] = [
      ['open-never', 1000, /cannot open device 0: open\(\) did not finish within 1000 ms; the plugin's process was killed/],
      ['open-throws', 20_000, /cannot open device 0: planted: no device/],
      ['create-throws', 20_000, /cannot open device 0: createBackend\(\) threw Error: planted: createBackend failed/],
      ['bad-device-info', 20_000, /cannot open device 0: DeviceInfo\.simulated is "yes", expected true or false/],
    ];
    for (const [fault, timeoutMs, message] of refused) {
      it(fault, async () => {
        const out = path.join(tmpDir(), 'run');
        const { code, ctx } = await withFaults(fault, runArgs(out, timeoutMs));
        assert.equal(code, 2, ctx.text());
        assert.match(ctx.errors.join('\n'), message);
        assert.equal(fs.existsSync(path.join(out, 'results.jsonl')), false, 'nothing may be written');
      });
    }

    it('open-never under qualify', async () => {
      const out = path.join(tmpDir(), 'bundle');
      const { code, ctx } = await withFaults('open-never',
        ['qualify', '--product', 'atlas-a2', '--backend', FAULTY, '--allow-simulated', '--grep', GREP, '--timeout', '1000', '--out', out, '--no-progress']);
      assert.equal(code, 2, ctx.text());
      assert.match(ctx.errors.join('\n'), /open\(\) did not finish within 1000 ms/);
      assert.equal(fs.existsSync(path.join(out, 'verdict.json')), false);
    });
  });

  it('a close() that never settles after the run: the results are kept and the run exits 2', async () => {
    const out = tmpDir();
    const { code, ctx } = await withFaults('close-never', runArgs(out, 6000));
    assert.equal(code, 2, ctx.text());
    assert.match(ctx.errors.join('\n'), /closing failed on cpu: close\(\) did not finish within 6000 ms; the plugin's process was killed/);
    const records = readResults(path.join(out, 'results.jsonl'));
    assert.deepEqual(records.map((r) => r.outcome.status), Array(SELECTION).fill('pass'));
  });

  describe('a malformed reply is an error naming the field, never a pass (exit 1)', () => {
    const malformed: [string, RegExp][] = [
      ['run-null', /^backend reply: the reply is null, expected an object with a status$/],
      ['no-status', /^backend reply: status is missing, expected one of ok, rejected, skip$/],
      ['unknown-status', /^backend reply: status is "passed", expected one of ok, rejected, skip$/],
      ['wrong-shape', /^backend reply: output\.shape is \[[\d,]+\], the case expects \[[\d,]+\]$/],
      ['wrong-dtype', /^backend reply: output\.dtype is float32, the case expects int8$/],
      ['wrong-length', /^backend reply: output\.data has (\d+) element\(s\), shape \[[\d,]+\] needs \d+$/],
    ];
    for (const [fault, message] of malformed) {
      it(fault, async () => {
        const out = tmpDir();
        const { code, ctx } = await withFaults(fault, runArgs(out, 20_000));
        assert.equal(code, 1, ctx.text());
        const records = readResults(path.join(out, 'results.jsonl'));
        assert.equal(records.length, SELECTION);
        for (const r of records) {
          assert.equal(r.outcome.status, 'error', r.caseId);
          assert.match((r.outcome as { message: string }).message, message);
        }
        assert.ok(!ctx.text().includes('    at '), 'no stack trace');
      });
    }
  });

  it('a synchronous busy loop in run() costs that case only (timeout); the other cases run', async () => {
    const out = tmpDir();
    const { code, ctx } = await withFaults('busy-loop@m=3', runArgs(out, 1500));
    assert.equal(code, 1, ctx.text());
    const records = readResults(path.join(out, 'results.jsonl'));
    assert.equal(records.length, SELECTION);
    const byClass = new Map(records.map((r) => [r.case.shapeClass, r.outcome.status]));
    assert.deepEqual(Object.fromEntries(byClass), { 'tiny-1x2x1': 'pass', m1: 'pass', 'doc-example': 'pass', rank5: 'timeout' });
  });

  it(`a device that hangs on ${HUNG_AFTER_TIMEOUTS} cases in a row is declared hung: one error names it and the cases left (exit 1)`, async () => {
    const out = tmpDir();
    const { code, ctx } = await withFaults('busy-loop@m=1', runArgs(out, 1500));
    assert.equal(code, 1, ctx.text());
    const records = readResults(path.join(out, 'results.jsonl'));
    assert.deepEqual(records.map((r) => r.outcome.status), Array(HUNG_AFTER_TIMEOUTS).fill('timeout'));
    const hung = ctx.errors.filter((l) => l.startsWith('ERROR device'));
    assert.equal(hung.length, 1, ctx.text());
    const rank5 = /^ERROR device cpu hung: 3 cases in a row timed out \(([^)]*)\); 1 case\(s\) not run: (\S+) \(--resume runs them once the device is fixed\)$/.exec(hung[0]!);
    assert.ok(rank5, hung[0]);
    assert.deepEqual(rank5[1]!.split(', '), records.map((r) => r.caseId));
    assert.match(rank5[2]!, /\/rank5\//);
  });

  it('--timeout beyond what Node timers hold is refused (exit 2), for run and qualify', async () => {
    for (const command of [['run'], ['qualify', '--product', 'atlas-a2', '--allow-simulated']]) {
      const ctx = capture();
      assert.equal(await main([...command, '--backend', FAULTY, '--timeout', '3000000000', '--out', path.join(tmpDir(), 'x')], ctx), 2, ctx.text());
      assert.match(ctx.errors.join('\n'), /--timeout expects an integer number of ms from 1 to 2000000000 .* got '3000000000'/);
    }
  });
});
