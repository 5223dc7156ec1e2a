/**
 * oneDNN fixes a primitive's parallel split when it is created: the addon must create each primitive
 * under the thread count it runs with and cache one per count. These tests drive the oneDNN code directly
 * (onednnGemm, or the engine forced with configure), so they run on hosts where its exactness probe fails
 * too; the values are small enough (|x|, |w| <= 7) to be exact on every oneDNN kernel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { loadNativeReference, type OnednnPrimitive } from '../../harness/reference/native';
import { randomInt8, rng, slowGemm } from './native-fixtures';

const ref = loadNativeReference();
const info = ref.engineInfo();

function entries(m: number, n: number, k: number, layout: OnednnPrimitive['layout']): OnednnPrimitive[] {
  return ref.onednnPrimitives().filter((p) => p.m === m && p.n === n && p.k === k && p.layout === layout)
    .sort((a, b) => a.threads - b.threads);
}

describe('native reference: oneDNN primitives and thread counts', function () {
  // two threads need a pool of two; on a one-CPU host every request is clamped to one
  const two = Math.min(2, info.threads);
  before(function () {
    if (!info.onednnLinked) this.skip();
  });
  after(() => {
    ref.configure({});
  });

  it('creates one primitive per thread count, each recording the count it was created under', () => {
    const m = 3, n = 5, k = 40;
    const next = rng(71);
    const x = randomInt8(next, m * k, -7, 7), w = randomInt8(next, n * k, -7, 7);
    const want = slowGemm(x, [m, k], w, [n, k]).out;
    assert.deepEqual(entries(m, n, k, 'plain'), []);
    assert.deepEqual(ref.addon.onednnGemm(x, w, m, n, k, 1), want);
    assert.deepEqual(entries(m, n, k, 'plain').map((p) => p.threads), [1]);
    assert.deepEqual(ref.addon.onednnGemm(x, w, m, n, k, 2), want);
    assert.deepEqual(entries(m, n, k, 'plain').map((p) => p.threads), two === 2 ? [1, 2] : [1]);
    // a repeated call reuses its entry
    ref.addon.onednnGemm(x, w, m, n, k, 2);
    assert.equal(entries(m, n, k, 'plain').length, two === 2 ? 2 : 1);
  });

  it('the engine forced to oneDNN runs gemm and prepared weights under the requested count', () => {
    ref.configure({ engine: 'onednn' });
    const m = 4, n = 64, k = 512;  // above the size that always runs on the portable engine
    const next = rng(72);
    const x = randomInt8(next, m * k, -7, 7), w = randomInt8(next, n * k, -7, 7);
    const want = slowGemm(x, [m, k], w, [n, k]).out;
    assert.deepEqual(ref.gemm(x, [m, k], w, [n, k], two), want);
    assert.deepEqual(entries(m, n, k, 'plain').map((p) => p.threads), [two]);
    const prepared = ref.prepare(w, [n, k]);
    assert.equal(prepared.engine, 'onednn');
    prepared.packFor(m, 1);
    assert.deepEqual(prepared.run(x, [m, k], 1), want);
    assert.deepEqual(prepared.run(x, [m, k], two), want);
    assert.deepEqual(entries(m, n, k, 'any').map((p) => p.threads), two === 2 ? [1, 2] : [1]);
  });
});
