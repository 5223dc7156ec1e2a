import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'mocha';
import { findPackageRoot } from '../../harness/reference/native-addon';

describe('native reference: the portable C++ compiles for aarch64', () => {
  it('scripts/check-aarch64.sh compiles every source with the cross compiler', function () {
    const cross = spawnSync('sh', ['-c', 'command -v "${AARCH64_CXX:-aarch64-linux-gnu-g++}"']);
    if (cross.status !== 0) this.skip();
    this.timeout(300_000);
    const root = findPackageRoot(__dirname);
    const run = spawnSync('bash', [path.join(root, 'scripts', 'check-aarch64.sh')], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /compiled for aarch64/);
  });
});
