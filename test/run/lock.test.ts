import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HarnessError } from '../../harness/errors';
import { LOCK_FILE, lockOutput, readHolder } from '../../harness/run/lock';
import { tmpDir } from '../helpers/cli';

/** The pid of a process that has exited: free on this host until the kernel reuses it. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe('run: the output lock', () => {
  it('gives the directory to one run: a second is refused naming the first, until it is released', () => {
    const dir = tmpDir();
    const first = lockOutput(dir, 'a8w8 run --out first');
    assert.deepEqual(readHolder(path.join(dir, LOCK_FILE)), { ...readHolder(first.file)!, pid: process.pid, host: os.hostname(), command: 'a8w8 run --out first' });
    assert.throws(() => lockOutput(dir, 'a8w8 run --out second'), (e: HarnessError) => {
      assert.equal(e.code, 'ERR_BAD_ARGUMENT');
      assert.match(e.message, new RegExp(`output directory .* is in use: another run holds it: pid ${process.pid} on ${os.hostname()} \\(a8w8 run --out first, started `));
      return true;
    });
    first.release();
    assert.equal(fs.existsSync(first.file), false);
    first.release(); // twice is harmless
    lockOutput(dir, 'a8w8 run --out second').release();
  });

  it('takes over the lock of a run that is gone from this host, with a notice', () => {
    const dir = tmpDir();
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), command: 'a8w8 run (killed)', startedAt: '2020-01-01T00:00:00.000Z' }));
    const lock = lockOutput(dir, 'a8w8 run --resume');
    assert.match(lock.notice ?? '', new RegExp(`took over the lock of pid ${pid} .*a8w8 run \\(killed\\).*no longer running`));
    assert.equal(readHolder(lock.file)!.pid, process.pid);
    lock.release();
  });

  it('never takes over a lock of another host, or one it cannot read', () => {
    const dir = tmpDir();
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', command: 'a8w8 run', startedAt: '2020-01-01T00:00:00.000Z' }));
    assert.throws(() => lockOutput(dir, 'a8w8 run'), /in use: another run holds it: pid \d+ on elsewhere\.example/);
    fs.writeFileSync(file, 'not json');
    assert.throws(() => lockOutput(dir, 'a8w8 run'), /exists but does not name its holder; .*remove .*\.a8w8\.lock if no such run is alive/);
    fs.rmSync(file);
    execFileSync('mkfifo', [file]); // looked at without blocking
    assert.throws(() => lockOutput(dir, 'a8w8 run'), /exists but does not name its holder/);
  });

  it('creates the directory, and removes it again when nothing was written there', () => {
    const dir = path.join(tmpDir(), 'a', 'b');
    const lock = lockOutput(dir, 'a8w8 run');
    assert.equal(lock.created, true);
    assert.ok(fs.statSync(dir).isDirectory());
    lock.release();
    assert.equal(fs.existsSync(dir), false);
    const kept = lockOutput(dir, 'a8w8 run');
    fs.writeFileSync(path.join(dir, 'results.jsonl'), '');
    kept.release();
    assert.ok(fs.existsSync(path.join(dir, 'results.jsonl')));
  });

  it('refuses an existing file, and a path that cannot be created, at once', () => {
    const file = path.join(tmpDir(), 'results.txt');
    fs.writeFileSync(file, 'x');
    assert.throws(() => lockOutput(file, 'a8w8 run'), /--out .*results\.txt: is a regular file, not a directory/);
    assert.throws(() => lockOutput(path.join(file, 'sub'), 'a8w8 run'), /--out .*: .*results\.txt is a regular file, not a directory/);
    // fs.mkdirSync's recursive mode loops forever on this one
    assert.throws(() => lockOutput('/proc/nope', 'a8w8 run'), /--out \/proc\/nope: cannot create \/proc\/nope: ENOENT/);
  });
});
