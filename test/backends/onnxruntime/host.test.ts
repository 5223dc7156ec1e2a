/**
 * The host-side steps (what torch_npu does before the kernel) and the A-feed probe. host-params.ts is
 * written independently of the twin, so the two are checked against each other and against the
 * op-plugin doc's worked examples.
 */
import * as assert from 'node:assert/strict';
import { decodePacked, effectiveParams, packsFp32Scale, transQuantParam } from '../../../harness/backends/onnxruntime/host-params';
import { probeFeed, chooseFeed } from '../../../harness/backends/onnxruntime/probe';
import { OnnxRuntimeBackend } from '../../../harness/backends/onnxruntime';
import { transQuantParam as twinTransQuantParam } from '../../../harness/reference/twin/quant-param';
import type { OutputDtype } from '../../../harness/dtypes';
import { f32, f32Of, inputs, int8, makeCase, noAbort, rngFor } from './helpers';

describe('onnxruntime backend: host-side parameters', () => {
  it('decodes the op-plugin doc examples (bits 0-31 scale, 37-45 offset)', () => {
    const d = decodePacked(BigInt64Array.of(70507248869376n, 140463653937152n));
    assert.equal(d.scale[0], 1.0458984375);
    assert.equal(d.offset9[0], 1);
    assert.equal(d.scale[1], Math.fround(0.17419434));
    assert.equal(d.offset9[1], -2);
  });

  it('packs like the twin\'s device trans_quant_param (round mode 0) on random scales and offsets', () => {
    const r = rngFor('pack');
    const scale = f32(r, [500], -30, 30).data as Float32Array;
    const offset = Float32Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? Math.round((r() - 0.5) * 700) + 0.5 : (r() - 0.5) * 700));
    assert.deepEqual(transQuantParam(scale, offset), twinTransQuantParam(scale, offset, 0));
    assert.deepEqual(transQuantParam(scale, null), twinTransQuantParam(scale, null, 0));
    assert.deepEqual(transQuantParam(scale.subarray(0, 1), offset), twinTransQuantParam(scale.subarray(0, 1), offset, 0));
  });

  it('rounds .5 offsets to even and clips them to 9 bits', () => {
    const d = decodePacked(transQuantParam(f32Of([1], [1]).data as Float32Array, Float32Array.of(0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 300, -300, 255.5)));
    assert.deepEqual(Array.from(d.offset9), [0, 2, 2, 0, -2, -2, 255, -256, 255]);
  });

  const truncated: [OutputDtype, boolean, boolean][] = [
    ['int8', false, true], ['float16', false, true], ['float16', true, false], ['bfloat16', false, false], ['int32', false, false],
  ];
  for (const [out, pertoken, expected] of truncated) {
    it(`an fp32 scale is ${expected ? '' : 'not '}packed for ${out} output ${pertoken ? 'with' : 'without'} pertoken`, () => {
      const r = rngFor(`packs-${out}-${pertoken}`);
      const ins = inputs({
        x1: int8(r, [2, 4]), weight: int8(r, [3, 4]), scale: f32Of([3], [1 + 2 ** -20, 3 + 2 ** -21, 0.1]),
        pertoken_scale: pertoken ? f32Of([2], [1, 2]) : null,
      });
      const c = makeCase({ out, inputs: ins });
      assert.equal(packsFp32Scale(c), expected);
      const p = effectiveParams(c, ins);
      assert.deepEqual(Array.from(p.scale), expected
        ? [1, 3, Math.fround(0.1) - (Math.fround(0.1) % 2 ** -14)].map(Math.fround)
        : Array.from(ins.scale.data as Float32Array));
    });
  }
});

describe('onnxruntime backend: the A-feed probe', function () {
  this.timeout(60_000);
  const settings = { intraOpThreads: 1 };

  for (const feed of ['int8', 'uint8-split'] as const) {
    it(`the ${feed} feed is exact on this host (it must be on any x86 or Arm host)`, async () => {
      assert.equal(await probeFeed(feed, settings), null);
    });
  }

  it('auto picks the first exact feed of uint8, uint8-split, int8', async () => {
    const expected = await probeFeed('uint8', settings) === null ? 'uint8'
      : await probeFeed('uint8-split', settings) === null ? 'uint8-split' : 'int8';
    assert.equal((await chooseFeed('auto', settings)).aFeed, expected);
  });

  it('a forced inexact uint8 feed is caught by the comparison (the backend is a kernel under test)', async function () {
    if (await probeFeed('uint8', settings) === null) this.skip(); // VNNI host: the uint8 feed is exact
    const backend = new OnnxRuntimeBackend();
    const info = await backend.open({ options: { aFeed: 'uint8' } });
    try {
      assert.ok(info.notes.some((n) => n.includes('NOT exact')), info.notes.join('\n'));
      const r = rngFor('forced-u8');
      const ins = inputs({ x1: int8(r, [4, 64]), weight: int8(r, [4, 64]), scale: f32Of([1], [1]) });
      const run = await backend.run(makeCase({ out: 'int32', inputs: ins, target: 'op' }), ins, noAbort());
      assert.equal(run.status, 'ok');
      const acc = run.status === 'ok' ? run.output.data as Int32Array : new Int32Array();
      const a = ins.x1.data as Int8Array;
      const w = ins.weight.data as Int8Array;
      let exact = 0;
      for (let i = 0; i < 16; i++) {
        let s = 0;
        for (let p = 0; p < 64; p++) s += a[Math.floor(i / 4) * 64 + p]! * w[(i % 4) * 64 + p]!;
        if (s === acc[i]) exact++;
      }
      assert.ok(exact < 16, 'the forced uint8 feed gave exact results although the probe said it saturates');
    } finally {
      await backend.close();
    }
  });
});
