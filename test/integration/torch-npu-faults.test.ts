import { strict as assert } from 'node:assert';
import type { CaseInputs } from '../../harness/data/tensor';
import type { BackendRun } from '../../harness/backends/types';
import type { CaseSpec } from '../backends/torch-npu/helpers';
import {
  isTimeout, TorchNpuBackend, WorkerAbortError, WorkerCrashError, WorkerTimeoutError,
} from '../../harness/backends/torch-npu';
import { expectedOutput } from '../backends/torch-npu/expect';
import { f32, i32, makeCase, noAbort, randInt8, rng, standinEnv, SYSTEM_PYTHON, values } from '../backends/torch-npu/helpers';

function inputs(k: number, extra: Partial<CaseInputs> = {}): CaseInputs {
  const rand = rng(k);
  return { x1: randInt8([3, k], rand), weight: randInt8([4, k], rand), scale: f32([1], [0.25]), offset: null,
    bias: null, pertoken_scale: null, ...extra };
}

function okValues(run: BackendRun): number[] {
  assert.equal(run.status, 'ok', JSON.stringify(run).slice(0, 300));
  return values((run as Extract<BackendRun, { status: 'ok' }>).output);
}

describe('torch-npu backend: a crash or a hang costs one case', function () {
  this.timeout(60_000);
  const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON,
    env: standinEnv({ A8W8_STANDIN_FAULT: 'crash@k=13,hang@k=14' }) });
  before(() => backend.open({ timeoutMs: 3_000 }));
  after(() => backend.close());

  const good = inputs(8);
  const goodCase = makeCase({ target: 'module', out: 'float16', inputs: good });
  async function nextCaseSucceeds(): Promise<void> {
    assert.deepEqual(okValues(await backend.run(goodCase, good, noAbort())), expectedOutput(good, 'float16'));
  }

  it('a crash throws WorkerCrashError (an error, not a timeout); the next case runs on a new worker', async () => {
    const pid = backend.hello!.pid;
    const bad = inputs(13);
    await assert.rejects(backend.run(makeCase({ target: 'op', out: 'float16', inputs: bad }), bad, noAbort()),
      (err: unknown) => err instanceof WorkerCrashError && !isTimeout(err) && /planted crash/.test(err.message));
    await nextCaseSucceeds();
    assert.notEqual(backend.hello!.pid, pid);
  });

  it('a hang is killed at the timeout and throws WorkerTimeoutError; the next case runs', async () => {
    const bad = inputs(14);
    const started = Date.now();
    await assert.rejects(backend.run(makeCase({ target: 'module', out: 'int8', inputs: bad }), bad, noAbort()),
      (err: unknown) => err instanceof WorkerTimeoutError && isTimeout(err));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 2_900 && elapsed < 6_000, `timed out after ${elapsed} ms`);
    await nextCaseSucceeds();
  });

  it('an abort kills a hung case at once; the next case runs', async () => {
    const bad = inputs(14);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 300);
    const started = Date.now();
    await assert.rejects(backend.run(makeCase({ target: 'op', out: 'float16', inputs: bad }), bad, ctl.signal),
      WorkerAbortError);
    assert.ok(Date.now() - started < 2_500);
    await nextCaseSucceeds();
  });
});

/** For each numeric fault, a case built to expose it, and what the faulty output must show. */
const numericFaults: { fault: string; spec: CaseSpec; check?: (clean: number[], faulty: number[]) => void }[] = [
  { fault: 'bias-after-scale',
    spec: { target: 'module', out: 'float16', inputs: inputs(16, { bias: i32([4], [300, -300, 1000, 8]) }) } },
  { fault: 'pertoken-ignored',
    spec: { target: 'op', out: 'bfloat16', inputs: inputs(16, { pertoken_scale: f32([3], [2, 0.5, 4]) }) } },
  { fault: 'truncate', spec: { target: 'module', out: 'int8', inputs: inputs(16) } },
  { fault: 'tail-unwritten', spec: { target: 'op', out: 'float16', inputs: inputs(16, { scale: f32([1], [1]) }) },
    check: (clean, faulty) => {
      // 3 x 4 output: row 2 and column 3 zero, the rest untouched
      clean.forEach((v, i) => assert.equal(faulty[i], i >= 8 || i % 4 === 3 ? 0 : v, `element ${i}`));
    } },
  { fault: 'garbage', spec: { target: 'module', out: 'bfloat16', inputs: inputs(16) } },
];

describe('torch-npu backend: planted numeric faults change the output', function () {
  this.timeout(60_000);
  const clean = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv() });
  before(() => clean.open({ timeoutMs: 30_000 }));
  after(() => clean.close());

  for (const { fault, spec, check } of numericFaults) {
    it(`${fault}: differs from the clean output on a case designed to expose it`, async () => {
      const faulty = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_FAULT: fault }) });
      try {
        await faulty.open({ timeoutMs: 30_000 });
        const c = makeCase(spec);
        const good = okValues(await clean.run(c, spec.inputs, noAbort()));
        assert.deepEqual(good, expectedOutput(spec.inputs, spec.out ?? 'int8'), 'the clean stand-in is exact');
        const bad = okValues(await faulty.run(c, spec.inputs, noAbort()));
        assert.notDeepEqual(bad, good);
        check?.(good, bad);
      } finally {
        await faulty.close();
      }
    });
  }

  it('inner-error: comes back rejected with class inner, not parameter', async () => {
    const broken = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_FAULT: 'inner-error' }) });
    try {
      await broken.open({ timeoutMs: 30_000 });
      const spec: CaseSpec = { target: 'module', out: 'int8', inputs: inputs(8) };
      const run = await broken.run(makeCase(spec), spec.inputs, noAbort());
      assert.equal(run.status, 'rejected');
      assert.equal((run as Extract<BackendRun, { status: 'rejected' }>).errorClass, 'inner');
    } finally {
      await broken.close();
    }
  });

  it('accept-all: a call the table rejects (fp16 output, float bias, no pertoken) is computed instead', async () => {
    const spec: CaseSpec = { target: 'op', out: 'float16', inputs: inputs(8, { bias: f32([4], [0.5, 1, 2, 3]) }) };
    const c = makeCase(spec);
    assert.equal((await clean.run(c, spec.inputs, noAbort())).status, 'rejected');
    const lax = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_FAULT: 'accept-all' }) });
    try {
      await lax.open({ timeoutMs: 30_000 });
      assert.equal((await lax.run(c, spec.inputs, noAbort())).status, 'ok');
    } finally {
      await lax.close();
    }
  });
});
