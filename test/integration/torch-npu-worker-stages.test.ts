import { strict as assert } from 'node:assert';
import type { CaseInputs } from '../../harness/data/tensor';
import type { BackendRun } from '../../harness/backends/types';
import { TorchNpuBackend, WorkerReplyError } from '../../harness/backends/torch-npu';
import { expectedOutput } from '../backends/torch-npu/expect';
import { f32, i32, makeCase, noAbort, randInt8, rng, standinEnv, SYSTEM_PYTHON, values } from '../backends/torch-npu/helpers';

function base(seed = 3): CaseInputs {
  const rand = rng(seed);
  return { x1: randInt8([3, 8], rand), weight: randInt8([4, 8], rand), scale: f32([1], [0.25]), offset: null,
    bias: i32([4], [1, -2, 3, 4]), pertoken_scale: null };
}

function okValues(run: BackendRun): number[] {
  assert.equal(run.status, 'ok', JSON.stringify(run).slice(0, 300));
  return values((run as Extract<BackendRun, { status: 'ok' }>).output);
}

/** A backend on the stand-in with the given faults planted, opened for the body and closed after it. */
async function withBackend(fault: string, body: (b: TorchNpuBackend) => Promise<void>): Promise<void> {
  const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_FAULT: fault }) });
  try {
    await backend.open({ timeoutMs: 30_000 });
    await body(backend);
  } finally {
    await backend.close();
  }
}

/** A worker error (outcome `error`), never a rejection, with a message matching `re`. */
async function workerError(run: Promise<BackendRun>, re: RegExp): Promise<void> {
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof WorkerReplyError, `expected a WorkerReplyError, got ${String(err)}`);
    assert.match(err.message, re);
    return true;
  });
}

describe('torch-npu worker: torch_npu 6.0.rc1 has no pertoken_scale argument (no-pertoken-kwarg)', function () {
  this.timeout(60_000);

  it('cases without pertoken run: the worker passes optional arguments only when set', async () => {
    await withBackend('no-pertoken-kwarg', async (b) => {
      for (const target of ['module', 'op'] as const) {
        const inputs = base();
        const run = await b.run(makeCase({ target, out: 'float16', inputs }), inputs, noAbort());
        assert.deepEqual(okValues(run), expectedOutput(inputs, 'float16'), target);
      }
    });
  });

  it('a pertoken case is a worker error naming the argument, not a parameter rejection', async () => {
    await withBackend('no-pertoken-kwarg', async (b) => {
      const inputs = { ...base(), bias: null, pertoken_scale: f32([3], [1, 2, 0.5]) };
      for (const target of ['module', 'op'] as const) {
        await workerError(b.run(makeCase({ target, out: 'bfloat16', inputs }), inputs, noAbort()),
          /does not take the call.*pertoken_scale/);
      }
    });
  });
});

describe('torch-npu worker: the harness\'s own set-up failing is an error, not a rejection', function () {
  this.timeout(60_000);

  it('an out-of-memory .npu() transfer is a worker error naming the stage', async () => {
    await withBackend('npu-oom', async (b) => {
      const inputs = base();
      await workerError(b.run(makeCase({ target: 'module', out: 'int8', inputs }), inputs, noAbort()),
        /stage transfer to the device \(\.npu\(\)\) failed: RuntimeError: NPU out of memory/);
    });
  });

  it('a library failure still is a rejection, and says at which stage', async () => {
    await withBackend('', async (b) => {
      const inputs = { ...base(), bias: f32([4], [0.5, 1, 2, 3]) };  // fp16 out, fp32 bias, no pertoken: the library refuses it
      const run = await b.run(makeCase({ target: 'op', out: 'float16', inputs }), inputs, noAbort());
      assert.equal(run.status, 'rejected');
      assert.equal(b.lastReply?.stage, 'forward and output copy');
    });
  });
});

describe('torch-npu worker: the NZ weight layout is checked, not assumed', function () {
  this.timeout(60_000);

  it('the ok reply carries the weight format: 29 for NZ (module and op), 2 for ND', async () => {
    await withBackend('', async (b) => {
      const inputs = base();
      for (const target of ['module', 'op'] as const) {
        okValues(await b.run(makeCase({ target, out: 'int8', inputs, weightFormat: 'NZ' }), inputs, noAbort()));
        assert.equal(b.lastReply?.weightFormat, 29, `${target} NZ`);
        okValues(await b.run(makeCase({ target, out: 'int8', inputs }), inputs, noAbort()));
        assert.equal(b.lastReply?.weightFormat, 2, `${target} ND`);
      }
    });
  });

  it('a format cast that does not take effect is a worker error', async () => {
    await withBackend('nz-ignored', async (b) => {
      const inputs = base();
      await workerError(b.run(makeCase({ target: 'module', out: 'int8', inputs, weightFormat: 'NZ' }), inputs,
        noAbort()), /NZ cast did not take effect after npu_format_cast: get_npu_format is 2, not 29/);
      okValues(await b.run(makeCase({ target: 'module', out: 'int8', inputs }), inputs, noAbort()));
    });
  });
});

describe('torch-npu worker: a worker after a device fault is replaced', function () {
  this.timeout(60_000);

  it('an inner rejection keeps its outcome; the next case runs on a new worker', async () => {
    await withBackend('inner-error@k=13', async (b) => {
      const bad = { ...base(), x1: randInt8([3, 13], rng(1)), weight: randInt8([4, 13], rng(2)) };
      const pid = b.hello!.pid;
      const run = await b.run(makeCase({ target: 'op', out: 'float16', inputs: bad }), bad, noAbort());
      assert.equal(run.status, 'rejected');
      assert.equal((run as Extract<BackendRun, { status: 'rejected' }>).errorClass, 'inner');
      const good = base();
      assert.deepEqual(okValues(await b.run(makeCase({ target: 'op', out: 'float16', inputs: good }), good, noAbort())),
        expectedOutput(good, 'float16'));
      assert.notEqual(b.hello!.pid, pid, 'the worker was not replaced');
    });
  });

  it('a worker error reply also replaces the worker; a parameter rejection does not', async () => {
    await withBackend('', async (b) => {
      const inputs = base();
      const pid = b.hello!.pid;
      const rejectedInputs = { ...inputs, bias: f32([4], [0.5, 1, 2, 3]) };
      const run = await b.run(makeCase({ target: 'op', out: 'float16', inputs: rejectedInputs }), rejectedInputs,
        noAbort());
      assert.equal(run.status, 'rejected');
      okValues(await b.run(makeCase({ target: 'op', out: 'float16', inputs }), inputs, noAbort()));
      assert.equal(b.hello!.pid, pid, 'a parameter rejection must not restart the worker');
      const broken = makeCase({ target: 'op', out: 'float16', inputs });
      broken.call.bias = false;  // says no bias, sends one: a worker error
      await workerError(b.run(broken, inputs, noAbort()), /call\.bias is False but the bias tensor was sent/);
      okValues(await b.run(makeCase({ target: 'op', out: 'float16', inputs }), inputs, noAbort()));
      assert.notEqual(b.hello!.pid, pid, 'the worker was not replaced');
    });
  });
});
