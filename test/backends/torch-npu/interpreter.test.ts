import { strict as assert } from 'node:assert';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NoInterpreterError, probeTorch, resolveInterpreter } from '../../../harness/backends/torch-npu/interpreter';
import { SYSTEM_PYTHON } from './helpers';
import { testTmpDir } from '../../helpers/tmp';

function envWithout(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('A8W8_PYTHON' in extra)) delete env.A8W8_PYTHON;
  return env;
}

describe('torch-npu: interpreter resolution', function () {
  this.timeout(60_000);
  let dir: string;
  let wrapper: string;
  let noTorch: string;

  before(() => {
    dir = testTmpDir('a8w8-py-');
    // a working interpreter under another name, to see A8W8_PYTHON taken as given
    wrapper = path.join(dir, 'py-with-torch');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${SYSTEM_PYTHON} "$@"\n`);
    // the system interpreter without site-packages: a Python that does not have torch, like the pyenv shim
    noTorch = path.join(dir, 'py-without-torch');
    writeFileSync(noTorch, `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`);
    chmodSync(wrapper, 0o755);
    chmodSync(noTorch, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('honours A8W8_PYTHON ahead of the candidates', async () => {
    const choice = await resolveInterpreter({ env: envWithout({ A8W8_PYTHON: wrapper }), candidates: [SYSTEM_PYTHON] });
    assert.equal(choice.python, wrapper);
    assert.equal(choice.reason, 'A8W8_PYTHON');
    assert.match(choice.torchVersion, /^\d/);
  });

  it('fails loudly when A8W8_PYTHON has no torch, without falling back', async () => {
    await assert.rejects(resolveInterpreter({ env: envWithout({ A8W8_PYTHON: noTorch }), candidates: [SYSTEM_PYTHON] }),
      (err: unknown) => err instanceof NoInterpreterError && /A8W8_PYTHON/.test(err.message) &&
        /No module named 'torch'/.test(err.message));
  });

  it('skips a candidate without torch, and one that does not exist, saying why', async () => {
    const missing = path.join(dir, 'no-such-python');
    const choice = await resolveInterpreter({ env: envWithout(), candidates: [missing, noTorch, SYSTEM_PYTHON] });
    assert.equal(choice.python, SYSTEM_PYTHON);
    assert.deepEqual(choice.skipped.map((s) => s.candidate), [missing, noTorch]);
    assert.equal(choice.skipped[0]!.reason, 'not found');
    assert.match(choice.skipped[1]!.reason, /No module named 'torch'/);
  });

  it('by default takes the first of python3, /usr/bin/python3 that imports torch', async () => {
    const onPath = await probeTorch('python3', envWithout());
    const choice = await resolveInterpreter({ env: envWithout() });
    if (onPath.ok) {
      assert.equal(choice.python, 'python3');
    } else {
      // this machine: python3 is a pyenv shim without torch
      assert.equal(choice.python, SYSTEM_PYTHON);
      assert.equal(choice.skipped[0]!.candidate, 'python3');
      assert.equal(choice.skipped[0]!.reason, onPath.reason);
    }
  });

  it('lists every candidate when none qualifies', async () => {
    await assert.rejects(resolveInterpreter({ env: envWithout(), candidates: [noTorch] }),
      (err: unknown) => err instanceof NoInterpreterError && err.message.includes(noTorch));
  });
});
