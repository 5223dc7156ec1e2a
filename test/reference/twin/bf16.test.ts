import assert from 'node:assert/strict';
import { bf16BitsToF32, f32ToBf16, f32ToBf16Bits } from '../../../harness/reference/twin/bf16';
import { f32Bits, f32FromBits } from '../../../harness/reference/twin/fp32';

const hex = (h: number): string => `0x${h.toString(16).padStart(4, '0')}`;

describe('twin/bf16', () => {
  it('round-trips every non-NaN bf16 value exactly, subnormals included', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = bf16BitsToF32(h);
      if (Number.isNaN(v)) continue;
      assert.equal(f32ToBf16Bits(v), h, `bf16 ${hex(h)}`);
    }
  });

  it('sends midpoints to the even neighbour and neighbours of midpoints to the nearer', () => {
    for (let h = 0; h < 0x7f80; h++) {
      const midBits = ((h << 16) | 0x8000) >>> 0; // exactly half way to h+1
      const up = h + 1;
      assert.equal(f32ToBf16Bits(f32FromBits(midBits)), h % 2 === 0 ? h : up, `midpoint above ${hex(h)}`);
      assert.equal(f32ToBf16Bits(f32FromBits(midBits - 1)), h, `below midpoint above ${hex(h)}`);
      assert.equal(f32ToBf16Bits(f32FromBits(midBits + 1)), up, `above midpoint above ${hex(h)}`);
      assert.equal(f32ToBf16Bits(f32FromBits((midBits | 0x80000000) >>> 0)), 0x8000 | (h % 2 === 0 ? h : up));
    }
  });

  it('rounds past the largest finite value to inf, and keeps NaN a NaN', () => {
    assert.equal(f32ToBf16Bits(f32FromBits(0x7f7fffff)), 0x7f80);
    assert.equal(f32ToBf16Bits(f32FromBits(0xff7fffff)), 0xff80);
    for (const bits of [0x7f800001, 0x7fffffff, 0xff800001, 0x7fc00000]) {
      const h = f32ToBf16Bits(f32FromBits(bits));
      assert.ok(Number.isNaN(bf16BitsToF32(h)), `NaN ${bits.toString(16)} -> ${hex(h)}`);
    }
  });

  it('widens exactly', () => {
    assert.equal(f32Bits(bf16BitsToF32(0x3f81)), 0x3f810000);
    assert.deepEqual([...f32ToBf16(new Float32Array([1, -1]))], [0x3f80, 0xbf80]);
  });
});
