import assert from 'node:assert/strict';
import { mulberry32 } from '../../harness/data/random';
import { sameElements } from '../../harness/data/tensor';

describe('data/tensor: sameElements', () => {
  it('is the element-by-element !== test, for integer arrays compared as bytes and for the rest', () => {
    const r = mulberry32(4);
    for (const Ctor of [Int8Array, Uint8Array, Uint16Array, Int32Array, Float32Array] as const) {
      for (const n of [0, 1, 7, 1000]) {
        const a = new Ctor(n).map(() => Math.floor(r() * 200) - 100);
        assert.equal(sameElements(a, a.slice()), true, `${Ctor.name} ${n}: a copy`);
        // a view at an offset of a larger buffer compares its own elements only
        const big = new Ctor(n + 3);
        big.set(a, 2);
        assert.equal(sameElements(a, big.subarray(2, 2 + n)), true, `${Ctor.name} ${n}: a view`);
        if (n === 0) continue;
        for (const at of [0, n - 1, Math.floor(n / 2)]) {
          const b = a.slice();
          b[at] = b[at]! + 1;
          assert.equal(sameElements(a, b), false, `${Ctor.name} ${n}: element ${at} differs`);
        }
        assert.equal(sameElements(a, a.slice(0, n - 1)), false, 'lengths differ');
      }
    }
    // floats keep the value test: NaN is never the same, -0 is the same as 0
    assert.equal(sameElements(Float32Array.of(NaN), Float32Array.of(NaN)), false);
    assert.equal(sameElements(Float32Array.of(-0), Float32Array.of(0)), true);
    // two integer types compare by value, as !== does
    assert.equal(sameElements(Int8Array.of(1, -1), Int32Array.of(1, -1)), true);
    assert.equal(sameElements(Int8Array.of(-1), Uint8Array.of(255)), false);
  });
});
