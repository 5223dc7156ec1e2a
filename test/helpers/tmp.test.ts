import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'mocha';

const HELPER = path.join(__dirname, 'tmp.js');
const MOCHA = require.resolve('mocha/bin/mocha.js');

/** Runs one test file under Mocha itself, as `npm test` does (no --exit): its test makes two directories. */
function underMocha(fails: boolean, env: Record<string, string> = {}): { status: number | null; dirs: string[]; stderr: string } {
  const spec = fs.mkdtempSync(path.join(os.tmpdir(), 'a8w8-tmp-spec-'));
  try {
    const list = path.join(spec, 'dirs.json');
    fs.writeFileSync(path.join(spec, 'one.test.js'), `const { testTmpDir } = require(${JSON.stringify(HELPER)});
      it('makes two directories', () => {
        const a = testTmpDir('a8w8-tmp-test-'), b = testTmpDir('a8w8-tmp-test-');
        require('node:fs').writeFileSync(require('node:path').join(a, 'f'), 'x');
        require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify([a, b]));
        ${fails ? "throw new Error('planted failure');" : ''}
      });`);
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('A8W8_KEEP_TEST_DIRS' in env)) delete childEnv.A8W8_KEEP_TEST_DIRS;
    const run = spawnSync(process.execPath, [MOCHA, '--no-config', '--reporter', 'dot', path.join(spec, 'one.test.js')], { encoding: 'utf8', env: childEnv });
    return { status: run.status, dirs: JSON.parse(fs.readFileSync(list, 'utf8')) as string[], stderr: run.stderr };
  } finally {
    fs.rmSync(spec, { recursive: true, force: true });
  }
}

describe('test helpers: temporary directories', function () {
  this.timeout(30_000);

  it('are removed when every test passed', () => {
    const { status, dirs, stderr } = underMocha(false);
    assert.equal(status, 0, stderr);
    assert.equal(dirs.length, 2);
    for (const d of dirs) assert.equal(fs.existsSync(d), false, `${d} left behind`);
    assert.doesNotMatch(stderr, /test directories kept/);
  });

  it('are kept, and named on stderr, when a test failed, or when A8W8_KEEP_TEST_DIRS is set', () => {
    for (const [fails, env] of [[true, {}], [false, { A8W8_KEEP_TEST_DIRS: '1' }]] as const) {
      const { status, dirs, stderr } = underMocha(fails, env);
      try {
        assert.equal(status, fails ? 1 : 0);
        for (const d of dirs) assert.equal(fs.existsSync(d), true, `${d} removed (fails=${fails})`);
        assert.match(stderr, /test directories kept \(2, under /);
        assert.ok(stderr.includes(dirs[0]!));
      } finally {
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      }
    }
  });

  it('are kept by an explicit exit code too (a process that calls process.exit)', () => {
    const script = `const { testTmpDir } = require(${JSON.stringify(HELPER)});
      const a = testTmpDir('a8w8-tmp-test-'); console.log(JSON.stringify(a)); process.exit(3);`;
    const env = { ...process.env };
    delete env.A8W8_KEEP_TEST_DIRS;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
    const dir = JSON.parse(run.stdout.trim()) as string;
    try {
      assert.equal(run.status, 3);
      assert.equal(fs.existsSync(dir), true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
