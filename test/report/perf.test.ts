import assert from 'node:assert/strict';
import { choosePeak, comparePerf, gemmDims, judgeMove, medianInterval, perfRows, summarize } from '../../harness/report';
import { realSpec } from '../helpers/spec';
import { environment, sampleCases, timed } from './helpers';

describe('report: performance', () => {
  const c = sampleCases().perf;

  it('computes TOPS = 2·m·n·k / median and GB/s = bytes / median', () => {
    const d = gemmDims(c);
    const ops = 2 * d.batch * d.m * d.n * d.k;
    const rows = perfRows([timed(c, { medianUs: 250 })], new Map([['atlas-a2', { int8Tops: 0.5, bandwidthGBs: 10, basis: 'override' as const, source: '', caveat: null }]]));
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.equal(r.ops, ops);
    assert.ok(Math.abs(r.tops - ops / 250e-6 / 1e12) < 1e-12);
    assert.ok(Math.abs(r.gbs! - c.bytes / 250e-6 / 1e9) < 1e-9);
    assert.ok(Math.abs(r.pctPeak! - (100 * r.tops) / 0.5) < 1e-9);
    assert.ok(Math.abs(r.pctBandwidth! - (100 * r.gbs!) / 10) < 1e-9);
    assert.equal(r.float, null);
  });

  it('puts the float baseline beside where one was measured', () => {
    const rec = timed(c, { medianUs: 100, floatBaseline: { dtype: 'float32', label: 'fp32 MatMul', medianUs: 300, p10Us: 290, p90Us: 310 } });
    const r = perfRows([rec], new Map())[0]!;
    assert.equal(r.float!.speedup, 3);
    assert.equal(r.float!.label, 'fp32 MatMul');
    assert.equal(r.pctPeak, null, 'no peak, no percentage');
  });

  it('chooses the host peak for CPU backends, the product peak for NPU backends, overrides over both', () => {
    const spec = realSpec();
    const product = spec.products.find((p) => p.peak)!;
    const env = environment({ hostPeak: { gops: 935, isa: 'avx512vnni', cpu: 'Zen 4', threads: 2, probeMs: 200 } });
    const host = choosePeak(product.id, true, env, spec);
    assert.equal(host.basis, 'host');
    assert.equal(host.int8Tops, 0.935);
    assert.match(host.source, /Zen 4/);
    const npu = choosePeak(product.id, false, null, spec);
    assert.equal(npu.basis, 'product');
    assert.equal(npu.int8Tops, product.peak!.int8Tops);
    assert.equal(npu.bandwidthGBs, product.peak!.bandwidthGBs);
    const standin = choosePeak(product.id, false, environment({ simulated: true }), spec);
    assert.match(standin.caveat!, /simulated device measured against .* NPU peak: the percentage is not comparable/);
    const over = choosePeak(product.id, false, null, spec, { int8Tops: 123, bandwidthGBs: 456 });
    assert.equal(over.basis, 'override');
    assert.deepEqual([over.int8Tops, over.bandwidthGBs], [123, 456]);
    const none = choosePeak(product.id, true, environment(), spec);
    assert.equal(none.int8Tops, null, 'a CPU run without a host peak gets no NPU percentage');
    assert.match(none.caveat!, /without a measured host peak/);
  });

  describe('baseline: regressions beyond run-to-run noise', () => {
    it('flags a regression whose interval lies entirely above the baseline\u2019s', () => {
      const m = judgeMove({ repeats: 20, medianUs: 100, p10Us: 95, p90Us: 105 }, { repeats: 20, medianUs: 130, p10Us: 124, p90Us: 136 });
      assert.equal(m.kind, 'regression');
      assert.ok(m.current!.lowUs > m.baseline!.highUs);
      assert.match(m.why, /lies above/);
    });

    it('does not flag a move within the noise, even a large ratio with a wide spread', () => {
      // +20% median, but the spread is so wide that the intervals overlap
      const m = judgeMove({ repeats: 10, medianUs: 100, p10Us: 50, p90Us: 200 }, { repeats: 10, medianUs: 120, p10Us: 60, p90Us: 240 });
      assert.equal(m.kind, 'within-noise');
      // a small move with a tight spread is flagged: the criterion is the interval, not the ratio
      const tight = judgeMove({ repeats: 50, medianUs: 100, p10Us: 99.5, p90Us: 100.5 }, { repeats: 50, medianUs: 102, p10Us: 101.5, p90Us: 102.5 });
      assert.equal(tight.kind, 'regression');
    });

    it('reports an improvement, and leaves cases with too few repeats unjudged', () => {
      assert.equal(judgeMove({ repeats: 20, medianUs: 100, p10Us: 95, p90Us: 105 }, { repeats: 20, medianUs: 70, p10Us: 66, p90Us: 74 }).kind, 'improvement');
      assert.equal(judgeMove({ repeats: 2, medianUs: 100, p10Us: 95, p90Us: 105 }, { repeats: 20, medianUs: 500, p10Us: 490, p90Us: 510 }).kind, 'unjudged');
    });

    it('widens the interval with the spread and narrows it with the repeats', () => {
      const a = medianInterval({ repeats: 20, medianUs: 100, p10Us: 90, p90Us: 110 })!;
      const wide = medianInterval({ repeats: 20, medianUs: 100, p10Us: 80, p90Us: 120 })!;
      const many = medianInterval({ repeats: 80, medianUs: 100, p10Us: 90, p90Us: 110 })!;
      assert.ok(wide.highUs - wide.lowUs > a.highUs - a.lowUs);
      assert.ok(Math.abs((many.highUs - many.lowUs) * 2 - (a.highUs - a.lowUs)) < 1e-9, '4x the repeats halves the interval');
      const band = medianInterval({ repeats: 20, medianUs: 100, p10Us: 90, p90Us: 110 }, 'p10-p90')!;
      assert.deepEqual([band.lowUs, band.highUs], [90, 110]);
    });

    it('the p10-p90 model is more conservative than ci95', () => {
      const base = { repeats: 20, medianUs: 100, p10Us: 90, p90Us: 110 };
      const now = { repeats: 20, medianUs: 110, p10Us: 100, p90Us: 120 };
      assert.equal(judgeMove(base, now, 'ci95').kind, 'regression');
      assert.equal(judgeMove(base, now, 'p10-p90').kind, 'within-noise');
    });

    it('compares runs by case id and counts the kinds', () => {
      const cur = [timed(c, { medianUs: 150, p10Us: 145, p90Us: 155 }), timed(c, { medianUs: 100 }, { caseId: 'only-now' })];
      const base = [timed(c, { medianUs: 100 }), timed(c, { medianUs: 100 }, { caseId: 'only-before' })];
      const cmp = comparePerf(cur, base);
      assert.equal(cmp.regressions, 1);
      assert.deepEqual(cmp.onlyInBaseline, ['only-before']);
      assert.deepEqual(cmp.onlyInCurrent, ['only-now']);
      assert.ok(Math.abs(cmp.moves[0]!.change - 0.5) < 1e-12);
      const s = summarize(cur, null, undefined, { baseline: { records: base, env: null } });
      assert.equal(s.perf.baseline!.regressions, 1);
    });

    it('warns when the runs measured different hosts', () => {
      const a = environment({ hostPeak: { gops: 900, isa: 'avx512vnni', cpu: 'Zen 4', threads: 1, probeMs: 1 } });
      const b = environment({ hostPeak: { gops: 2000, isa: 'avx512vnni', cpu: 'Zen 5', threads: 1, probeMs: 1 } });
      const cmp = comparePerf([timed(c, {})], [timed(c, {})], { current: b, baseline: a });
      assert.match(cmp.warnings.join('\n'), /different devices \(Zen 4 vs Zen 5\)/);
    });
  });
});
