import assert from 'node:assert/strict';
import {
  clip, f32Bits, f32FromBits, roundHalfAway, roundHalfEven, roundHalfOdd, truncateFp19,
} from '../../../harness/reference/twin/fp32';

describe('twin/fp32', () => {
  it('reads and writes fp32 bit patterns', () => {
    assert.equal(f32Bits(1), 0x3f800000);
    assert.equal(f32Bits(-2), 0xc0000000);
    assert.equal(f32FromBits(0x3f800001), 1 + 2 ** -23);
    assert.equal(f32FromBits(0x00000001), 2 ** -149);
    assert.ok(Number.isNaN(f32FromBits(0x7fc00000)));
    assert.equal(Object.is(f32FromBits(0x80000000), -0), true);
  });

  it('truncates to fp19 toward zero by masking the low 13 mantissa bits', () => {
    assert.equal(truncateFp19(f32FromBits(0x3f801fff)), 1);
    assert.equal(truncateFp19(f32FromBits(0xbf803fff)), -f32FromBits(0x3f802000));
    assert.equal(truncateFp19(1.0458984375), 1.0458984375); // already fp19
  });

  it('rounds half to even, half to odd and half away from zero', () => {
    const cases: [number, number, number, number][] = [
      // x, even, odd, away
      [0.5, 0, 1, 1], [1.5, 2, 1, 2], [2.5, 2, 3, 3], [-0.5, 0, -1, -1], [-1.5, -2, -1, -2], [-2.5, -2, -3, -3],
      [2.4999999, 2, 2, 2], [2.5000001, 3, 3, 3], [-2.5000001, -3, -3, -3], [7, 7, 7, 7], [255.5, 256, 255, 256],
    ];
    for (const [x, even, odd, away] of cases) {
      assert.equal(roundHalfEven(x), even, `even ${x}`);
      assert.equal(roundHalfOdd(x), odd, `odd ${x}`);
      assert.equal(roundHalfAway(x), away, `away ${x}`);
    }
    assert.equal(roundHalfEven(Infinity), Infinity);
    assert.equal(roundHalfOdd(-Infinity), -Infinity);
    assert.equal(roundHalfEven(2 ** 60 + 2 ** 8), 2 ** 60 + 2 ** 8);
  });

  it('clips', () => {
    assert.equal(clip(300, -256, 255), 255);
    assert.equal(clip(-300, -256, 255), -256);
    assert.equal(clip(3, -256, 255), 3);
  });
});
