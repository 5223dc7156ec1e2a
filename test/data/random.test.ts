import assert from 'node:assert/strict';
import { hashSeed, mulberry32, pick, randomInt } from '../../harness/data/random';

describe('data/random', () => {
  it('hashSeed is FNV-1a 32-bit of "seed:id" over UTF-8 bytes', () => {
    // expected values computed independently (a few lines of Python over str.encode())
    assert.equal(hashSeed(42, 'case-a'), 0xcc75a89d);
    assert.equal(hashSeed(0, ''), 0x17ed628f);
    assert.equal(hashSeed(7, 'é'), 0x6c65ede4);
  });

  it('mulberry32 is deterministic per seed, in [0, 1), and seeds differ', () => {
    const a = mulberry32(1), b = mulberry32(1), c = mulberry32(2);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(Array.from({ length: 1000 }, () => b()), xs);
    assert.notDeepEqual(Array.from({ length: 1000 }, () => c()), xs);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  });

  it('randomInt covers both ends of its range; pick rejects an empty list', () => {
    const random = mulberry32(3);
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, -2, 2)));
    assert.deepEqual([...seen].sort((x, y) => x - y), [-2, -1, 0, 1, 2]);
    assert.throws(() => pick(random, []), RangeError);
  });
});
