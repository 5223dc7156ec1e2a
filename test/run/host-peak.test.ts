import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { DeviceInfo } from '../../harness/backends/types';
import { backendThreads, hostPeakFile, isCpuBackend, keptHostPeak, measureHostPeak, readHostPeakCache, type PeakProbe } from '../../harness/run/host-peak';
import { environment, sampleCases, tmpDir } from '../report/helpers';

/** A probe that counts its measurements and answers fixed figures. */
function countingProbe(gops = 500, gbs = 12): PeakProbe & { calls: number } {
  const p = { calls: 0, isa: () => 'avx2', peakGops: () => { p.calls += 1; return gops; }, readGBs: () => gbs };
  return p;
}

function device(backend: string, simulated: boolean): DeviceInfo {
  return { backend, product: null, socName: null, device: 'x', simulated, versions: {}, enforcesContract: false, notes: [] };
}

describe('run: host peak', () => {
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
    const peak = measureHostPeak([device('onnxruntime', true)], [sampleCases().perf], 1, { cacheFile: null });
    const ms = performance.now() - t0;
    assert.ok(peak, 'the native addon is built, so the probe runs');
    assert.ok(peak.gops > 1, `${peak.gops} GOPS`);
    assert.match(peak.isa, /^(avx2|avx512vnni)$/);
    assert.equal(peak.threads, 1);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('measures once per host and reuses the cached figure, with when and how it was measured', () => {
    const file = path.join(tmpDir(), 'cache', 'host-peak.json');
    const probe = countingProbe();
    const cpu = [device('onnxruntime', true)];
    const perf = [sampleCases().perf];
    const now = () => new Date('2026-03-04T05:06:07.000Z');
    const first = measureHostPeak(cpu, perf, 1, { probe, cacheFile: file, cpu: 'Test CPU', now });
    assert.equal(probe.calls, 1);
    assert.deepEqual({ ...first, probeMs: 0 }, {
      gops: 500, isa: 'avx2', cpu: 'Test CPU', threads: 1, probeMs: 0, measuredAt: '2026-03-04T05:06:07.000Z',
      method: first!.method, bandwidthGBs: 12, cached: false,
    });
    assert.match(first!.method!, /vpmaddwd \+ vpaddd instructions on 1 thread\(s\).*read bandwidth/);
    const second = measureHostPeak(cpu, perf, 1, { probe: countingProbe(999), cacheFile: file, cpu: 'Test CPU', now });
    assert.equal(second!.gops, 500, 'the second run takes the cached figure');
    assert.equal(second!.cached, true);
    assert.equal(second!.measuredAt, '2026-03-04T05:06:07.000Z');
    const other = countingProbe(800);
    assert.equal(measureHostPeak(cpu, perf, 2, { probe: other, cacheFile: file, cpu: 'Test CPU' })!.gops, 800, 'other threads: measured');
    assert.equal(measureHostPeak(cpu, perf, 1, { probe: other, cacheFile: file, cpu: 'Other CPU' })!.gops, 800, 'another CPU: measured');
    assert.equal(other.calls, 2);
    assert.deepEqual(readHostPeakCache(file).map((e) => [e.cpu, e.threads, e.gops]), [['Test CPU', 1, 500], ['Test CPU', 2, 800], ['Other CPU', 1, 800]]);
  });

  it('measures around a cache that is not one, and rewrites it', () => {
    const file = path.join(tmpDir(), 'host-peak.json');
    for (const bad of ['not json', '{"format":"a8w8-host-peak","version":1,"entries":[{"gops":"fast"}]}', 'null']) {
      fs.writeFileSync(file, bad);
      const probe = countingProbe();
      assert.equal(measureHostPeak([device('onnxruntime', true)], [sampleCases().perf], 1, { probe, cacheFile: file, cpu: 'c' })!.gops, 500);
      assert.equal(probe.calls, 1, bad);
      assert.equal(readHostPeakCache(file).length, 1, 'rewritten whole');
    }
  });

  it('finds the cache through A8W8_HOST_PEAK_FILE, else XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(hostPeakFile({ A8W8_HOST_PEAK_FILE: '/x/peak.json', XDG_CACHE_HOME: '/c' }), '/x/peak.json');
    assert.equal(hostPeakFile({ XDG_CACHE_HOME: '/c' }), '/c/a8w8/host-peak.json');
    assert.match(hostPeakFile({}), /\/\.cache\/a8w8\/host-peak\.json$/);
  });

  it('--resume keeps the host peak the run recorded, even when the host would now say otherwise', () => {
    const dir = tmpDir();
    const recorded = { gops: 428, isa: 'avx2', cpu: 'Test CPU', threads: 1, probeMs: 200 };
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(environment({ hostPeak: recorded })));
    let measured = 0;
    const measure = () => { measured += 1; return { ...recorded, gops: 979 }; };
    assert.deepEqual(keptHostPeak(dir, measure), recorded);
    assert.equal(measured, 0, 'a resumed run does not measure');
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(environment()));
    assert.equal(keptHostPeak(dir, measure), null, 'a run that recorded none keeps none');
    assert.equal(keptHostPeak(tmpDir(), measure)!.gops, 979, 'nothing to resume: measured');
    assert.equal(keptHostPeak(null, measure)!.gops, 979, 'not resuming: measured');
  });

  it('takes the backend\u2019s threads option, else 1', () => {
    assert.equal(backendThreads({ threads: '4' }), 4);
    assert.equal(backendThreads({}), 1);
    assert.equal(backendThreads({ threads: 'many' }), 1);
  });
});
