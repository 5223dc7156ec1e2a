import assert from 'node:assert/strict';
import { resolveDevices } from '../../harness/cli/run-options';
import { ErrorCode, HarnessError } from '../../harness/errors';
import { standinEnv, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';

/** The stand-in torch_npu seeing `count` NPUs, through Debian's interpreter. */
const npus = (count: number): NodeJS.ProcessEnv => standinEnv({ A8W8_PYTHON: SYSTEM_PYTHON, A8W8_STANDIN_DEVICE_COUNT: String(count) });

describe('run: --devices', function () {
  this.timeout(120_000);

  it('a list is taken as given, for any backend', async () => {
    assert.deepEqual(await resolveDevices('0,2', 'torch-npu', npus(0)), [0, 2]);
    assert.deepEqual(await resolveDevices(undefined, 'onnxruntime'), [0]);
    await assert.rejects(resolveDevices('0,x', 'onnxruntime'), /--devices expects an integer >= 0, got 'x'/);
  });

  it('all: one slot for a CPU backend or a plugin, whatever NPUs the host has', async () => {
    assert.deepEqual(await resolveDevices('all', 'onnxruntime', npus(4)), [0]);
    assert.deepEqual(await resolveDevices('all', './examples/plugin-twin.js', npus(4)), [0]);
  });

  it('all: torch-npu gets one worker per NPU torch.npu.device_count() sees', async () => {
    assert.deepEqual(await resolveDevices('all', 'torch-npu', npus(3)), [0, 1, 2]);
  });

  it('all: no visible NPU, or no torch_npu to ask, is a clear usage error', async () => {
    await assert.rejects(resolveDevices('all', 'torch-npu', npus(0)),
      (e: unknown) => e instanceof HarnessError && e.code === ErrorCode.BAD_ARGUMENT && /device_count\(\) is 0: no NPU is visible/.test(e.message));
    const noTorchNpu: NodeJS.ProcessEnv = { ...process.env, A8W8_PYTHON: SYSTEM_PYTHON, PYTHONPATH: '' };
    await assert.rejects(resolveDevices('all', 'torch-npu', noTorchNpu), /--devices all: .*cannot count the NPUs: .*torch_npu/);
  });
});
