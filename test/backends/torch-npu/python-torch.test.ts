import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { SYSTEM_PYTHON } from './helpers';

/**
 * The setup script installs Debian's python3-torch and python3-numpy for /usr/bin/python3, and the
 * worker tests depend on them. This test fails (it never skips) when they are missing, so a setup
 * script that lost its install step shows up as a failure instead of as worker tests quietly absent.
 */
describe('torch-npu: the system interpreter has torch', function () {
  this.timeout(60_000);
  it(`${SYSTEM_PYTHON} imports torch and numpy`, () => {
    let out = '';
    try {
      out = execFileSync(SYSTEM_PYTHON, ['-c', 'import torch, numpy; print(torch.__version__, numpy.__version__)'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      assert.fail(`${SYSTEM_PYTHON} cannot import torch/numpy: the setup script must install python3-torch and ` +
        `python3-numpy.\n${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
    assert.match(out, /^\d+\.\d+/);
  });
});
