import assert from 'node:assert/strict';
import type { RunEnvironment } from '../../../harness/run/environment';
import { buildPerf } from '../../../harness/report/html/perf-model';
import type { Spec } from '../../../harness/spec/types';
import { environment, record } from './records';

const spec = { products: [{ id: 'atlas-a2', peak: { int8Tops: 700, bandwidthGBs: 1600, confidence: 'low', source: 'notes' } }] } as unknown as Spec;
const timings = { repeats: 10, medianUs: 1000, p10Us: 900, p90Us: 1200 };
const npu = (): RunEnvironment => {
  const env = environment({ simulated: false });
  env.devices[0] = { ...env.devices[0], backend: 'torch-npu', simulated: false };
  return env;
};

describe('report/html: performance points', () => {
  const records = () => {
    const rs = [
      record({ status: 'pass', shapeClass: 'perf:sq', shapes: { x1: [512, 512], weight: [512, 512] }, bytes: 1 << 20, timings: { ...timings, floatBaseline: { dtype: 'float16', label: 'fp16', medianUs: 2000, p10Us: 1900, p90Us: 2100 } } }),
      record({ status: 'pass', shapeClass: 'perf:wide', shapes: { x1: [2, 128, 1024], weight: [1024, 1024] }, bytes: 0, timings }),
      record({ status: 'pass' }), // no device timings: not a point
      record({ status: 'pass', product: 'other', timings }),
    ];
    for (const r of rs) r.backend = 'torch-npu';
    return rs;
  };

  it('computes TOPS, its spread, intensity, percent of the spec peak and the float comparison', () => {
    const p = buildPerf(records(), 'atlas-a2', npu(), spec);
    assert.equal(p.peak.int8Tops, 700);
    assert.equal(p.points.length, 2);
    const [a, b] = p.points;
    const ops = 2 * 512 ** 3;
    assert.equal(a.ops, ops);
    assert.equal(a.label, 'sq bf16-vector');
    assert.ok(Math.abs(a.tops - ops / 1e-3 / 1e12) < 1e-9);
    assert.ok(a.topsLow < a.tops && a.tops < a.topsHigh, 'p90 latency is the low end');
    assert.equal(a.intensity, ops / (1 << 20));
    assert.ok(Math.abs(a.pctPeak! - (100 * a.tops) / 700) < 1e-9);
    assert.equal(a.float!.speedup, 2);
    assert.equal(b.batch, 2);
    assert.equal(b.intensity, null, 'no byte count, no intensity');
    assert.equal(b.float, null, 'no baseline timed: the page says not measured');
  });

  it('an override wins; a CPU backend is measured against the host peak, or gets no percentage', () => {
    assert.equal(buildPerf(records(), 'atlas-a2', npu(), spec, { int8Tops: 1 }).points[0].pctPeak! > 10, true);
    const cpu = environment();
    assert.equal(buildPerf(records(), 'atlas-a2', cpu, spec).points[0].pctPeak, null, 'no NPU peak for a CPU');
    const host = { ...cpu, hostPeak: { gops: 1000, isa: 'avx2', cpu: 'Test CPU', threads: 1, probeMs: 1 } } as RunEnvironment;
    const p = buildPerf(records(), 'atlas-a2', host, spec);
    assert.equal(p.peak.int8Tops, 1);
    assert.match(p.peak.source, /Test CPU/);
  });
});
