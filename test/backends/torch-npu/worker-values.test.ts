import { strict as assert } from 'node:assert';
import type { CaseInputs, Tensor } from '../../../harness/data/tensor';
import type { OutputDtype } from '../../../harness/dtypes';
import type { BackendRun, DeviceInfo } from '../../../harness/backends/types';
import { TorchNpuBackend } from '../../../harness/backends/torch-npu';
import { expectedOutput } from './expect';
import { bf16, f32, i32, makeCase, noAbort, randInt8, rng, standinEnv, SYSTEM_PYTHON, values } from './helpers';

const M = 3;
const K = 16;
const N = 5;

function ok(run: BackendRun): Extract<BackendRun, { status: 'ok' }> {
  assert.equal(run.status, 'ok', `expected ok, got ${JSON.stringify(run)}`);
  return run as Extract<BackendRun, { status: 'ok' }>;
}

/** Inputs for one dtype row; power-of-two scales so the expectation is exact (expect.ts). */
function inputsFor(out: OutputDtype, target: 'module' | 'op', seed: number): CaseInputs {
  const rand = rng(seed);
  const base = { x1: randInt8([M, K], rand), weight: randInt8([N, K], rand), offset: null, bias: null,
    pertoken_scale: null } as CaseInputs;
  switch (out) {
    case 'int8':
      return { ...base, scale: f32([N], [0.25, 0.125, 0.5, 0.0625, 0.25]), offset: f32([N], [0, 3, -2, 1.5, -0.5]),
        bias: i32([N], [7, -20, 3, 100, -1]) };
    case 'float16':
      return target === 'module'
        ? { ...base, scale: f32([1], [0.125]), bias: i32([N], [1, -2, 300, 4, -5]) }
        : { ...base, scale: f32([N], [0.5, 0.25, 1, 2, 0.125]), pertoken_scale: f32([M], [0.25, 1, 4]),
          bias: f32([N], [0.5, -1.25, 3, 0, 7.75]) };
    case 'bfloat16':
      return target === 'module'
        ? { ...base, scale: f32([N], [0.5, 0.25, 1, 2, 0.125]), pertoken_scale: f32([M], [2, 0.5, 1]),
          bias: i32([N], [9, -9, 0, 1, 2]) }
        : { ...base, scale: bf16([N], [0.5, 0.25, 1, 2, 0.125]), bias: bf16([N], [0.5, -1.25, 3, 0, 7.75]) };
    case 'int32':
      return { ...base, scale: f32([1], [1]), bias: i32([N], [1, 2, 3, 4, 5]) };
  }
}

describe('torch-npu backend: values against the stand-in', function () {
  this.timeout(60_000);
  const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv() });
  let info: DeviceInfo;

  before(async () => {
    info = await backend.open({ timeoutMs: 30_000, options: { timingWarmup: '1', timingRepeats: '3' } });
  });
  after(() => backend.close());

  it('hello: the stand-in announces itself, so the run is simulated', () => {
    assert.equal(info.backend, 'torch-npu');
    assert.equal(info.simulated, true);
    assert.equal(info.socName, 'Ascend910B2');
    assert.equal(info.product, 'atlas-a2');
    assert.equal(info.device, 'npu:0');
    assert.match(info.versions.torch!, /^1\.13/);
    assert.match(info.versions.torch_npu!, /standin/);
    for (const key of ['cann', 'driver', 'python', 'numpy']) assert.ok(info.versions[key], key);
    assert.ok(info.notes.some((n) => /stand-in/.test(n)), info.notes.join('\n'));
    assert.ok(info.notes.some((n) => /graph mode cases are skipped/.test(n)), info.notes.join('\n'));
  });

  const rows: [('module' | 'op'), OutputDtype | null][] = [
    ['module', null], ['module', 'int8'], ['module', 'float16'], ['module', 'bfloat16'],
    ['op', null], ['op', 'int8'], ['op', 'float16'], ['op', 'bfloat16'], ['op', 'int32'],
  ];
  rows.forEach(([target, out], idx) => {
    it(`${target}, output_dtype ${out ?? 'None'}: matches the exact expectation`, async () => {
      const effective = out ?? 'int8';
      const inputs = inputsFor(effective, target, 100 + idx);
      const run = ok(await backend.run(makeCase({ target, out, inputs }), inputs, noAbort()));
      assert.equal(run.output.dtype, effective);
      assert.deepEqual(run.output.shape, [M, N]);
      assert.deepEqual(values(run.output), expectedOutput(inputs, effective));
    });
  });

  it('module fp16 without pertoken truncates the scale to fp19; the pertoken path does not', async () => {
    // acc = 1000; scale 1 + 2^-11 loses its low mantissa bit in fp19: 1000 exactly, against 1000.488 -> 1000.5
    const x1: Tensor = { dtype: 'int8', shape: [1, 10], data: new Int8Array(10).fill(100) };
    const weight: Tensor = { dtype: 'int8', shape: [1, 10], data: new Int8Array(10).fill(1) };
    const scale = f32([1], [1 + 2 ** -11]);
    const plain: CaseInputs = { x1, weight, scale, offset: null, bias: null, pertoken_scale: null };
    const r1 = ok(await backend.run(makeCase({ target: 'module', out: 'float16', inputs: plain }), plain, noAbort()));
    assert.deepEqual(values(r1.output), [1000]);
    const withPt: CaseInputs = { ...plain, pertoken_scale: f32([1], [1]) };
    const r2 = ok(await backend.run(makeCase({ target: 'module', out: 'float16', inputs: withPt }), withPt, noAbort()));
    assert.deepEqual(values(r2.output), [1000.5]);
  });

  it('an int64 scale is packed from fp32 by scaleBuild (round_mode 1 rounds, 0 truncates) or taken as sent', async () => {
    const x1: Tensor = { dtype: 'int8', shape: [1, 10], data: new Int8Array(10).fill(100) };
    const weight: Tensor = { dtype: 'int8', shape: [1, 10], data: new Int8Array(10).fill(1) };
    const inputs: CaseInputs = { x1, weight, scale: f32([1], [1 + 2 ** -11 + 2 ** -12]), offset: null, bias: null,
      pertoken_scale: null };
    const build = (roundMode: 0 | 1) => makeCase({ target: 'op', out: 'float16', inputs, scaleDtype: 'int64',
      scaleBuild: { roundMode, packOffset: false } });
    assert.deepEqual(values(ok(await backend.run(build(1), inputs, noAbort())).output), [1001]);
    assert.deepEqual(values(ok(await backend.run(build(0), inputs, noAbort())).output), [1000]);
    // a packed pattern sent as is: scale 0.25 (0x3E800000), offset -3 in bits 37-45, bit 46 set
    const packed = 0x3e800000n | (1n << 46n) | ((-3n & 0x1ffn) << 37n);
    const direct: CaseInputs = { ...inputsFor('int8', 'op', 7), scale: { dtype: 'int64', shape: [1],
      data: BigInt64Array.of(packed) }, offset: f32([1], [-3]), bias: null };
    const run = ok(await backend.run(makeCase({ target: 'op', out: 'int8', inputs: direct }), direct, noAbort()));
    assert.deepEqual(values(run.output), expectedOutput({ ...direct, scale: f32([1], [0.25]) }, 'int8'));
  });

  it('3-D x1 with a (batch, 1, n) bias: each batch slice matches its own expectation', async () => {
    const rand = rng(21);
    const x1 = randInt8([2, M, K], rand);
    const weight = randInt8([N, K], rand);
    const bias = i32([2, 1, N], [1, 2, 3, 4, 5, -50, -40, -30, -20, -10]);
    const inputs: CaseInputs = { x1, weight, scale: f32([1], [0.125]), offset: null, bias, pertoken_scale: null };
    const run = ok(await backend.run(makeCase({ target: 'op', out: 'float16', inputs }), inputs, noAbort()));
    assert.deepEqual(run.output.shape, [2, M, N]);
    const got = values(run.output);
    for (let b = 0; b < 2; b++) {
      const slice: CaseInputs = { ...inputs,
        x1: { dtype: 'int8', shape: [M, K], data: (x1.data as Int8Array).slice(b * M * K, (b + 1) * M * K) },
        bias: i32([N], Array.from((bias.data as Int32Array).slice(b * N, (b + 1) * N))) };
      assert.deepEqual(got.slice(b * M * N, (b + 1) * M * N), expectedOutput(slice, 'float16'), `batch ${b}`);
    }
  });

  it('an NZ weight gives the same bits as ND', async () => {
    const inputs = inputsFor('int8', 'module', 11);
    const nd = ok(await backend.run(makeCase({ target: 'module', out: 'int8', inputs }), inputs, noAbort()));
    const nz = ok(await backend.run(makeCase({ target: 'module', out: 'int8', inputs, weightFormat: 'NZ' }), inputs,
      noAbort()));
    assert.deepEqual(nz.output, nd.output);
    assert.deepEqual(values(nz.output), expectedOutput(inputs, 'int8'));
  });

  it('strided x1, scale and pertoken views give the same bits as contiguous ones', async () => {
    for (const [target, out] of [['op', 'float16'], ['module', 'bfloat16']] as const) {
      const inputs = inputsFor(out, target, 15);
      const run = ok(await backend.run(makeCase({ target, out, inputs, strided: true }), inputs, noAbort()));
      assert.deepEqual(values(run.output), expectedOutput(inputs, out), `${target} ${out}`);
    }
  });

  it('repeat > 1 returns every run', async () => {
    const inputs = inputsFor('bfloat16', 'op', 12);
    const run = ok(await backend.run(makeCase({ target: 'op', out: 'bfloat16', inputs, repeat: 3 }), inputs, noAbort()));
    assert.equal(run.repeats?.length, 2);
    for (const r of run.repeats!) assert.deepEqual(r, run.output);
  });

  it('perf cases come back with device timings and a float baseline; other cases without', async () => {
    const inputs = inputsFor('float16', 'module', 13);
    const timed = ok(await backend.run(makeCase({ target: 'module', out: 'float16', inputs, tags: ['perf'] }), inputs,
      noAbort()));
    const t = timed.timings!;
    assert.ok(t, 'timings missing');
    assert.equal(t.repeats, 3);
    assert.ok(t.p10Us <= t.medianUs && t.medianUs <= t.p90Us && t.p10Us >= 0, JSON.stringify(t));
    assert.ok(t.floatBaseline && /torch\.matmul/.test(t.floatBaseline.label), JSON.stringify(t.floatBaseline));
    const plain = ok(await backend.run(makeCase({ target: 'module', out: 'float16', inputs }), inputs, noAbort()));
    assert.equal(plain.timings, undefined);
  });

  it('graph mode is skipped with the reason when torchair is missing', async () => {
    const inputs = inputsFor('int8', 'module', 14);
    const run = await backend.run(makeCase({ target: 'module', out: 'int8', inputs, mode: 'graph' }), inputs, noAbort());
    assert.equal(run.status, 'skip');
    assert.match((run as { reason: string }).reason, /graph mode unavailable: (torch .* has no torch\.compile|torchair)/);
  });
});
