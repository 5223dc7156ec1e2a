/**
 * The arrays a run keeps between cases: the pool's own rules, and the reference computed into arrays
 * full of an earlier case's values (or of garbage) giving exactly what it gives into new ones.
 */
import assert from 'node:assert/strict';
import { generateInputs } from '../../harness/data/generate';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import { getReferenceImpl } from '../../harness/reference';
import { ArrayPool, CaseArrays } from '../../harness/reference/pool';
import { computeReference } from '../../harness/reference/reference';
import type { ReferenceOptions } from '../../harness/reference/types';
import type { Spec } from '../../harness/spec/types';
import { allSpecs } from '../helpers/spec';

describe('reference/pool: ArrayPool', () => {
  it('gives back the array last given of the same type and length, and a new one otherwise', () => {
    const pool = new ArrayPool();
    const a = pool.take(Int32Array, 10);
    a.fill(7);
    pool.give(a);
    assert.notEqual(pool.take(Float64Array, 10), a, 'another type');
    assert.notEqual(pool.take(Int32Array, 11), a, 'another length');
    const again = pool.take(Int32Array, 10);
    assert.equal(again, a);
    assert.deepEqual([...again], new Array(10).fill(7), 'unscribbled: as it was given back');
    assert.notEqual(pool.take(Int32Array, 10), a, 'taken once, not twice');
    assert.deepEqual(pool.stats(), { taken: 5, reused: 1, freeBytes: 0 });
  });

  it('keeps at most its limit of free bytes, dropping the oldest, and never an array larger than the limit', () => {
    const pool = new ArrayPool({ limitBytes: 100 });
    const [a, b, c] = [new Int8Array(40), new Int8Array(40), new Int8Array(40)];
    pool.give(a);
    pool.give(b);
    pool.give(c); // 120 bytes: a goes
    assert.equal(pool.stats().freeBytes, 80);
    assert.equal(pool.take(Int8Array, 40), c);
    assert.equal(pool.take(Int8Array, 40), b);
    assert.notEqual(pool.take(Int8Array, 40), a);
    pool.give(new Float64Array(13));
    assert.equal(pool.stats().freeBytes, 0, '104 bytes is over the limit');
  });

  it('ignores an array given back twice', () => {
    const pool = new ArrayPool();
    const a = new Uint16Array(4);
    pool.give(a);
    pool.give(a);
    assert.equal(pool.take(Uint16Array, 4), a);
    assert.notEqual(pool.take(Uint16Array, 4), a);
  });

  it('scribbles over what it is given when asked to', () => {
    const pool = new ArrayPool({ scribble: 0xa5 });
    const a = new Int32Array([1, 2, 3]);
    pool.give(a);
    assert.deepEqual([...pool.take(Int32Array, 3)], [0xa5a5a5a5 | 0, 0xa5a5a5a5 | 0, 0xa5a5a5a5 | 0]);
  });

  it('CaseArrays gives back everything a case took, at once', () => {
    const pool = new ArrayPool();
    const arrays = new CaseArrays(pool);
    const a = arrays.take(Int8Array, 8), b = arrays.take(Float64Array, 8);
    assert.equal(pool.stats().freeBytes, 0);
    arrays.release();
    assert.equal(pool.stats().freeBytes, 8 + 64);
    arrays.release();
    assert.equal(pool.stats().freeBytes, 8 + 64, 'a second release gives nothing twice');
    assert.equal(pool.take(Float64Array, 8), b);
    assert.equal(pool.take(Int8Array, 8), a);
  });

  it('CaseArrays gives one array back early, and only one it took', () => {
    const pool = new ArrayPool();
    const arrays = new CaseArrays(pool);
    const a = arrays.take(Int32Array, 4), b = arrays.take(Int32Array, 4);
    arrays.give(a);
    arrays.give(new Int32Array(4)); // not taken here: ignored
    assert.equal(pool.stats().freeBytes, 16);
    arrays.release();
    assert.equal(pool.stats().freeBytes, 32, 'a is not given twice');
    assert.equal(pool.take(Int32Array, 4), b);
    assert.equal(pool.take(Int32Array, 4), a);
  });
});

const OPTIONS: ReferenceOptions = { fp16Overflow: 'either', bf16ScaleTruncation: 'either' };

/** Smoke cases with values to judge from every spec: each path, several of each shape. */
function casesWithValues(): { spec: Spec; c: Case }[] {
  const out: { spec: Spec; c: Case }[] = [];
  for (const spec of allSpecs()) {
    for (const c of expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] })) {
      const elements = c.shapes.x1.reduce((a, b) => a * b, 1) + c.shapes.weight.reduce((a, b) => a * b, 1);
      if (c.expect === 'accept' && c.path !== null && elements < 200_000) out.push({ spec, c });
    }
  }
  return out;
}

for (const name of ['native', 'twin'] as const) {
  describe(`reference/pool: computing into kept arrays [${name}]`, function () {
    this.timeout(120_000);

    it('gives every case the same answer as new arrays do, bit for bit, with the arrays of earlier cases scribbled over', () => {
      const impl = getReferenceImpl(name);
      const all = casesWithValues();
      // the twin is slow: a stride through the cases, still every path
      const cases = name === 'twin' ? all.filter((_, i) => i % 7 === 0) : all;
      const paths = new Set(cases.map(({ c }) => c.path));
      assert.ok(paths.size >= 6, `cases reach the paths: ${[...paths].join(', ')}`);
      for (const scribble of [0xa5, 0x00, 0xff]) {
        const pool = new ArrayPool({ scribble });
        // twice through: the second pass reuses the arrays of its own shapes
        for (const pass of [1, 2]) {
          for (const { spec, c } of cases) {
            const inputs = generateInputs(spec, c);
            const rc = { ...c, groupSizes: c.call.groupSizes };
            let fresh;
            try {
              fresh = computeReference(rc, inputs, OPTIONS, impl);
            } catch {
              continue; // no answer is defined for the case (dtypes no path computes)
            }
            const arrays = new CaseArrays(pool);
            const kept = computeReference(rc, inputs, OPTIONS, impl, arrays);
            assert.deepStrictEqual(kept, fresh, `${c.id} (pass ${pass}, scribble ${scribble})`);
            arrays.release();
          }
        }
        const { taken, reused } = pool.stats();
        assert.ok(reused > taken / 3, `arrays were reused (${reused} of ${taken})`);
      }
    });
  });
}
