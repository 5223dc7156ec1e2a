import { strict as assert } from 'node:assert';
import type { CaseInputs, Tensor } from '../../../harness/data/tensor';
import type { BackendRun } from '../../../harness/backends/types';
import { TorchNpuBackend } from '../../../harness/backends/torch-npu';
import { namedInputs } from '../../../harness/backends/torch-npu/replies';
import { twinImpl } from '../../../harness/reference/twin';
import { f32, i32, makeCase, noAbort, randInt8, rng, standinEnv, SYSTEM_PYTHON, values } from './helpers';

/**
 * An int64-scale case as generate.ts builds it: `scale` packed on the host by the twin (what the reference
 * reads), `scaleSource` the fp32 scale and offset it was packed from. Scales chosen so round_mode matters
 * (1 + 2^-11 + 2^-12 rounds up in fp19, truncates down) and offsets that are not 0.
 */
function int64Case(roundMode: 0 | 1): { inputs: CaseInputs; source: CaseInputs } {
  const rand = rng(31);
  const scaleF32 = Float32Array.from([1 + 2 ** -11 + 2 ** -12, 0.0625, 0.125 * (1 + 2 ** -10 + 2 ** -13), 0.03125]);
  const offsetF32 = Float32Array.from([3, -2.5, 0.5, -7]);
  const packed: Tensor = { dtype: 'int64', shape: [4], data: twinImpl.transQuantParam(scaleF32, offsetF32, roundMode) };
  const inputs: CaseInputs = { x1: randInt8([3, 16], rand), weight: randInt8([4, 16], rand), scale: packed,
    offset: f32([4], Array.from(offsetF32)), bias: i32([4], [10, -20, 30, -40]), pertoken_scale: null };
  return { inputs, source: { ...inputs, scaleSource: { scale: f32([4], Array.from(scaleF32)), offset: f32([4], Array.from(offsetF32)) } } };
}

function okValues(run: BackendRun): number[] {
  assert.equal(run.status, 'ok', JSON.stringify(run).slice(0, 300));
  return values((run as Extract<BackendRun, { status: 'ok' }>).output);
}

describe('torch-npu: an int64 scale is packed by the library from CaseInputs.scaleSource', function () {
  this.timeout(60_000);

  it('the request carries the fp32 source, the offset to pack and the round mode, not the int64', () => {
    const { source } = int64Case(1);
    const c = makeCase({ target: 'op', out: 'int8', inputs: source, scaleBuild: { roundMode: 1, packOffset: true } });
    const { tensors, scalePack } = namedInputs(c, source);
    const byName = new Map(tensors);
    assert.equal(byName.get('scale')?.dtype, 'float32');
    assert.deepEqual(byName.get('scale_offset'), source.scaleSource!.offset);
    assert.deepEqual(scalePack, { roundMode: 1, offset: true });
    const plain = namedInputs(c, { ...source, scaleSource: undefined });
    assert.equal(new Map(plain.tensors).get('scale')?.dtype, 'int64');
    assert.equal(plain.scalePack, undefined);
  });

  it('npu_trans_quant_param on the worker gives the host-packed result, for both round modes and both targets', async () => {
    const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv() });
    try {
      await backend.open({ timeoutMs: 30_000 });
      for (const roundMode of [0, 1] as const) {
        const { inputs, source } = int64Case(roundMode);
        for (const target of ['op', 'module'] as const) {
          const c = makeCase({ target, out: 'int8', inputs, scaleBuild: { roundMode, packOffset: true } });
          const hostPacked = okValues(await backend.run(c, inputs, noAbort()));
          assert.deepEqual(okValues(await backend.run(c, source, noAbort())), hostPacked, `${target} round_mode ${roundMode}`);
        }
      }
    } finally {
      await backend.close();
    }
  });

  it('a library that packs wrongly (bad-pack) is seen: the output differs from the host-packed one', async () => {
    const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_FAULT: 'bad-pack' }) });
    try {
      await backend.open({ timeoutMs: 30_000 });
      const { inputs, source } = int64Case(1);
      const c = makeCase({ target: 'op', out: 'int8', inputs, scaleBuild: { roundMode: 1, packOffset: true } });
      // the int64 sent as is does not touch the library's packing, so it still gives the right answer
      const hostPacked = okValues(await backend.run(c, inputs, noAbort()));
      assert.notDeepEqual(okValues(await backend.run(c, source, noAbort())), hostPacked);
    } finally {
      await backend.close();
    }
  });
});
