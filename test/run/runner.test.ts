import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Backend, DeviceInfo } from '../../harness/backends/types';
import { expandCases } from '../../harness/expand';
import { getReferenceImpl } from '../../harness/reference';
import { readResults } from '../../harness/run/record';
import { runPlan, type RunPlan } from '../../harness/run/runner';
import { realSpec } from '../helpers/spec';

const info: DeviceInfo = { backend: 'fake', product: null, socName: null, device: 'cpu', simulated: true, versions: {}, enforcesContract: false, notes: [] };

/** A backend that skips everything except the listed behaviours. */
function fake(run: Backend['run']): Backend {
  return { name: 'fake', open: async () => info, run, close: async () => {} };
}

function plan(outDir: string, backend: Backend, resume = false): RunPlan {
  const spec = realSpec();
  const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter((c) => c.expect === 'reject').slice(0, 4);
  return {
    spec, product: spec.products.find((p) => p.id === 'atlas-a2')!, cases, slots: [{ backend, info }], timeoutMs: 2000, retries: 0,
    outDir, resume, reference: getReferenceImpl('twin'), referenceOptions: { fp16Overflow: 'inf', bf16ScaleTruncation: false },
    expectations: [], replay: (c) => c.id,
  };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'a8w8-runner-'));
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
});
