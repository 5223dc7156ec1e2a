import assert from 'node:assert/strict';
import type { DeviceInfo } from '../../harness/backends/types';
import { backendThreads, isCpuBackend, measureHostPeak } from '../../harness/run/host-peak';
import { sampleCases } from '../report/helpers';

function device(backend: string, simulated: boolean): DeviceInfo {
  return { backend, product: null, socName: null, device: 'x', simulated, versions: {}, enforcesContract: false, notes: [] };
}

describe('run: host peak (D9, D13)', () => {
  it('reads CPU backends against the host: simulated and not torch-npu', () => {
    assert.equal(isCpuBackend([device('onnxruntime', true)]), true);
    assert.equal(isCpuBackend([device('plugin-twin', true)]), true);
    assert.equal(isCpuBackend([device('torch-npu', true)]), false, 'the stand-in stands for an NPU');
    assert.equal(isCpuBackend([device('torch-npu', false)]), false);
    assert.equal(isCpuBackend([]), false);
  });

  it('measures nothing without a perf case or on an NPU backend', () => {
    const c = sampleCases();
    assert.equal(measureHostPeak([device('onnxruntime', true)], [c.accepted], 1), null);
    assert.equal(measureHostPeak([device('torch-npu', false)], [c.perf], 1), null);
  });

  it('measures the host\u2019s int8 peak in well under a second for a CPU run with perf cases', () => {
    const t0 = performance.now();
    const peak = measureHostPeak([device('onnxruntime', true)], [sampleCases().perf], 1);
    const ms = performance.now() - t0;
    assert.ok(peak, 'the native addon is built (D18), so the probe runs');
    assert.ok(peak.gops > 1, `${peak.gops} GOPS`);
    assert.match(peak.isa, /^(avx2|avx512vnni)$/);
    assert.equal(peak.threads, 1);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('takes the backend\u2019s threads option, else 1', () => {
    assert.equal(backendThreads({ threads: '4' }), 4);
    assert.equal(backendThreads({}), 1);
    assert.equal(backendThreads({ threads: 'many' }), 1);
  });
});
