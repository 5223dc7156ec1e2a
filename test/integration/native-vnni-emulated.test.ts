import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'mocha';
import { findPackageRoot } from '../../harness/reference/native-addon';

// The VNNI path runs for real only on AVX-512 VNNI hosts (test/reference/native-gemm.test.ts); this
// checks its integers everywhere else too, through SIMDe's emulation of the intrinsics.
describe('native reference: the AVX-512 VNNI path, emulated', () => {
  it('scripts/check-vnni.sh finds every product exact, under AddressSanitizer', function () {
    if (os.arch() !== 'x64') this.skip();
    this.timeout(300_000);
    const root = findPackageRoot(__dirname);
    const run = spawnSync('bash', [path.join(root, 'scripts', 'check-vnni.sh')], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /check-vnni: [1-9]\d* products \(\d+ outputs\) on the emulated AVX-512 VNNI path equal/);
  });
});
