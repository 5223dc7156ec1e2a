import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { detectBackend } from '../../harness/backends';
import { DEFAULT_CANDIDATES } from '../../harness/backends/torch-npu/interpreter';
import { STANDIN_PATH, SYSTEM_PYTHON } from './torch-npu/helpers';

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e.A8W8_BACKEND;
  if (!('PYTHONPATH' in extra)) delete e.PYTHONPATH;
  return e;
}

describe('backends: which one `run` picks without --backend', () => {
  it('A8W8_BACKEND names it', async () => {
    assert.deepEqual(await detectBackend({ ...env({}), A8W8_BACKEND: 'x' }), { name: 'x', why: 'A8W8_BACKEND' });
  });

  it('onnxruntime, without importing torch, where no interpreter finds torch_npu', async () => {
    // the Python has torch but not torch_npu: told by a lookup, before any import of torch
    const picked = await detectBackend(env({ A8W8_PYTHON: SYSTEM_PYTHON }));
    assert.deepEqual(picked, { name: 'onnxruntime', why: `no torch_npu for ${SYSTEM_PYTHON}` });
    const none = await detectBackend(env({ A8W8_PYTHON: '/nonexistent/python3' }));
    assert.equal(none.name, 'onnxruntime');
    // without A8W8_PYTHON every default candidate is asked
    const e = env({});
    delete e.A8W8_PYTHON;
    assert.deepEqual(await detectBackend(e), { name: 'onnxruntime', why: `no torch_npu for ${DEFAULT_CANDIDATES.join(' or ')}` });
  });

  it('torch-npu where the interpreter imports torch_npu and it reports an NPU (the stand-in)', async function () {
    this.timeout(120_000);
    const picked = await detectBackend(env({ A8W8_PYTHON: SYSTEM_PYTHON, PYTHONPATH: STANDIN_PATH }));
    assert.deepEqual(picked, { name: 'torch-npu', why: `${SYSTEM_PYTHON} imports torch_npu with an NPU` });
  });
});
