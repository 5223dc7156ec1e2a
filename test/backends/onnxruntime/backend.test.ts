/**
 * The Backend contract of the onnxruntime backend: device information, skips (rejected and graph-mode
 * cases), repeats, NZ weights, session sharing, timings and the float baseline, options, aborts.
 */
import * as assert from 'node:assert/strict';
import {
  createBackend, FLOAT_BASELINE_LABEL, OnnxRuntimeBackend, SKIP_GRAPH, SKIP_REJECTED,
} from '../../../harness/backends/onnxruntime';
import { parseOptions } from '../../../harness/backends/onnxruntime/options';
import { summarize } from '../../../harness/backends/onnxruntime/timing';
import type { CaseInputs } from '../../../harness/data/tensor';
import { assertMatchesTwin, f32, inputs, int32, int8, makeCase, noAbort, rngFor } from './helpers';

function sample(name: string): CaseInputs {
  const r = rngFor(name);
  return inputs({ x1: int8(r, [4, 16]), weight: int8(r, [6, 16]), scale: f32(r, [6], -9, -7), bias: int32(r, [6], -500, 500) });
}

describe('onnxruntime backend: Backend contract', function () {
  this.timeout(60_000);
  const backend = new OnnxRuntimeBackend();
  before(async () => { await backend.open({ options: { timingWarmup: '1', timingRepeats: '5' } }); });
  after(async () => { await backend.close(); });

  it('createBackend returns a backend named onnxruntime', () => {
    assert.equal(createBackend().name, 'onnxruntime');
  });

  it('open() describes a simulated CPU device that enforces no contract', async () => {
    const other = createBackend();
    const info = await other.open({});
    await other.close();
    assert.equal(info.backend, 'onnxruntime');
    assert.equal(info.product, null);
    assert.equal(info.device, 'cpu');
    assert.equal(info.simulated, true);
    assert.equal(info.enforcesContract, false);
    assert.match(info.versions.onnxruntime!, /^\d+\.\d+\.\d+/);
    assert.equal(info.versions.onnxruntime, (require('onnxruntime-node/package.json') as { version: string }).version);
    assert.ok(info.socName && info.socName.length > 0);
    assert.ok(info.notes.some((n) => n.startsWith('MatMulInteger feed')), 'the feed choice is not recorded');
  });

  it('a rejected case is skipped with the reason, not run', async () => {
    const ins = sample('reject');
    const run = await backend.run(makeCase({ out: 'int8', inputs: ins, expect: 'reject' }), ins, noAbort());
    assert.deepEqual(run, { status: 'skip', reason: SKIP_REJECTED });
  });

  it('a graph-mode case is skipped with the reason', async () => {
    const ins = sample('graph');
    const run = await backend.run(makeCase({ out: 'float16', inputs: ins, mode: 'graph' }), ins, noAbort());
    assert.deepEqual(run, { status: 'skip', reason: SKIP_GRAPH });
  });

  it('repeats run the session again and are bit-identical to the first output', async () => {
    const ins = sample('repeats');
    const c = makeCase({ out: 'float16', inputs: ins, repeat: 4 });
    const run = await backend.run(c, ins, noAbort());
    assertMatchesTwin(run, c, ins);
    assert.equal(run.status, 'ok');
    if (run.status !== 'ok') return;
    assert.equal(run.repeats?.length, 3);
    for (const t of run.repeats!) assert.deepEqual(t, run.output);
    assert.notEqual(run.repeats![0]!.data, run.output.data, 'a repeat must be its own run, not the same array');
  });

  it('an NZ weight gives the ND result', async () => {
    const ins = sample('nz');
    const nd = await backend.run(makeCase({ out: 'int8', inputs: ins }), ins, noAbort());
    const nz = await backend.run(makeCase({ out: 'int8', inputs: ins, weightFormat: 'NZ' }), ins, noAbort());
    assert.deepEqual(nz, nd);
  });

  it('cases that differ only in data share one session; other shapes get their own', async () => {
    const cache = backend.sessions!;
    const a = sample('share-a');
    await backend.run(makeCase({ out: 'bfloat16', inputs: a }), a, noAbort());
    const before = cache.created;
    const b = sample('share-b');
    await backend.run(makeCase({ out: 'bfloat16', inputs: b }), b, noAbort());
    assert.equal(cache.created, before);
    const r = rngFor('share-c');
    const other = inputs({ x1: int8(r, [5, 16]), weight: int8(r, [6, 16]), scale: f32(r, [6], -9, -7) });
    await backend.run(makeCase({ out: 'bfloat16', inputs: other }), other, noAbort());
    assert.equal(cache.created, before + 1);
  });

  it('a perf case gets wall-clock timings and the labelled fp32 MatMul baseline', async () => {
    const ins = sample('perf');
    const run = await backend.run(makeCase({ out: 'float16', inputs: ins, tags: ['perf'] }), ins, noAbort());
    assert.equal(run.status, 'ok');
    if (run.status !== 'ok') return;
    const t = run.timings!;
    assert.equal(t.repeats, 5);
    assert.ok(t.p10Us > 0 && t.p10Us <= t.medianUs && t.medianUs <= t.p90Us, JSON.stringify(t));
    assert.equal(t.floatBaseline?.label, FLOAT_BASELINE_LABEL);
    assert.equal(t.floatBaseline?.dtype, 'float32');
    assert.ok(t.floatBaseline!.p10Us <= t.floatBaseline!.medianUs && t.floatBaseline!.medianUs <= t.floatBaseline!.p90Us);
  });

  it('a case without the perf tag is not timed by default', async () => {
    const ins = sample('untimed');
    const run = await backend.run(makeCase({ out: 'float16', inputs: ins }), ins, noAbort());
    assert.equal(run.status, 'ok');
    assert.equal(run.status === 'ok' ? run.timings : 'x', undefined);
  });

  it('an aborted signal stops the run', async () => {
    const ins = sample('abort');
    const controller = new AbortController();
    controller.abort(new Error('case timed out'));
    await assert.rejects(backend.run(makeCase({ out: 'int8', inputs: ins }), ins, controller.signal), /case timed out/);
  });

  it('run() before open() is an error', async () => {
    const ins = sample('unopened');
    await assert.rejects(createBackend().run(makeCase({ out: 'int8', inputs: ins }), ins, noAbort()), /before open/);
  });
});

describe('onnxruntime backend: options and timing summary', () => {
  it('defaults: perf cases timed, 5 + 20 runs, baseline on, 1 thread, feed probed', () => {
    assert.deepEqual(parseOptions(), { timing: 'perf', warmup: 5, repeats: 20, floatBaseline: true, threads: 1, aFeed: 'auto' });
  });

  it('malformed or unknown options throw instead of being guessed', () => {
    assert.throws(() => parseOptions({ threads: '0' }), /threads=0/);
    assert.throws(() => parseOptions({ timing: 'sometimes' }), /timing=sometimes/);
    assert.throws(() => parseOptions({ aFeed: 'int4' }), /aFeed=int4/);
    assert.throws(() => parseOptions({ thread: '2' }), /unknown option thread/);
  });

  it('summarize gives the median and interpolated 10th/90th percentiles', () => {
    assert.deepEqual(summarize([5, 1, 3, 2, 4]), { medianUs: 3, p10Us: 1.4, p90Us: 4.6 });
    assert.deepEqual(summarize([7]), { medianUs: 7, p10Us: 7, p90Us: 7 });
    assert.throws(() => summarize([]), /no samples/);
  });
});
