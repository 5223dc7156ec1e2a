import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Int4Packing } from '../../harness/data/tensor';
import {
  INT4_LAST_DIM, logicalShape, nibble, packInt4, packedTensor, storageShape, unpackedTensor, unpackInt4,
} from '../../harness/reference/int4';

const DIM2: Int4Packing = { kind: 'int4', perStorage: 8, dim: -2 };

describe('reference/int4', () => {
  it('reads value i from bits 4i..4i+3, lowest nibble first, as a signed nibble', () => {
    // 0x87654321: nibbles from the bottom are 1, 2, 3, 4, 5, 6, 7, 8 -> 8 is -8
    const word = 0x87654321 | 0;
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => nibble(word, i)), [1, 2, 3, 4, 5, 6, 7, -8]);
    // 0xF...F: every nibble is -1; 0x9 is -7
    assert.deepEqual([0, 7].map((i) => nibble(-1, i)), [-1, -1]);
    assert.equal(nibble(0x90000000 | 0, 7), -7);
    const { data, shape } = unpackInt4(new Int32Array([0x87654321 | 0]), [1, 1], INT4_LAST_DIM);
    assert.deepEqual(shape, [1, 8]);
    assert.deepEqual([...data], [1, 2, 3, 4, 5, 6, 7, -8]);
  });

  it('packs by hand as the golden does: a | b<<4 | ...', () => {
    const values = Int8Array.from([-8, 7, 0, -1, 1, -2, 3, -4]);
    const expected = values.reduce((w, v, i) => w | ((v & 0xf) << (4 * i)), 0);
    assert.deepEqual([...packInt4(values, [1, 8], INT4_LAST_DIM).data], [expected]);
  });

  it('dim -2 packs the first logical dim: logical (n, k) is stored as (k, n/8), the op\'s contiguous x2', () => {
    // logical weight (n=8, k=2): element (j, p) = j - 4 for p = 0, 3 - j for p = 1
    const n = 8;
    const logical = Int8Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? (i >> 1) - 4 : 3 - (i >> 1)));
    const packed = packInt4(logical, [n, 2], DIM2);
    assert.deepEqual(packed.shape, [2, 1]);
    // storage row p holds column p of the logical tensor, n packed in its word
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((j) => nibble(packed.data[0]!, j)), [-4, -3, -2, -1, 0, 1, 2, 3]);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((j) => nibble(packed.data[1]!, j)), [3, 2, 1, 0, -1, -2, -3, -4]);
    assert.deepEqual(unpackInt4(packed.data, packed.shape, DIM2), { data: logical, shape: [n, 2] });
  });

  it('round-trips every nibble value over shapes with the packed dim at and around multiples of 8', () => {
    const shapes = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));
    fc.assert(fc.property(shapes, fc.constantFrom(INT4_LAST_DIM, DIM2), fc.integer(), (
      [batch, rows, words], packing, seed,
    ) => {
      const logical = packing.dim === -1 ? [batch, rows, words * 8] : [words * 8, rows];
      const count = logical.reduce((p, d) => p * d, 1);
      // every value of [-8, 7] appears, in a seed-dependent order
      const values = Int8Array.from({ length: count }, (_, i) => ((i * 7 + seed) & 15) - 8);
      const packed = packInt4(values, logical, packing);
      assert.deepEqual(packed.shape, storageShape(logical, packing));
      assert.deepEqual(logicalShape(packed.shape, packing), logical);
      const back = unpackInt4(packed.data, packed.shape, packing);
      assert.deepEqual(back.shape, logical);
      assert.deepEqual(back.data, values);
      // and storage -> values -> storage: any int32 word is some eight nibbles
      const words32 = Int32Array.from({ length: packed.data.length }, (_, i) => Math.imul(i + 1, 0x9e3779b1 ^ seed));
      const unpacked = unpackInt4(words32, packed.shape, packing);
      assert.deepEqual(packInt4(unpacked.data, unpacked.shape, packing).data, words32);
    }), { seed: 20261207, numRuns: 200 });
  });

  it('refuses a packed dim that is not a multiple of 8 (k or n around 8), and values outside int4', () => {
    for (const k of [7, 9, 15, 17]) {
      assert.throws(() => packInt4(new Int8Array(k), [1, k], INT4_LAST_DIM), /not a multiple of 8/);
      assert.throws(() => packInt4(new Int8Array(k * 2), [k, 2], DIM2), /not a multiple of 8/);
    }
    assert.throws(() => packInt4(Int8Array.from([8, 0, 0, 0, 0, 0, 0, 0]), [1, 8], INT4_LAST_DIM), /value 8 at index 0 is outside int4/);
    assert.throws(() => packInt4(Int8Array.from([0, 0, -9, 0, 0, 0, 0, 0]), [8], INT4_LAST_DIM), /value -9 at index 2/);
    assert.throws(() => unpackInt4(new Int32Array(3), [2, 2], INT4_LAST_DIM), /needs 4 words, got 3/);
    assert.throws(() => unpackInt4(new Int32Array(8), [2, 2, 2], DIM2), /needs a 2-D tensor/);
    assert.throws(() => unpackInt4(new Int32Array(1), [1], { kind: 'int4', perStorage: 4 } as never), /packing must be/);
  });

  it('converts tensors: int8 of int4 values <-> int32 with the packing marker', () => {
    const t = { dtype: 'int8' as const, shape: [2, 16], data: Int8Array.from({ length: 32 }, (_, i) => (i % 16) - 8) };
    const p = packedTensor(t);
    assert.equal(p.dtype, 'int32');
    assert.deepEqual(p.shape, [2, 2]);
    assert.deepEqual(p.packing, INT4_LAST_DIM);
    assert.deepEqual(unpackedTensor(p), t);
    assert.equal(unpackedTensor(t), t); // not packed: unchanged
    assert.throws(() => packedTensor(p), /needs an int8 tensor/);
  });
});
