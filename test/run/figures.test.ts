import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Backend, DeviceInfo } from '../../harness/backends/types';
import { expandCases } from '../../harness/expand';
import { getReferenceImpl } from '../../harness/reference';
import { figuresLine } from '../../harness/report/console';
import { validateRecord } from '../../harness/report/results-schema';
import type { RunFigures } from '../../harness/run/environment';
import { combineFigures, runFigures } from '../../harness/run/figures';
import type { ResultRecord } from '../../harness/run/record';
import { runPlan } from '../../harness/run/runner';
import { realSpec } from '../helpers/spec';
import { testTmpDir } from '../helpers/tmp';

const info: DeviceInfo = { backend: 'fake', product: null, socName: null, device: 'cpu', simulated: true, versions: {}, enforcesContract: false, notes: [] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A record carrying only the timings the figures read. */
function timed(t: Partial<ResultRecord['timings']>): ResultRecord {
  return { timings: { wallMs: 0, referenceMs: null, device: null, ...t } } as ResultRecord;
}

describe('run: time figures', function () {
  this.timeout(60_000);

  it('each case records where its time went: generation, the backend call, the reference and the judge', async () => {
    const spec = realSpec();
    const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter((c) => c.expect === 'reject').slice(0, 3);
    const backend: Backend = {
      name: 'fake', open: async () => info, close: async () => {},
      run: async () => {
        await sleep(40); // a lower bound only: the backend step takes at least this long, however busy the host
        return { status: 'rejected', errorType: 'ValueError', message: 'no', errorClass: 'parameter' };
      },
    };
    const out = testTmpDir('a8w8-figures-');
    const summary = await runPlan({
      specs: [spec], product: spec.products.find((p) => p.id === 'atlas-a2')!, cases, slots: [{ backend, info }], timeoutMs: 5000, retries: 0,
      outDir: out, resume: false, reference: getReferenceImpl('twin'), referenceOptionsOf: () => ({ fp16Overflow: 'inf', bf16ScaleTruncation: false }),
      expectations: [], replay: (c) => c.id,
    });
    assert.equal(summary.records.length, 3);
    assert.ok(summary.writeMs >= 0);
    const lines = fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      const r = JSON.parse(line) as ResultRecord;
      assert.deepEqual(validateRecord(r), [], 'the new timing fields are in the schema');
      const t = r.timings;
      assert.ok(t.backendMs! >= 30, `backendMs ${t.backendMs} covers the backend's 40 ms`);
      assert.ok(t.generateMs! > 0 && t.judgeMs! >= 0);
      const steps = t.generateMs! + t.backendMs! + t.judgeMs! + (t.referenceMs ?? 0);
      assert.ok(steps <= t.wallMs + 1e-6, `the steps (${steps} ms) fit in the case's wall time (${t.wallMs} ms)`);
    }
  });

  it('the harness share is the wall time outside the backend (its opening included) and the reference', () => {
    const records = [timed({ backendMs: 500, referenceMs: 100, generateMs: 50, judgeMs: 30 }), timed({ backendMs: 300, generateMs: 20 })];
    const f = runFigures({ wallMs: 1000, openMs: 50, slots: 1, records, resumed: 0, writeMs: 10 });
    assert.equal(f.backendMs, 800);
    assert.equal(f.referenceMs, 100);
    assert.equal(f.generateMs, 70);
    assert.equal(f.judgeMs, 30);
    assert.equal(f.harnessMs, 1000 - 50 - 800 - 100);
    assert.equal(f.harnessShare, 0.05);
    assert.equal(f.cases, 2);
  });

  it('with several slots the per-case sums are divided by the slot count (they ran side by side)', () => {
    const records = [timed({ backendMs: 900 }), timed({ backendMs: 900 })];
    const f = runFigures({ wallMs: 1000, openMs: 0, slots: 2, records, resumed: 0, writeMs: 0 });
    assert.equal(f.slots, 2);
    assert.equal(f.harnessMs, 100);
    assert.match(figuresLine(f), /on 2 slots \(per-case times divided by 2\): backend 90% .* harness 10%/);
  });

  it('a resumed run says its figures cover only the cases it ran', () => {
    const f = runFigures({ wallMs: 1000, openMs: 0, slots: 1, records: [timed({ backendMs: 500 })], resumed: 7, writeMs: 0 });
    assert.match(figuresLine(f), /covers the 1 case\(s\) run now, not the 7 resumed/);
    assert.doesNotMatch(figuresLine({ ...f, resumed: 0 }), /resumed/);
  });

  it('merged shards sum their figures; a shard without figures leaves the merge without them', () => {
    const a = runFigures({ wallMs: 1000, openMs: 0, slots: 1, records: [timed({ backendMs: 900 })], resumed: 0, writeMs: 0 });
    const b = runFigures({ wallMs: 3000, openMs: 0, slots: 1, records: [timed({ backendMs: 2500 })], resumed: 0, writeMs: 0 });
    const merged = combineFigures([a, b]) as RunFigures;
    assert.equal(merged.wallMs, 4000);
    assert.equal(merged.harnessMs, 600);
    assert.equal(merged.harnessShare, 0.15);
    assert.equal(combineFigures([a, undefined]), null);
  });
});
