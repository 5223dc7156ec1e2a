import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';
import { FAULTY, GREP } from '../helpers/plugins';
import { tmpDir } from '../helpers/cli';

const MAIN = path.join(packageRoot(), 'dist', 'harness', 'cli', 'main.js');
const BIN = path.join(packageRoot(), 'bin', 'a8w8.js');

/** Runs `exitWith(<command>)` in a fresh Node process, where an emptied event loop really ends it. */
function exitWith(command: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(MAIN)}).exitWith(${command})`], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('cli: the exit code of a command that never finishes', function () {
  this.timeout(120_000);

  it('a command whose promise never settles (nothing else pending) exits 2 with a message, not 0', () => {
    const r = exitWith('new Promise(() => {})');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^a8w8: internal error: the command never finished \(a promise that never settles, e\.g\. in a backend\); exit 2$/m);
  });

  it('a command that finishes sets its own code, silently', () => {
    for (const code of [0, 1]) {
      const r = exitWith(`Promise.resolve(${code})`);
      assert.equal(r.status, code);
      assert.equal(r.stderr, '');
    }
  });

  it('the a8w8 binary: a plugin whose open() never settles (and leaves no timer) exits 2, naming open()', () => {
    const out = path.join(tmpDir(), 'run');
    const r = spawnSync(process.execPath, [BIN, 'run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--timeout', '1000', '--out', out, '--no-progress'],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, A8W8_TEST_PLUGIN_FAULT: 'open-never' } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot open device 0: open\(\) did not finish within 1000 ms/);
  });
});
