import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'mocha';

// A child process makes two directories and a file in one, then exits with `code`.
function child(code: number, env: NodeJS.ProcessEnv = {}): { dirs: string[]; stderr: string } {
  const helper = path.join(__dirname, 'tmp.js');
  const script = `const { testTmpDir } = require(${JSON.stringify(helper)});
    const a = testTmpDir('a8w8-tmp-test-'), b = testTmpDir('a8w8-tmp-test-');
    require('node:fs').writeFileSync(require('node:path').join(a, 'f'), 'x');
    console.log(JSON.stringify([a, b]));
    process.exitCode = ${code};`;
  const env2 = { ...process.env, ...env };
  if (!('A8W8_KEEP_TEST_DIRS' in env)) delete env2.A8W8_KEEP_TEST_DIRS;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: env2 });
  assert.equal(run.status, code, run.stderr);
  return { dirs: JSON.parse(run.stdout.trim()) as string[], stderr: run.stderr };
}

describe('test helpers: temporary directories', () => {
  it('are removed when the process exits with 0', () => {
    const { dirs, stderr } = child(0);
    assert.equal(dirs.length, 2);
    for (const d of dirs) assert.equal(fs.existsSync(d), false, `${d} left behind`);
    assert.equal(stderr, '');
  });

  it('are kept, and named on stderr, when the process fails or A8W8_KEEP_TEST_DIRS is set', () => {
    for (const [code, env] of [[1, {}], [0, { A8W8_KEEP_TEST_DIRS: '1' }]] as const) {
      const { dirs, stderr } = child(code, env);
      try {
        for (const d of dirs) assert.equal(fs.existsSync(d), true, `${d} removed`);
        assert.match(stderr, /test directories kept \(2, under /);
        assert.ok(stderr.includes(dirs[0]!));
      } finally {
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      }
    }
  });
});
