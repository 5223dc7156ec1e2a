/**
 * Every path of the contract on onnxruntime, bit for bit against the TypeScript twin reference, on
 * seeded random inputs chosen so that the path's corners occur (ties, clipping, overflow, subnormals);
 * each test also asserts that its data reached the corner it is there for.
 */
import * as assert from 'node:assert/strict';
import { transQuantParam } from '../../../harness/reference/twin/quant-param';
import type { CaseInputs, Tensor } from '../../../harness/data/tensor';
import type { OutputDtype } from '../../../harness/dtypes';
import type { ReferenceOutput } from '../../../harness/reference/types';
import {
  assertMatchesTwin, describePerFeed, bf16Of, countWhere, f32, f32Of, halfBits, inputs, int32, int8, makeCase, noAbort, rngFor,
} from './helpers';

const F16_INF = (v: number): boolean => (v & 0x7fff) === 0x7c00;
const F16_SUBNORMAL = (v: number): boolean => (v & 0x7c00) === 0 && (v & 0x3ff) !== 0;
const BF16_INF = (v: number): boolean => (v & 0x7fff) === 0x7f80;
const BF16_SUBNORMAL = (v: number): boolean => (v & 0x7f80) === 0 && (v & 0x7f) !== 0;

describePerFeed('onnxruntime backend: paths against the twin', (backend) => {
  async function check(name: string, out: OutputDtype | null, ins: CaseInputs, target: 'module' | 'op' = 'module'): Promise<ReferenceOutput> {
    const c = makeCase({ out, inputs: ins, target, id: name });
    return assertMatchesTwin(await backend.run(c, ins, noAbort()), c, ins);
  }

  describe('int8-requant', () => {
    it('fp32 scale (n), no offset, no bias: fp19 scale, RNE, saturation', async () => {
      const r = rngFor('int8-plain');
      const ref = await check('int8-plain', null, inputs({
        x1: int8(r, [7, 32]), weight: int8(r, [9, 32]), scale: f32(r, [9], -8, -6),
      }));
      assert.ok(countWhere(ref.expected, (v) => v === 127 || v === -128) > 0, 'no element saturated');
      assert.ok(ref.scaleGap > 0, 'the scale was not changed by fp19 truncation');
    });

    it('fp32 scale and offset (n) with .5 offsets, int32 bias: offset packed as torch_npu packs it', async () => {
      const r = rngFor('int8-offset');
      const offset = Float32Array.from({ length: 11 }, (_, i) => [-300.5, -2.5, -1.5, 0.5, 1.5, 2.5, 100.25, 255.5, -256.5, 7, -40.75][i]!);
      const ref = await check('int8-offset', 'int8', inputs({
        x1: int8(r, [5, 24]), weight: int8(r, [11, 24]), scale: f32(r, [11], -9, -6),
        offset: { dtype: 'float32', shape: [11], data: offset }, bias: int32(r, [11], -20000, 20000),
      }));
      assert.ok(countWhere(ref.expected, (v) => v > -128 && v < 127) > 10, 'too few unsaturated elements');
    });

    it('scale and offset of length 1 broadcast over n', async () => {
      const r = rngFor('int8-broadcast-params');
      await check('int8-broadcast-params', null, inputs({
        x1: int8(r, [6, 16]), weight: int8(r, [10, 16]), scale: f32(r, [1], -7, -7), offset: f32Of([1], [-3.5]),
      }));
    });

    it('exact .5 ties round half to even (scale 0.5, odd accumulators)', async () => {
      const r = rngFor('int8-ties');
      const ref = await check('int8-ties', null, inputs({
        x1: int8(r, [8, 8], -4, 4), weight: int8(r, [12, 8], -4, 4), scale: f32Of([1], [0.5]),
      }));
      const ties = Array.from(ref.acc).filter((a) => a % 2 !== 0).length;
      assert.ok(ties > 10, `only ${ties} ties in the data`);
    });

    for (const roundMode of [0, 1] as const) {
      it(`int64 scale (trans_quant_param round_mode ${roundMode}, packed offset): the offset tensor is not read`, async () => {
        const r = rngFor(`int8-int64-${roundMode}`);
        const scale = f32(r, [13], -8, -6).data as Float32Array;
        const packedOffset = Float32Array.from({ length: 13 }, () => Math.round((r() - 0.5) * 200) + 0.5);
        const packed = transQuantParam(scale, packedOffset, roundMode);
        const ins = inputs({
          x1: int8(r, [4, 40]), weight: int8(r, [13, 40]),
          scale: { dtype: 'int64', shape: [13], data: packed },
          offset: f32Of([13], Array.from({ length: 13 }, () => 99)), // differs from the packed one on purpose
          bias: int32(r, [13], -5000, 5000),
        });
        const c = makeCase({ out: 'int8', inputs: ins, target: 'op', scaleBuild: { roundMode, packOffset: true } });
        assertMatchesTwin(await backend.run(c, ins, noAbort()), c, ins);
      });
    }
  });

  describe('fp16-fixpipe', () => {
    it('fp32 scale, int32 bias: fp19 scale, RNE, overflow to inf and subnormals', async () => {
      const r = rngFor('fp16-fixpipe');
      const ref = await check('fp16-fixpipe', 'float16', inputs({
        x1: int8(r, [9, 48]), weight: int8(r, [17, 48]), scale: f32(r, [17], -36, 3), bias: int32(r, [17], -1e5, 1e5),
      }));
      assert.ok(countWhere(ref.expected, F16_INF) > 0, 'no overflow in the data');
      assert.ok(countWhere(ref.expected, F16_SUBNORMAL) > 0, 'no subnormal in the data');
    });

    it('int64 scale', async () => {
      const r = rngFor('fp16-int64');
      const packed = transQuantParam(f32(r, [8], -12, -4).data as Float32Array, null, 0);
      await check('fp16-int64', 'float16', inputs({
        x1: int8(r, [3, 20]), weight: int8(r, [8, 20]), scale: { dtype: 'int64', shape: [8], data: packed },
      }), 'op');
    });

    it('rank 3 x1 with a 2-D weight and a (batch, 1, n) int32 bias', async () => {
      const r = rngFor('fp16-rank3');
      await check('fp16-rank3', 'float16', inputs({
        x1: int8(r, [3, 5, 16]), weight: int8(r, [7, 16]), scale: f32(r, [7], -12, -8),
        bias: int32(r, [3, 1, 7], -3000, 3000),
      }));
    });

    it('rank 4 batch broadcast: x1 (2, 1, m, k) with weight (3, n, k)', async () => {
      const r = rngFor('fp16-rank4');
      const ref = await check('fp16-rank4', 'float16', inputs({
        x1: int8(r, [2, 1, 4, 12]), weight: int8(r, [3, 6, 12]), scale: f32(r, [1], -10, -10),
      }), 'op');
      assert.deepEqual(ref.shape, [2, 3, 4, 6]);
    });
  });

  describe('fp16-pertoken', () => {
    const biases: [string, (r: () => number, n: number) => Tensor | null][] = [
      ['no bias', () => null],
      ['int32 bias', (r, n) => int32(r, [n], -40000, 40000)],
      ['fp32 bias', (r, n) => f32(r, [n], -4, 6)],
      ['fp16 bias', (r, n) => halfBits(r, 'float16', [n])],
    ];
    for (const [label, makeBias] of biases) {
      it(`untruncated scale, (acc*scale)*pt, ${label}`, async () => {
        const r = rngFor(`fp16-pertoken-${label}`);
        const ref = await check(`fp16-pertoken-${label}`, 'float16', inputs({
          x1: int8(r, [10, 36]), weight: int8(r, [14, 36]), scale: f32(r, [14], -14, -6),
          pertoken_scale: f32(r, [10], -4, 3, false), bias: makeBias(r, 14),
        }));
        assert.equal(ref.scaleGap, 0);
      });
    }

    it('rank 3 with a (batch, 1, n) fp32 bias', async () => {
      const r = rngFor('fp16-pertoken-rank3');
      await check('fp16-pertoken-rank3', 'float16', inputs({
        x1: int8(r, [2, 6, 20]), weight: int8(r, [2, 9, 20]), scale: f32(r, [9], -12, -8),
        pertoken_scale: f32(r, [6], -2, 2, false), bias: f32(r, [2, 1, 9], -3, 5),
      }));
    });
  });

  describe('bf16-vector', () => {
    const cases: [string, (r: () => number) => Partial<CaseInputs>][] = [
      ['fp32 scale untruncated, no pertoken', (r) => ({ scale: f32(r, [15], -20, -2) })],
      ['fp32 scale with pertoken and int32 bias', (r) => ({
        scale: f32(r, [15], -20, -2), pertoken_scale: f32(r, [11], -3, 3, false), bias: int32(r, [15], -9000, 9000) })],
      ['bf16 scale, bf16 bias', (r) => ({ scale: bf16Of(f32(r, [15], -16, -4)), bias: halfBits(r, 'bfloat16', [15]) })],
      ['bf16 scale, pertoken, fp32 bias', (r) => ({
        scale: bf16Of(f32(r, [15], -16, -4)), pertoken_scale: f32(r, [11], -3, 3, false), bias: f32(r, [15], -5, 8) })],
    ];
    for (const [label, parts] of cases) {
      it(label, async () => {
        const r = rngFor(`bf16-${label}`);
        const x1 = int8(r, [11, 28]);
        const weight = int8(r, [15, 28]);
        const ref = await check(`bf16-${label}`, 'bfloat16', inputs({ x1, weight, ...parts(r) } as CaseInputs));
        assert.equal(ref.scaleGap, 0);
      });
    }

    it('subnormal results are kept (no flush to zero in Mul or Cast)', async () => {
      const r = rngFor('bf16-subnormal');
      const ref = await check('bf16-subnormal', 'bfloat16', inputs({
        x1: int8(r, [6, 16]), weight: int8(r, [10, 16]), scale: f32(r, [10], -148, -136),
      }));
      assert.ok(countWhere(ref.expected, BF16_SUBNORMAL) > 10, 'too few subnormal results');
    });

    it('overflow to inf', async () => {
      const r = rngFor('bf16-overflow');
      const ref = await check('bf16-overflow', 'bfloat16', inputs({
        x1: int8(r, [6, 16]), weight: int8(r, [10, 16]), scale: f32(r, [10], 112, 114),
      }));
      assert.ok(countWhere(ref.expected, BF16_INF) > 0, 'no overflow in the data');
    });
  });

  describe('fp16-float-bias (documented, rejected by the library: E2)', () => {
    for (const dtype of ['float32', 'float16'] as const) {
      it(`fp19 scale, then + ${dtype} bias`, async () => {
        const r = rngFor(`fp16-float-bias-${dtype}`);
        const ref = await check(`fp16-float-bias-${dtype}`, 'float16', inputs({
          x1: int8(r, [5, 30]), weight: int8(r, [12, 30]), scale: f32(r, [12], -12, -6),
          bias: dtype === 'float32' ? f32(r, [12], -3, 7) : halfBits(r, 'float16', [12]),
        }));
        assert.ok(ref.scaleGap > 0);
      });
    }
  });

  describe('int32-acc', () => {
    it('acc + int32 bias, the scale not applied', async () => {
      const r = rngFor('int32');
      await check('int32', 'int32', inputs({
        x1: int8(r, [2, 4, 64]), weight: int8(r, [9, 64]), scale: f32(r, [9], -8, -2),
        bias: int32(r, [1, 1, 9], -1e6, 1e6),
      }), 'op');
    });
  });
});
