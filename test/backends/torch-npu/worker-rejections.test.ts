import { strict as assert } from 'node:assert';
import type { CaseInputs, Tensor } from '../../../harness/data/tensor';
import type { BackendRun } from '../../../harness/backends/types';
import { TorchNpuBackend, UnknownSocError, WorkerReplyError } from '../../../harness/backends/torch-npu';
import { bf16, f32, i32, makeCase, noAbort, randInt8, rng, standinEnv, SYSTEM_PYTHON } from './helpers';

type Rejected = Extract<BackendRun, { status: 'rejected' }>;

function rejected(run: BackendRun): Rejected {
  assert.equal(run.status, 'rejected', `expected rejected, got ${JSON.stringify(run).slice(0, 300)}`);
  return run as Rejected;
}

function base(m = 2, k = 8, n = 4): CaseInputs {
  const rand = rng(5);
  return { x1: randInt8([m, k], rand), weight: randInt8([n, k], rand), scale: f32([1], [0.5]), offset: null,
    bias: null, pertoken_scale: null };
}

describe('torch-npu backend: rejections against the stand-in (Atlas A2)', function () {
  this.timeout(60_000);
  const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv() });
  before(() => backend.open({ timeoutMs: 30_000 }));
  after(() => backend.close());

  it('fp16 output with an fp32 bias and no pertoken is a parameter error with 161002', async () => {
    const inputs = { ...base(), bias: f32([4], [0.5, 1, 2, 3]) };
    const run = rejected(await backend.run(makeCase({ target: 'op', out: 'float16', inputs }), inputs, noAbort()));
    assert.equal(run.errorType, 'RuntimeError');
    assert.equal(run.errorClass, 'parameter');
    assert.match(run.message, /161002/);
    assert.match(run.message, /bias dtype should not be FLOAT/);
  });

  it('the module refuses int32 output with a ValueError, a parameter error', async () => {
    const inputs = base();
    const run = rejected(await backend.run(makeCase({ target: 'module', out: 'int32', inputs }), inputs, noAbort()));
    assert.equal(run.errorType, 'ValueError');
    assert.equal(run.errorClass, 'parameter');
  });

  it('shape rules: scale of neither 1 nor n, k past 65535, a 3-D bias with 2-D output', async () => {
    const badScale = { ...base(), scale: f32([2], [0.5, 0.5]) };
    const r1 = rejected(await backend.run(makeCase({ target: 'op', out: 'float16', inputs: badScale }), badScale,
      noAbort()));
    assert.match(r1.message, /scale shape/);
    const big: Tensor = { dtype: 'int8', shape: [1, 65536], data: new Int8Array(65536) };
    const bigK: CaseInputs = { ...base(), x1: big, weight: { ...big, data: new Int8Array(65536) } };
    const r2 = rejected(await backend.run(makeCase({ target: 'op', out: 'float16', inputs: bigK }), bigK, noAbort()));
    assert.match(r2.message, /65535/);
    const bias3d = { ...base(), bias: i32([1, 1, 4], [1, 2, 3, 4]) };
    const r3 = rejected(await backend.run(makeCase({ target: 'op', out: 'float16', inputs: bias3d }), bias3d,
      noAbort()));
    assert.match(r3.message, /out dim need to be 3/);
    for (const r of [r1, r2, r3]) assert.equal(r.errorClass, 'parameter');
  });

  it('a bf16 scale with fp16 output is refused', async () => {
    const inputs = { ...base(), scale: bf16([1], [0.5]) };
    const run = rejected(await backend.run(makeCase({ target: 'op', out: 'float16', inputs }), inputs, noAbort()));
    assert.match(run.message, /When scale dtype is bfloat16/);
  });

  it('an inconsistent case record is a worker error, and the worker goes on', async () => {
    const inputs = base();
    const c = makeCase({ target: 'module', out: 'float16', inputs });
    c.call.bias = true;  // says bias, sends none
    await assert.rejects(backend.run(c, inputs, noAbort()), (err: unknown) => {
      assert.ok(err instanceof WorkerReplyError);
      assert.match(err.message, /call\.bias is True but the bias tensor was not sent/);
      return true;
    });
    const run = await backend.run(makeCase({ target: 'module', out: 'float16', inputs }), inputs, noAbort());
    assert.equal(run.status, 'ok');
  });
});

describe('torch-npu backend: Atlas inference (Ascend310P3 stand-in)', function () {
  this.timeout(60_000);
  const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_SOC: 'Ascend310P3' }) });
  after(() => backend.close());

  it('maps the SoC to atlas-inference and refuses bf16 output and pertoken, which Table 1 lacks', async () => {
    const info = await backend.open({ timeoutMs: 30_000 });
    assert.equal(info.product, 'atlas-inference');
    const inputs = base();
    const bf = rejected(await backend.run(makeCase({ target: 'module', out: 'bfloat16', inputs }), inputs, noAbort()));
    assert.equal(bf.errorClass, 'parameter');
    const pt = { ...base(), pertoken_scale: f32([2], [1, 1]) };
    rejected(await backend.run(makeCase({ target: 'op', out: 'float16', inputs: pt }), pt, noAbort()));
    const fine = await backend.run(makeCase({ target: 'module', out: 'float16', inputs }), inputs, noAbort());
    assert.equal(fine.status, 'ok');
  });
});

describe('torch-npu backend: an unknown SoC (bare Ascend910B)', function () {
  this.timeout(60_000);
  const env = standinEnv({ A8W8_STANDIN_SOC: 'Ascend910B' });

  it('open() fails listing the known families, unless the caller names the product', async () => {
    const strict = new TorchNpuBackend({ python: SYSTEM_PYTHON, env });
    await assert.rejects(strict.open({ timeoutMs: 30_000 }),
      (err: unknown) => err instanceof UnknownSocError && /atlas-a2/.test(err.message));
    const forced = new TorchNpuBackend({ python: SYSTEM_PYTHON, env });
    try {
      const info = await forced.open({ timeoutMs: 30_000, options: { product: 'atlas-a2' } });
      assert.equal(info.product, 'atlas-a2');
      assert.equal(info.socName, 'Ascend910B');
      assert.ok(info.notes.some((n) => /given by the caller/.test(n)));
    } finally {
      await forced.close();
    }
  });

  it('open() maps the SoC name through the products the caller gives (the spec\'s socNames)', async () => {
    const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env });
    try {
      const info = await backend.open({ timeoutMs: 30_000, products: [{ id: 'legacy', title: 'Legacy 910', socNames: ['Ascend910B'] }] });
      assert.equal(info.product, 'legacy');
    } finally {
      await backend.close();
    }
  });
});

describe('torch-npu backend: no torch_npu importable', function () {
  this.timeout(60_000);
  it('open() fails with the import error from the worker; after close() runs are refused', async () => {
    const env = standinEnv();
    delete env.PYTHONPATH;
    const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env });
    await assert.rejects(backend.open({ timeoutMs: 30_000 }),
      (err: unknown) => err instanceof WorkerReplyError && /No module named 'torch_npu'/.test(err.message));
    await backend.close();
    await assert.rejects(backend.run(makeCase({ target: 'op', out: 'float16', inputs: base() }), base(), noAbort()),
      /closed/);
  });
});
