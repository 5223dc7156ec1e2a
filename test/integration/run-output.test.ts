import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { packageRoot } from '../../harness/paths';
import { LOCK_FILE } from '../../harness/run/lock';
import { readResults, type ResultRecord } from '../../harness/run/record';
import { defaultSpecPath } from '../../harness/spec/load';
import { capture, PLUGIN_TWIN, tmpDir } from '../helpers/cli';

/** plugin-twin, `delayMs` slower per case: a run that is still going when the test acts on it. */
function writeSlowPlugin(dir: string, delayMs: number): string {
  const file = path.join(dir, 'slow-twin.js');
  fs.writeFileSync(file, `
    const twin = require(${JSON.stringify(PLUGIN_TWIN)});
    exports.createBackend = () => {
      const b = twin.createBackend();
      const run = b.run;
      b.run = async (c, inputs, signal) => { await new Promise((r) => setTimeout(r, ${delayMs})); return run(c, inputs, signal); };
      return b;
    };`);
  return file;
}

/** A few full-profile cases of one table row: accepted ones the twin passes. */
const GREP = 'table2-r3/.*/base/full-range';
const BIN = path.join(packageRoot(), 'bin', 'a8w8.js');

/** `a8w8 run` as a child process (the real CLI, signals and all); resolves with its exit code and stderr. */
function spawnRun(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, done };
}

/** Waits until `ready()` holds (polling), or fails after a minute. */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const lines = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0);
const outcomes = (rs: ResultRecord[]): string[] => rs.map((r) => `${r.caseId} ${r.outcome.status}`).sort();

describe('cli: run owns its output directory', function () {
  this.timeout(180_000);

  it('refuses a second run on the same --out naming the first (exit 2); SIGINT stops the first and releases the lock', async () => {
    const out = tmpDir();
    const slow = writeSlowPlugin(out, 1000);
    const dir = path.join(out, 'run');
    const first = spawnRun(['--backend', slow, '--profile', 'full', '--grep', GREP, '--out', dir, '--no-progress']);
    await until(() => lines(path.join(dir, 'results.jsonl')) >= 1, 'the first run to record a case');
    const ctx = capture();
    assert.equal(await main(['run', '--backend', PLUGIN_TWIN, '--profile', 'full', '--grep', GREP, '--out', dir, '--no-progress'], ctx), 2);
    assert.match(ctx.errors.join('\n'), new RegExp(`output directory .*run is in use: another run holds it: pid ${first.child.pid} on .* \\(a8w8 run --backend .*slow-twin\\.js`));
    first.child.kill('SIGINT');
    const ended = await first.done;
    assert.equal(ended.code, 1, ended.stderr); // interrupted: not a complete run
    assert.match(ended.stderr, /SIGINT: stopping after the cases in flight/);
    assert.equal(fs.existsSync(path.join(dir, LOCK_FILE)), false, 'the lock is released');
    const recorded = readResults(path.join(dir, 'results.jsonl')).length;
    // the directory is free again: resuming completes the run
    const resumed = capture();
    assert.equal(await main(['run', '--backend', PLUGIN_TWIN, '--profile', 'full', '--grep', GREP, '--out', path.join(out, 'whole'), '--no-progress'], capture()), 0);
    const total = readResults(path.join(out, 'whole', 'results.jsonl')).length;
    assert.ok(recorded >= 1 && recorded < total, `${recorded} of ${total} record(s) before SIGINT`);
    assert.equal(await main(['run', '--backend', slow, '--profile', 'full', '--grep', GREP, '--out', dir, '--no-progress', '--resume'], resumed), 0, resumed.text());
    assert.equal(readResults(path.join(dir, 'results.jsonl')).length, total);
  });

  it('killed twice (SIGKILL) and resumed, gives the same records as an uninterrupted run; stale locks are taken over', async () => {
    const out = tmpDir();
    const slow = writeSlowPlugin(out, 150);
    const args = ['--backend', slow, '--profile', 'full', '--grep', GREP, '--no-progress'];
    const whole = path.join(out, 'whole');
    assert.equal(await main(['run', ...args, '--out', whole], capture()), 0);
    const dir = path.join(out, 'killed');
    const file = path.join(dir, 'results.jsonl');
    for (const atLeast of [2, 4]) {
      const run = spawnRun([...args, '--out', dir, ...(atLeast > 2 ? ['--resume'] : [])]);
      await until(() => lines(file) >= atLeast, `${atLeast} records`);
      run.child.kill('SIGKILL');
      assert.equal((await run.done).signal, 'SIGKILL');
      assert.ok(fs.existsSync(path.join(dir, LOCK_FILE)), 'a killed run leaves its lock behind');
    }
    const ctx = capture();
    assert.equal(await main(['run', ...args, '--out', dir, '--resume'], ctx), 0, ctx.text());
    assert.match(ctx.errors.join('\n'), /took over the lock of pid \d+ .* which is no longer running/);
    assert.deepEqual(outcomes(readResults(file)), outcomes(readResults(path.join(whole, 'results.jsonl'))));
  });

  it('refuses an --out that is a file or cannot be created, at once (exit 2)', async () => {
    const file = path.join(tmpDir(), 'results.txt');
    fs.writeFileSync(file, 'keep me\n');
    for (const [out, pattern] of [[file, /--out .*results\.txt: is a regular file, not a directory/], ['/proc/nope', /--out \/proc\/nope: cannot create \/proc\/nope: ENOENT/]] as const) {
      const ctx = capture();
      assert.equal(await main(['run', '--backend', PLUGIN_TWIN, '--grep', GREP, '--out', out, '--no-progress'], ctx), 2);
      assert.match(ctx.errors.join('\n'), pattern);
      assert.doesNotMatch(ctx.text(), /internal error|\n\s+at /);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me\n');
  });
});

describe('cli: run --resume continues only the same run', function () {
  this.timeout(300_000);
  const base = ['--backend', PLUGIN_TWIN, '--product', 'atlas-a2', '--profile', 'full', '--grep', GREP, '--no-progress'];
  let dir: string;
  let runJson: string;

  before(async () => {
    dir = path.join(tmpDir(), 'run');
    const ctx = capture();
    assert.equal(await main(['run', ...base, '--out', dir], ctx), 0, ctx.text());
    runJson = fs.readFileSync(path.join(dir, 'run.json'), 'utf8');
  });

  /** `run --resume` with `args` added must be refused (exit 2) with `pattern`, leaving the run untouched. */
  async function refused(args: string[], pattern: RegExp, out = dir): Promise<void> {
    const results = fs.readFileSync(path.join(out, 'results.jsonl'));
    const before = fs.readFileSync(path.join(out, 'run.json'));
    const ctx = capture();
    assert.equal(await main(['run', ...base, '--out', out, '--resume', ...args], ctx), 2, ctx.text());
    assert.match(ctx.errors.join('\n'), pattern);
    assert.doesNotMatch(ctx.text(), /internal error|\n\s+at /);
    assert.deepEqual(fs.readFileSync(path.join(out, 'results.jsonl')), results, 'results.jsonl untouched');
    assert.deepEqual(fs.readFileSync(path.join(out, 'run.json')), before, 'run.json untouched');
    assert.equal(fs.existsSync(path.join(out, LOCK_FILE)), false);
  }

  it('records the verdict settings in run.json', () => {
    const env = JSON.parse(runJson) as { settings: unknown };
    assert.deepEqual(env.settings, { timeoutMs: 120000, retries: 0, pins: {}, expectations: { file: null, sha256: (env.settings as { expectations: { sha256: string } }).expectations.sha256 } });
  });

  it('resumes with the same settings', async () => {
    const ctx = capture();
    assert.equal(await main(['run', ...base, '--out', dir, '--resume'], ctx), 0, ctx.text());
  });

  it('refuses each setting that changes a verdict, naming it', async () => {
    const tmp = tmpDir();
    const expectations = path.join(tmp, 'known.yml');
    fs.writeFileSync(expectations, '- cases: "**/table2-r3/**"\n  expected: [fail]\n  reason: known\n');
    const spec = path.join(tmp, 'spec.yml');
    fs.writeFileSync(spec, fs.readFileSync(defaultSpecPath(), 'utf8') + '\n# an edit\n');
    const otherBackend = path.join(tmp, 'other-twin.js');
    fs.writeFileSync(otherBackend, `module.exports = require(${JSON.stringify(PLUGIN_TWIN)});`);
    const cases: [string[], RegExp][] = [
      [['--pin', 'fp16Overflow=saturate'], /pins: recorded \{\}, now \{"fp16Overflow":"saturate"\}/],
      [['--timeout', '5000'], /timeout: recorded 120000, now 5000/],
      [['--retries', '2'], /retries: recorded 0, now 2/],
      [['--expectations', expectations], /expectations: recorded none \(sha256 [0-9a-f]{12}\), now .*known\.yml \(sha256 [0-9a-f]{12}\)/],
      [['--spec', spec], /spec hash: recorded [0-9a-f]{64}, now [0-9a-f]{64}/],
      [['--profile', 'smoke'], /profile: recorded full, now smoke/],
      [['--seed', '7'], /seed: recorded 0, now 7/],
      [['--backend', otherBackend], /backend: recorded .*plugin-twin\.js, now .*other-twin\.js/],
      [['--product', 'atlas-a3'], /product: recorded atlas-a2, now atlas-a3/],
      [['--reference', 'twin'], /reference: recorded native, now twin/],
    ];
    for (const [args, pattern] of cases) await refused(args, new RegExp(`--resume: .*run\\.json is another run \\(.*${pattern.source}.*\\); use another --out`));
    // every difference at once
    await refused(['--seed', '7', '--timeout', '5000'], /\(seed: recorded 0, now 7; timeout: recorded 120000, now 5000\)/);
  });

  it('refuses a corrupt run.json, a garbage line and a case recorded twice with a clear error (exit 2)', async () => {
    const copy = (): string => {
      const to = path.join(tmpDir(), 'run');
      fs.cpSync(dir, to, { recursive: true });
      return to;
    };
    const corrupt = copy();
    fs.writeFileSync(path.join(corrupt, 'run.json'), '{"version": 1, "spec": ');
    await refused([], /--resume: cannot continue the run in .*: .*run\.json: not JSON/, corrupt);
    const garbage = copy();
    const file = path.join(garbage, 'results.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.writeFileSync(file, [lines[0], 'garbage', ...lines.slice(1)].join('\n'));
    await refused([], /--resume: cannot continue the run in .*: .*results\.jsonl:2: not a JSON record/, garbage);
    const twice = copy();
    fs.appendFileSync(path.join(twice, 'results.jsonl'), lines[0] + '\n');
    await refused([], /--resume: cannot continue the run in .*: .*1 case id\(s\) recorded more than once: .* \(lines 1, \d+\)/, twice);
    const orphan = copy();
    fs.rmSync(path.join(orphan, 'run.json'));
    const ctx = capture();
    assert.equal(await main(['run', ...base, '--out', orphan, '--resume'], ctx), 2);
    assert.match(ctx.errors.join('\n'), /results\.jsonl has no run\.json beside it/);
  });

  it('resumes after a torn last line that follows invalid UTF-8: nothing lost, nothing glued', async () => {
    const torn = path.join(tmpDir(), 'run');
    fs.cpSync(dir, torn, { recursive: true });
    const file = path.join(torn, 'results.jsonl');
    const all = readResults(file);
    const text = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    // one byte 0xff inside a JSON string of the first record, then the last record cut mid-line
    const first = Buffer.from(text[0]!.replace('"replay":"', '"replay":"\u0001') + '\n');
    first[first.indexOf(0x01)] = 0xff;
    const middle = text.slice(1, -1).map((l) => l + '\n').join('');
    fs.writeFileSync(file, Buffer.concat([first, Buffer.from(middle), Buffer.from(text.at(-1)!.slice(0, 100))]));
    const ctx = capture();
    assert.equal(await main(['run', ...base, '--out', torn, '--resume'], ctx), 0, ctx.text());
    assert.match(ctx.errors.join('\n'), /results\.jsonl:\d+: dropping a torn last line \(100 bytes/);
    const after = readResults(file);
    assert.deepEqual(outcomes(after), outcomes(all));
  });
});
