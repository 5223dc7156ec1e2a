/**
 * The facts of docs/semantics.md pinned as tests (section numbers below are that page's), for every implementation of the reference.
 * Values that show an order of operations are constructed (or found by a deterministic search whose
 * success is itself asserted) so that the two orders really give different results.
 */
import assert from 'node:assert/strict';
import { mulberry32 } from '../../harness/data/random';
import type { EpilogueArgs } from '../../harness/reference/impl';
import { f16BitsToF32, f32ToF16Bits } from '../../harness/reference/twin/fp16';
import { f32Bits, f32FromBits } from '../../harness/reference/twin/fp32';
import { decodeQuantParam } from '../../harness/reference/twin/quant-param';
import { PRIMARY, epilogueArgs } from './helpers';
import { describeEachImpl } from './impls';

const PACKED_A = 0x40203f85e000n; // op-plugin doc example 70507248869376
const PACKED_B = 0x7fc03e326000n; // op-plugin doc example 140463653937152
const F32_NEAREST_0_17419434 = Math.fround(0.17419434);
const UNTRUNCATED = { ...PRIMARY, scaleFp19: false };

describe('facts: the op-plugin doc examples decode as docs/semantics.md §2.3 says', () => {
  it('0x40203F85E000 is scale 1.0458984375, offset +1, bit 46 set', () => {
    assert.deepEqual(decodeQuantParam(PACKED_A), { scale: 1.0458984375, offset: 1 });
    assert.equal((PACKED_A >> 46n) & 1n, 1n);
  });
  it('0x7FC03E326000 is scale 0.17419434 (fp32 nearest), offset -2', () => {
    assert.deepEqual(decodeQuantParam(PACKED_B), { scale: F32_NEAREST_0_17419434, offset: -2 });
    assert.equal(f32Bits(F32_NEAREST_0_17419434), 0x3e326000);
  });
});

describeEachImpl('facts', (impl) => {
  describe('npu_trans_quant_param (§2.3)', () => {
    it('reproduces the doc examples from their scales and offsets', () => {
      const out = impl().transQuantParam(new Float32Array([1.0458984375, 0.17419434]), new Float32Array([1, -2]), 0);
      assert.deepEqual([...out], [PACKED_A, PACKED_B]);
      assert.deepEqual([...impl().transQuantParam(new Float32Array([1.0458984375, 0.17419434]), new Float32Array([1, -2]), 1)], [PACKED_A, PACKED_B]);
    });

    it('round_mode 0 truncates and round_mode 1 rounds to nearest even on constructed ties', () => {
      // bit 12 is the rounding bit, bits 0-11 the sticky bits, bit 13 the kept lsb
      const cases: { bits: number; truncated: number; nearest: number; what: string }[] = [
        { bits: 0x3f801000, truncated: 0x3f800000, nearest: 0x3f800000, what: 'tie, even lsb: stays' },
        { bits: 0x3f803000, truncated: 0x3f802000, nearest: 0x3f804000, what: 'tie, odd lsb: rounds up' },
        { bits: 0x3f801800, truncated: 0x3f800000, nearest: 0x3f802000, what: 'above the tie: rounds up' },
        { bits: 0x3f800fff, truncated: 0x3f800000, nearest: 0x3f800000, what: 'below the tie: stays' },
        { bits: 0xbf803000, truncated: 0xbf802000, nearest: 0xbf804000, what: 'negative tie, odd lsb: away from zero' },
      ];
      const scales = new Float32Array(cases.map((c) => f32FromBits(c.bits)));
      const low32 = (v: bigint): number => Number(BigInt.asUintN(32, v));
      const t0 = impl().transQuantParam(scales, null, 0);
      const t1 = impl().transQuantParam(scales, null, 1);
      cases.forEach((c, i) => {
        assert.equal(low32(t0[i]!), c.truncated >>> 0, `round_mode 0, ${c.what}`);
        assert.equal(low32(t1[i]!), c.nearest >>> 0, `round_mode 1, ${c.what}`);
        assert.equal(t0[i]! >> 32n, 1n << 14n, `flag bit 46 only, ${c.what}`);
      });
    });

    it('the host-array variant does not mask and rounds the offset .5 away from zero', () => {
      const scale = new Float32Array([f32FromBits(0x3f801234), f32FromBits(0x3f801234), f32FromBits(0x3f801234)]);
      const offsets = new Float32Array([0.5, -2.5, 1.5]);
      const host = impl().transQuantParamHost(scale, offsets);
      const device = impl().transQuantParam(scale, offsets, 0);
      assert.deepEqual([...host].map((v) => decodeQuantParam(v).offset), [1, -3, 2]);
      assert.deepEqual([...device].map((v) => decodeQuantParam(v).offset), [0, -2, 2]);
      assert.deepEqual([...host].map((v) => Number(BigInt.asUintN(32, v))), [0x3f801234, 0x3f801234, 0x3f801234]);
      assert.deepEqual([...device].map((v) => Number(BigInt.asUintN(32, v))), [0x3f800000, 0x3f800000, 0x3f800000]);
    });
  });

  describe('fp16 and bf16 casts (§2.8, §7)', () => {
    it('fp16: nearest even, 65520 overflows, 65519 does not, subnormals kept', () => {
      const inputs = [1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 65519, -65520, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 2 ** -14 - 2 ** -24];
      const expected = [0x3c00, 0x3c02, 0x7c00, 0x7bff, 0xfc00, 0x0001, 0x0000, 0x0002, 0x03ff];
      assert.deepEqual([...impl().f32ToF16(new Float32Array(inputs))], expected);
      assert.equal(f16BitsToF32(0x3c02), 1.001953125);
    });

    it('bf16: nearest even, subnormals kept (never flushed)', () => {
      const inputs = [1 + 2 ** -8, 1 + 3 * 2 ** -8, f32FromBits(0x00010000), f32FromBits(0x00018000), f32FromBits(0x00008000), f32FromBits(0x80028000)];
      const expected = [0x3f80, 0x3f82, 0x0001, 0x0002, 0x0000, 0x8002];
      assert.deepEqual([...impl().f32ToBf16(new Float32Array(inputs))], expected);
    });
  });

  describe('int8 requant (§2.4, §2.5, §2.8)', () => {
    const int8 = (acc: number[], scale: number, extra: Partial<EpilogueArgs> = {}): number[] =>
      [...impl().epilogue(epilogueArgs('int8-requant', acc, [1, acc.length], [scale], extra))];

    it('uses the scale and offset packed in an int64 parameter, not the offset array', () => {
      const got = int8([100, -100, 10], 0, { scale: { dtype: 'int64', data: new BigInt64Array([PACKED_A]) }, offset: new Float32Array([50]) });
      assert.deepEqual(got, [Math.round(100 * 1.0458984375) + 1, Math.round(-100 * 1.0458984375) + 1, 10 + 1]);
    });

    it('rounds exact .5 ties to even; the odd variant takes the other neighbour', () => {
      assert.deepEqual(int8([5, -5, 3, -3, 7], 0.5), [2, -2, 2, -2, 4]);
      const odd = int8([5, -5, 3, -3, 7], 0.5, { variant: { ...PRIMARY, int8Tie: 'odd' } });
      assert.deepEqual(odd, [3, -3, 1, -1, 3]);
    });

    it('clips offsets to [-256, 255] and the result to [-128, 127]', () => {
      const offsets = new Float32Array([256, 300, -256, -300, 255.5, -256.5]);
      const got = int8([0, 0, 200, 200, 0, 0], 1, { offset: offsets });
      assert.deepEqual(got, [127, 127, -56, -56, 127, -128]);
      // 383 and -1000 hit the 9-bit clamp (255, -256) before the offset; 1000 + 0 saturates to 127
      assert.deepEqual(int8([0, 383, -1000, 1000], 1, { offset: new Float32Array([-256, -256, 255, 0]) }), [-128, -1, -1, 127]);
    });

    it('the 9-bit clamp changes the result when the offset pulls a large value back into range', () => {
      const args = { offset: new Float32Array([-200]) };
      assert.deepEqual(int8([300, 250], 1, args), [55, 50]); // clamp 300 -> 255, + -200
      assert.deepEqual(int8([300, 250], 1, { ...args, variant: { ...PRIMARY, int8Clamp9: false } }), [100, 50]);
    });
  });

  describe('orders of operations (§2.4, §2.6, §2.7)', () => {
    it('an int32 bias is scaled (added before), a float bias is not (added after scale and pertoken)', () => {
      const common = { pertoken: new Float32Array([2]), variant: UNTRUNCATED };
      const withInt = impl().epilogue(epilogueArgs('fp16-pertoken', [3], [1, 1], [0.25], {
        ...common, bias: { dtype: 'int32', data: new Int32Array([2]), shape: [1] },
      }));
      const withFloat = impl().epilogue(epilogueArgs('fp16-pertoken', [3], [1, 1], [0.25], {
        ...common, bias: { dtype: 'float32', data: new Float32Array([2]), shape: [1] },
      }));
      assert.equal(f16BitsToF32(withInt[0]!), (3 + 2) * 0.25 * 2); // 2.5
      assert.equal(f16BitsToF32(withFloat[0]!), 3 * 0.25 * 2 + 2); // 3.5, not (0.75 + 2) * 2
    });

    it('the float bias is added in fp32 before the single output rounding', () => {
      // search for y = f32(acc*s) and a bias b where fp16(f32(y + b)) differs from fp16(fp16(y) + b)
      const random = mulberry32(7);
      let found: { acc: number; s: number; b: number } | null = null;
      for (let i = 0; i < 100000 && found === null; i++) {
        const acc = 1 + Math.floor(random() * 5000);
        const s = Math.fround(random() / 64);
        const b = f16BitsToF32(f32ToF16Bits(random() * 8));
        const y = Math.fround(acc * s);
        if (f32ToF16Bits(Math.fround(y + b)) !== f32ToF16Bits(Math.fround(f16BitsToF32(f32ToF16Bits(y)) + b))) found = { acc, s, b };
      }
      assert.ok(found, 'the search must find values where the order matters');
      const { acc, s, b } = found;
      const got = impl().epilogue(epilogueArgs('fp16-pertoken', [acc], [1, 1], [s], {
        pertoken: new Float32Array([1]), bias: { dtype: 'float16', data: new Uint16Array([f32ToF16Bits(b)]), shape: [1] }, variant: UNTRUNCATED,
      }));
      assert.equal(got[0], f32ToF16Bits(Math.fround(Math.fround(acc * s) + b)), JSON.stringify(found));
    });

    for (const path of ['fp16-pertoken', 'bf16-vector'] as const) {
      it(`${path}: sequential (acc*s)*pt and fused acc*(pt*s) differ where constructed`, () => {
        const cast = path === 'fp16-pertoken' ? f32ToF16Bits : (x: number) => Number(impl().f32ToBf16(new Float32Array([x]))[0]);
        const random = mulberry32(path === 'fp16-pertoken' ? 11 : 13);
        let found: { acc: number; s: number; pt: number } | null = null;
        for (let i = 0; i < 2000000 && found === null; i++) {
          const acc = 1 + Math.floor(random() * 100000);
          const s = Math.fround(random() / 1000);
          const pt = Math.fround(random());
          const sequential = Math.fround(Math.fround(acc * s) * pt);
          const fused = Math.fround(acc * Math.fround(pt * s));
          if (cast(sequential) !== cast(fused)) found = { acc, s, pt };
        }
        assert.ok(found, 'the search must find values where the pertoken order matters');
        const { acc, s, pt } = found;
        const args = epilogueArgs(path, [acc], [1, 1], [s], { pertoken: new Float32Array([pt]), variant: UNTRUNCATED });
        const sequential = impl().epilogue(args)[0];
        const fused = impl().epilogue({ ...args, variant: { ...UNTRUNCATED, pertokenOrder: 'fused' } })[0];
        assert.equal(sequential, cast(Math.fround(Math.fround(acc * s) * pt)), JSON.stringify(found));
        assert.equal(fused, cast(Math.fround(acc * Math.fround(pt * s))), JSON.stringify(found));
        assert.notEqual(sequential, fused);
      });
    }
  });

  describe('fp16 overflow (§2.9)', () => {
    it('gives inf or +-65504 per variant; a value that rounds below 65520 is finite in both', () => {
      const args = epilogueArgs('fp16-fixpipe', [65520, -65520, 65519, 1 << 30], [1, 4], [1]);
      assert.deepEqual([...impl().epilogue(args)], [0x7c00, 0xfc00, 0x7bff, 0x7c00]);
      const saturated = impl().epilogue({ ...args, variant: { ...PRIMARY, fp16Overflow: 'saturate' } });
      assert.deepEqual([...saturated], [0x7bff, 0xfbff, 0x7bff, 0x7bff]);
    });
  });

  describe('fp19 truncation of fp32 scales (§1, §2.2)', () => {
    it('int8 and fp16 paths use the truncated scale where the variant says so', () => {
      const s = f32FromBits(0x3f801fff); // 1.00097644...: truncates to exactly 1
      const args = epilogueArgs('fp16-fixpipe', [1024], [1, 1], [s]);
      assert.equal(f16BitsToF32(impl().epilogue(args)[0]!), 1024);
      assert.equal(f16BitsToF32(impl().epilogue({ ...args, variant: UNTRUNCATED })[0]!), 1025);
    });
  });
});
