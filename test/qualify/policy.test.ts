import assert from 'node:assert/strict';
import type { DeviceInfo } from '../../harness/backends/types';
import { createBackend } from '../../harness/backends/torch-npu';
import { evidenceSimulated, productMismatch, refusalByName, refusalForDevices, strictPolicy } from '../../harness/qualify/policy';
import { standinEnv, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';

const realDevice = (over: Partial<DeviceInfo> = {}): DeviceInfo => ({
  backend: 'torch-npu', product: 'atlas-a2', socName: 'Ascend910B2', device: 'npu:0', simulated: false,
  versions: { torch: '2.1.0', torch_npu: '2.1.0.post10', cann: '8.0.0', driver: '24.1.0' }, enforcesContract: true, notes: [], ...over,
});

describe('qualify: policy', function () {
  this.timeout(120_000);

  it('is strict: no retries, expectation files ignored, the full profile', () => {
    assert.deepEqual(strictPolicy(false), { name: 'strict', version: 1, retries: 0, expectations: 'ignored', profile: 'full', allowSimulated: false });
    assert.equal(strictPolicy(true).allowSimulated, true);
  });

  it('refuses onnxruntime and plugins by name, with the reason; torch-npu waits for its device', () => {
    assert.match(refusalByName('onnxruntime') ?? '', /onnxruntime is simulated: .*host CPU/);
    assert.match(refusalByName('./examples/plugin-twin.js') ?? '', /plugin-twin\.js is a plugin/);
    assert.equal(refusalByName('torch-npu'), null);
  });

  it('refuses the torch_npu stand-in once it is open, quoting its own notice', async () => {
    const backend = createBackend({ python: SYSTEM_PYTHON, env: standinEnv() });
    const info = await backend.open({ device: 0 });
    await backend.close();
    assert.equal(info.simulated, true);
    const why = refusalForDevices([info]);
    assert.match(why ?? '', /^backend torch-npu is simulated on npu:0: torch_npu is the a8w8 stand-in/);
  });

  it('accepts real devices and names any simulated one', () => {
    assert.equal(refusalForDevices([realDevice(), realDevice({ device: 'npu:1' })]), null);
    assert.match(refusalForDevices([realDevice(), realDevice({ device: 'npu:1', simulated: true })]) ?? '', /simulated on npu:1: torch-npu reports DeviceInfo\.simulated/);
  });

  it('the device must report the product itself', () => {
    assert.equal(productMismatch([realDevice()], 'atlas-a2'), null);
    assert.match(productMismatch([realDevice()], 'atlas-a3') ?? '', /npu:0 \(Ascend910B2\) reports product atlas-a2, not atlas-a3/);
    assert.match(productMismatch([realDevice({ product: null })], 'atlas-a2') ?? '', /reports product none/);
  });

  it('evidence is simulated if run.json, any device, any record or the backend says so', () => {
    const env = { backend: 'torch-npu', simulated: false, devices: [{ simulated: false }] };
    const rec = { simulated: false, backend: 'torch-npu' };
    assert.equal(evidenceSimulated(env, [rec]), false);
    assert.equal(evidenceSimulated({ ...env, simulated: true }, [rec]), true);
    assert.equal(evidenceSimulated({ ...env, devices: [{ simulated: true }] }, [rec]), true);
    assert.equal(evidenceSimulated({ ...env, backend: 'onnxruntime' }, [rec]), true);
    assert.equal(evidenceSimulated(env, [rec, { ...rec, simulated: true }]), true);
    assert.equal(evidenceSimulated(env, [{ ...rec, backend: 'plugin-twin' }]), true);
  });
});
