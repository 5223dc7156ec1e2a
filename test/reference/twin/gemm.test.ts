import assert from 'node:assert/strict';
import { batchIndexMap, broadcastShapes, stridesOf } from '../../../harness/reference/twin/broadcast';
import { gemm, gemmOutShape } from '../../../harness/reference/twin/gemm';

describe('twin/broadcast', () => {
  it('broadcasts right-aligned batch dims numpy-style', () => {
    assert.deepEqual(broadcastShapes([2, 1], [3]), [2, 3]);
    assert.deepEqual(broadcastShapes([], [4, 5]), [4, 5]);
    assert.equal(broadcastShapes([2], [3]), null);
    assert.deepEqual(stridesOf([2, 3, 4]), [12, 4, 1]);
    assert.deepEqual(batchIndexMap([2, 1], [2, 3]), [0, 0, 0, 1, 1, 1]);
    assert.deepEqual(batchIndexMap([3], [2, 3]), [0, 1, 2, 0, 1, 2]);
  });
});

describe('twin/gemm', () => {
  it('multiplies x1 (m, k) by weight (n, k) transposed', () => {
    // x1 = [[1, 2], [3, 4]], weight = [[1, 0], [1, -1], [2, 2]] -> [[1, -1, 6], [3, -1, 14]]
    const acc = gemm(new Int8Array([1, 2, 3, 4]), [2, 2], new Int8Array([1, 0, 1, -1, 2, 2]), [3, 2]);
    assert.deepEqual([...acc], [1, -1, 6, 3, -1, 14]);
  });

  it('broadcasts batch dims of different ranks', () => {
    // x1 (2, 1, 1, 1) has batch [2, 1], weight (3, 1, 1) has batch [3]: they broadcast to [2, 3]
    const x1 = new Int8Array([1, 2]);
    const weight = new Int8Array([10, 20, 30]);
    assert.deepEqual(gemmOutShape([2, 1, 1, 1], [3, 1, 1]), [2, 3, 1, 1]);
    assert.deepEqual([...gemm(x1, [2, 1, 1, 1], weight, [3, 1, 1])], [10, 20, 30, 20, 40, 60]);
  });

  it('is exact at the extreme k = 65535 with all -128', () => {
    const k = 65535;
    const acc = gemm(new Int8Array(k).fill(-128), [1, k], new Int8Array(2 * k).fill(-128), [2, k]);
    assert.deepEqual([...acc], [k * 16384, k * 16384]);
  });

  it('handles empty dims and rejects bad shapes with RangeError', () => {
    assert.deepEqual([...gemm(new Int8Array(0), [0, 3], new Int8Array(6), [2, 3])], []);
    assert.deepEqual([...gemm(new Int8Array(0), [2, 0], new Int8Array(0), [2, 0])], [0, 0, 0, 0]);
    assert.throws(() => gemm(new Int8Array(6), [2, 3], new Int8Array(4), [2, 2]), /k=3 differs from weight k=2/);
    assert.throws(() => gemm(new Int8Array(5), [2, 3], new Int8Array(6), [2, 3]), /x1 has 5 elements/);
    assert.throws(() => gemm(new Int8Array(6), [6], new Int8Array(6), [2, 3]), /x1 needs 2-6 dims/);
    assert.throws(() => gemm(new Int8Array(6), [2, 3], new Int8Array(6), [-2, -3]), /non-negative/);
    assert.throws(() => gemm(new Int8Array(12), [2, 2, 3], new Int8Array(18), [3, 2, 3]), /do not broadcast/);
  });
});
