import assert from 'node:assert/strict';
import { mulberry32 } from '../../../harness/data/random';
import { f16BitsToF32, f32ToF16, f32ToF16Bits, saturateF16Bits } from '../../../harness/reference/twin/fp16';
import { f32FromBits } from '../../../harness/reference/twin/fp32';

const hex = (h: number): string => `0x${h.toString(16).padStart(4, '0')}`;

describe('twin/fp16', () => {
  it('round-trips every non-NaN fp16 value exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = f16BitsToF32(h);
      if (Number.isNaN(v)) continue;
      assert.equal(f32ToF16Bits(v), h, `fp16 ${hex(h)} = ${v}`);
    }
  });

  it('sends the exact midpoint of two fp16 neighbours to the even one, and others to the nearer', () => {
    // positive finite pairs (h, h+1), the last one (65504, 65536 as if the exponent went on) included
    for (let h = 0; h < 0x7c00; h++) {
      const lo = f16BitsToF32(h);
      const hi = h === 0x7bff ? 65536 : f16BitsToF32(h + 1);
      const mid = (lo + hi) / 2; // exact in fp32: one more bit than fp16
      const above = h + 1 === 0x7c00 ? 0x7c00 : h + 1;
      assert.equal(f32ToF16Bits(mid), h % 2 === 0 ? h : above, `midpoint above ${hex(h)}`);
      assert.equal(f32ToF16Bits(-mid), 0x8000 | (h % 2 === 0 ? h : above), `negative midpoint above ${hex(h)}`);
      const justBelow = Math.fround(mid - Math.abs(mid) * 2 ** -23);
      const justAbove = Math.fround(mid + Math.abs(mid) * 2 ** -23);
      if (justBelow > lo) assert.equal(f32ToF16Bits(justBelow), h, `just below midpoint of ${hex(h)}`);
      if (justAbove < hi) assert.equal(f32ToF16Bits(justAbove), above, `just above midpoint of ${hex(h)}`);
    }
  });

  it('picks the nearer neighbour for random fp32 values (an oracle independent of the implementation)', () => {
    const random = mulberry32(16);
    for (let i = 0; i < 20000; i++) {
      // fp32 values between 2^-26 and 2^17, both signs
      const x = Math.fround((random() < 0.5 ? -1 : 1) * 2 ** (random() * 43 - 26));
      const h = f32ToF16Bits(x);
      const got = f16BitsToF32(h);
      const a = Math.abs(x);
      if (a >= 65520) { assert.equal(h & 0x7fff, 0x7c00, `${x} overflows`); continue; }
      const err = Math.abs(Math.abs(got) - a);
      for (const neighbour of [(h & 0x7fff) - 1, (h & 0x7fff) + 1]) {
        if (neighbour < 0 || neighbour >= 0x7c00) continue;
        assert.ok(err <= Math.abs(f16BitsToF32(neighbour) - a), `${x}: ${hex(h)} is not the nearest`);
      }
      assert.equal((h & 0x8000) !== 0, x < 0, `${x}: sign of ${hex(h)}`);
    }
  });

  it('keeps signed zero, inf and NaN', () => {
    assert.equal(f32ToF16Bits(0), 0);
    assert.equal(f32ToF16Bits(-0), 0x8000);
    assert.equal(f32ToF16Bits(Infinity), 0x7c00);
    assert.equal(f32ToF16Bits(-Infinity), 0xfc00);
    const nan = f32ToF16Bits(f32FromBits(0xffc00000));
    assert.equal(nan & 0xfc00, 0xfc00);
    assert.notEqual(nan & 0x3ff, 0);
    assert.ok(Number.isNaN(f16BitsToF32(nan)));
  });

  it('saturates only infinities to +-65504', () => {
    assert.equal(saturateF16Bits(0x7c00), 0x7bff);
    assert.equal(saturateF16Bits(0xfc00), 0xfbff);
    assert.equal(saturateF16Bits(0x7bff), 0x7bff);
    assert.equal(saturateF16Bits(0x7e00), 0x7e00);
  });

  it('converts arrays elementwise', () => {
    assert.deepEqual([...f32ToF16(new Float32Array([1, -2, 65520]))], [0x3c00, 0xc000, 0x7c00]);
  });
});
