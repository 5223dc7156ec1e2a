import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Backend, DeviceInfo } from '../../harness/backends/types';
import { generateInputs } from '../../harness/data/generate';
import { sameElements } from '../../harness/data/tensor';
import { expandCases } from '../../harness/expand';
import { getReferenceImpl } from '../../harness/reference';
import { ArrayPool } from '../../harness/reference/pool';
import { computeReference } from '../../harness/reference/reference';
import { readResults } from '../../harness/run/record';
import { HUNG_AFTER_TIMEOUTS, runPlan, type RunPlan } from '../../harness/run/runner';
import { realSpec } from '../helpers/spec';
import { testTmpDir } from '../helpers/tmp';

const info: DeviceInfo = { backend: 'fake', product: null, socName: null, device: 'cpu', simulated: true, versions: {}, enforcesContract: false, notes: [] };

/** A backend that skips everything except the listed behaviours. */
function fake(run: Backend['run']): Backend {
  return { name: 'fake', open: async () => info, run, close: async () => {} };
}

function plan(outDir: string, backend: Backend, resume = false): RunPlan {
  const spec = realSpec();
  const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter((c) => c.expect === 'reject').slice(0, 4);
  return {
    specs: [spec], product: spec.products.find((p) => p.id === 'atlas-a2')!, cases, slots: [{ backend, info }], timeoutMs: 2000, retries: 0,
    outDir, resume, reference: getReferenceImpl('twin'), referenceOptionsOf: () => ({ fp16Overflow: 'inf', bf16ScaleTruncation: false }),
    expectations: [], replay: (c) => c.id,
  };
}

const tmp = () => testTmpDir('a8w8-runner-');
const reject = async () => ({ status: 'rejected' as const, errorType: 'ValueError', message: 'no', errorClass: 'parameter' as const });

describe('run: runner robustness', function () {
  this.timeout(30_000);

  it('a backend that throws synchronously costs that case only', async () => {
    let n = 0;
    const summary = await runPlan(plan(tmp(), fake((() => {
      if (n++ === 1) throw new Error('boom');
      return reject();
    }) as Backend['run'])));
    assert.equal(summary.total, 4);
    assert.deepEqual(summary.counts, { rejected: 3, error: 1 });
  });

  it('resumes after a torn last line without corrupting results.jsonl', async () => {
    const out = tmp();
    await runPlan(plan(out, fake(reject)));
    const file = path.join(out, 'results.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(file, lines.slice(0, 2).join('\n') + '\n' + lines[2]!.slice(0, 40)); // killed mid-write
    const summary = await runPlan(plan(out, fake(reject), true));
    assert.equal(summary.resumed, 2);
    assert.equal(summary.total, 2);
    assert.equal(readResults(file).length, 4);
  });

  it('a resumed run still answers for unexpected outcomes recorded before it', async () => {
    const out = tmp();
    const accept = async () => ({ status: 'ok' as const, output: { dtype: 'int8' as const, shape: [1], data: new Int8Array(1) } });
    const first = plan(out, fake(accept));
    first.cases = first.cases.slice(0, 2);
    assert.equal((await runPlan(first)).unexpected, 2); // unexpected-accept
    const summary = await runPlan(plan(out, fake(reject), true));
    assert.equal(summary.total, 2);
    assert.equal(summary.unexpected, 2);
  });

  it('a malformed reply is an error naming the field, never judged', async () => {
    const summary = await runPlan(plan(tmp(), fake((async () => ({ status: 'passed' })) as unknown as Backend['run'])));
    assert.deepEqual(summary.counts, { error: 4 });
    for (const r of summary.records) assert.deepEqual(r.outcome, { status: 'error', message: 'backend reply: status is "passed", expected one of ok, rejected, skip' });
  });
});

describe('run: a hung device', function () {
  this.timeout(60_000);
  const never = (() => new Promise(() => {})) as Backend['run'];
  /** A plan of six cases with a short timeout; the runner's own timer ends each hang. */
  function hungPlan(out: string, slots: RunPlan['slots']): RunPlan {
    const p = plan(out, slots[0]!.backend);
    const spec = p.specs[0]!;
    p.cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter((c) => c.expect === 'reject').slice(0, 6);
    // a short grace too: the fakes never answer, so only the runner's own timer ends each case
    return { ...p, slots, timeoutMs: 10, graceMs: 20 };
  }

  it(`after ${HUNG_AFTER_TIMEOUTS} timeouts in a row a device takes no more cases; the cases left are listed, not lost`, async () => {
    const out = tmp();
    const p = hungPlan(out, [{ backend: fake(never), info }]);
    const summary = await runPlan(p);
    assert.equal(summary.total, HUNG_AFTER_TIMEOUTS);
    assert.deepEqual(summary.counts, { timeout: HUNG_AFTER_TIMEOUTS });
    const ids = p.cases.map((c) => c.id);
    assert.equal(summary.unfinished.length, 1);
    const u = summary.unfinished[0]!;
    assert.equal(u.device, 'cpu');
    assert.equal(u.reason, `hung: ${HUNG_AFTER_TIMEOUTS} cases in a row timed out (${ids.slice(0, HUNG_AFTER_TIMEOUTS).join(', ')})`);
    assert.deepEqual(u.caseIds, ids.slice(HUNG_AFTER_TIMEOUTS));
    assert.deepEqual(readResults(path.join(out, 'results.jsonl')).map((r) => r.caseId), ids.slice(0, HUNG_AFTER_TIMEOUTS));
  });

  it('an answer between timeouts resets the count; a run where all cases ran has no unfinished entry', async () => {
    let n = 0;
    const sometimes = (() => (n++ % HUNG_AFTER_TIMEOUTS === HUNG_AFTER_TIMEOUTS - 1 ? reject() : new Promise(() => {}))) as Backend['run'];
    const summary = await runPlan(hungPlan(tmp(), [{ backend: fake(sometimes), info }]));
    assert.equal(summary.total, 6);
    assert.deepEqual(summary.unfinished, []);
  });

  it('another device takes over the cases of a hung one', async () => {
    const p = hungPlan(tmp(), [{ backend: fake(never), info }, { backend: fake(reject), info: { ...info, device: 'cpu:1' } }]);
    const summary = await runPlan(p);
    assert.equal(summary.total, 6);
    assert.deepEqual(summary.unfinished, []);
    assert.equal(summary.counts.rejected! + (summary.counts.timeout ?? 0), 6);
    assert.ok((summary.counts.timeout ?? 0) <= HUNG_AFTER_TIMEOUTS);
    // the hung device is named even though no case was left undone
    assert.deepEqual(summary.hung.map((h) => h.device), (summary.counts.timeout ?? 0) === HUNG_AFTER_TIMEOUTS ? ['cpu'] : []);
  });
});


describe('run: the reference\'s arrays kept between cases', function () {
  this.timeout(60_000);

  it('two devices side by side, arrays scribbled over as they are given back: every case judged as with new arrays, and saved before its arrays go', async () => {
    const spec = realSpec();
    const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] })
      .filter((c) => c.expect === 'accept' && c.path !== null && !c.tags.includes('undefined-input') && c.repeat === 1)
      .slice(0, 40);
    const impl = getReferenceImpl('native');
    const options = { fp16Overflow: 'inf', bf16ScaleTruncation: false } as const;
    // the right answer of each case, from new arrays, for the kernel to give back
    const answers = new Map(cases.map((c) => [c.id, computeReference({ ...c, groupSizes: c.call.groupSizes }, generateInputs(spec, c), options, impl).expected]));
    // each device answers after a wait of its own, so that the two devices' cases interleave
    const device = (delay: number): Backend => fake(async (c) => {
      await new Promise((r) => setTimeout(r, delay + (c.id.length % 3)));
      const out = answers.get(c.id)!;
      return { status: 'ok' as const, output: { ...out, data: out.data.slice() } };
    });
    const pool = new ArrayPool({ scribble: 0xa5 });
    const saved: string[] = [];
    const p: RunPlan = {
      ...plan(tmp(), device(1)), cases, slots: [{ backend: device(1), info }, { backend: device(2), info: { ...info, device: 'cpu1' } }],
      reference: impl, referenceOptionsOf: () => options, arrays: pool,
      // the save hook reads the reference's arrays: they must still hold this case's answer
      save: (f) => {
        const ref = f.reference()!;
        assert.ok(sameElements(ref.expected.data, answers.get(f.record.caseId)!.data), `${f.record.caseId}: the reference as the save hook reads it`);
        saved.push(f.record.caseId);
        return null;
      },
    };
    const summary = await runPlan(p);
    assert.equal(summary.total, cases.length);
    assert.deepEqual(summary.counts, { pass: cases.length }, JSON.stringify(summary.records.filter((r) => r.outcome.status !== 'pass').map((r) => [r.caseId, r.outcome])));
    assert.equal(saved.length, cases.length);
    const { taken, reused, freeBytes } = pool.stats();
    assert.ok(reused > 0 && freeBytes > 0, `arrays were reused (${reused} of ${taken}) and given back (${freeBytes} bytes free)`);
  });
});
