import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'mocha';
import { loadNativeReference, type IsaName } from '../../harness/reference/native';
import { firstDifference, randomInt8, rng, slowGemm } from './native-fixtures';

const ref = loadNativeReference();
const info = ref.engineInfo();

/** The portable paths this CPU can run: all of them get the same exactness checks. */
const ISAS: IsaName[] = (['avx512vnni', 'avx2', 'scalar'] as const).filter((isa) => {
  try {
    ref.configure({ engine: 'portable', isa });
    return true;
  } catch {
    return false;
  } finally {
    ref.configure({});
  }
});

/** Shapes that cover tiles, tails of every SIMD width, and batch broadcasting. */
const SHAPES: [number[], number[]][] = [
  [[1, 1], [1, 1]], [[3, 17], [5, 17]], [[4, 16], [2, 16]], [[5, 63], [3, 63]], [[9, 65], [7, 65]],
  [[13, 130], [11, 130]], [[2, 4, 33], [4, 1, 7, 33]], [[3, 1, 5, 20], [2, 6, 20]], [[2, 3, 4, 2, 3, 19], [1, 3, 1, 2, 4, 19]],
  [[1, 2, 300], [2, 1, 9, 300]], [[130, 70], [260, 70]], [[64, 4100], [3, 4100]],
  [[23, 2100], [40, 2100]], [[17, 48], [33, 48]], [[2, 9, 1040], [20, 1040]], [[1, 8300], [13, 8300]], [[1, 40], [16, 40]], [[16, 64], [21, 64]],
  // several 72-row chunks of x, two k blocks and a k tail, an edge group of w
  [[160, 1100], [35, 1100]],
];

function checkExact(seed: number, xs: number[], ws: number[], threads?: number): void {
  const next = rng(seed);
  const x = randomInt8(next, xs.reduce((p, d) => p * d, 1));
  const w = randomInt8(next, ws.reduce((p, d) => p * d, 1));
  const want = slowGemm(x, xs, w, ws);
  const got = ref.gemm(x, xs, w, ws, threads);
  const at = firstDifference(got, want.out);
  assert.equal(at, -1, `x1 [${xs}] weight [${ws}]: element ${at} is ${got[at]}, exact ${want.out[at]}`);
}

describe('native reference: gemm is exact', () => {
  after(() => ref.configure({}));

  it('reports the oneDNN probe and the engine it chose', () => {
    assert.equal(typeof info.reason, 'string');
    if (info.onednnLinked) {
      assert.equal(info.probe.ran, true);
      // the engine follows the probe: oneDNN only where exact
      assert.equal(info.engine, info.probe.exact ? 'onednn' : 'portable', info.reason);
      if (!info.probe.exact) assert.match(info.probe.detail, /exact/);
    } else {
      assert.equal(info.engine, 'portable');
    }
  });

  it('links oneDNN whenever libdnnl-dev is installed', () => {
    const headerPresent = fs.existsSync('/usr/include/oneapi/dnnl/dnnl.hpp');
    assert.equal(info.onednnLinked, headerPresent, headerPresent ? 'libdnnl-dev is installed but the addon was built without oneDNN: rebuild it' : 'oneDNN linked without its header?');
  });

  for (const isa of ISAS) {
    describe(`portable engine, ${isa} path`, () => {
      it('matches a plain loop on random shapes with tails and broadcast batches', () => {
        ref.configure({ engine: 'portable', isa });
        SHAPES.forEach(([xs, ws], i) => checkExact(1000 + i, xs, ws));
      });
      it('gives the same result on 1 and 2 threads for a shape that is split', () => {
        ref.configure({ engine: 'portable', isa });
        checkExact(7, [200, 300], [300, 300], 1);
        checkExact(7, [200, 300], [300, 300], 2);
        // 84 six-row panels of x, prepared by several tasks side by side: no task writes into another's
        checkExact(8, [500, 40], [24, 40], 2);
      });
      it('writes every element of an output array handed to it, whatever the array held', () => {
        ref.configure({ engine: 'portable', isa });
        SHAPES.forEach(([xs, ws], i) => {
          const next = rng(2000 + i);
          const x = randomInt8(next, xs.reduce((p, d) => p * d, 1));
          const w = randomInt8(next, ws.reduce((p, d) => p * d, 1));
          const fresh = ref.gemm(x, xs, w, ws);
          for (const garbage of [0, -1, 0x5a5a5a5a]) {
            const out = new Int32Array(fresh.length).fill(garbage);
            assert.equal(ref.gemm(x, xs, w, ws, undefined, out), out, 'returns the array handed in');
            assert.equal(firstDifference(out, fresh), -1, `x1 [${xs}] weight [${ws}] over ${garbage}`);
          }
        });
      });
      it('is exact at the int8 extremes with k = 65535', () => {
        ref.configure({ engine: 'portable', isa });
        const k = 65535;
        const allMin = new Int8Array(2 * k).fill(-128);
        assert.deepEqual([...ref.gemm(allMin, [2, k], allMin.subarray(0, k), [1, k])], [1073725440, 1073725440]);
        const x = new Int8Array(k).fill(127);
        const w = new Int8Array(3 * k).fill(-128);
        assert.deepEqual([...ref.gemm(x, [1, k], w, [3, k])], [-1065336960, -1065336960, -1065336960]);
        // k = 64, x = 127, w = -128: where vpmaddubsw's int16 pairs saturate
        const x64 = new Int8Array(64).fill(127), w64 = new Int8Array(64).fill(-128);
        assert.deepEqual([...ref.gemm(x64, [1, 64], w64, [1, 64])], [-1040384]);
      });
    });
  }

  it('oneDNN forced on data that cannot saturate agrees with the plain loop (wiring check)', function () {
    if (!info.onednnLinked) this.skip();
    ref.configure({ engine: 'onednn' });
    const next = rng(99);
    for (const [xs, ws] of [[[5, 40], [6, 40]], [[2, 3, 17], [1, 4, 17]]] as [number[], number[]][]) {
      const x = randomInt8(next, xs.reduce((p, d) => p * d, 1), -60, 60);
      const w = randomInt8(next, ws.reduce((p, d) => p * d, 1), -60, 60);
      assert.equal(firstDifference(ref.gemm(x, xs, w, ws), slowGemm(x, xs, w, ws).out), -1);
      const out = new Int32Array(xs.slice(0, -1).reduce((p, d) => p * d, 1) * ws[ws.length - 2]!).fill(-7);
      assert.equal(firstDifference(ref.gemm(x, xs, w, ws, undefined, out), slowGemm(x, xs, w, ws).out), -1, 'into an array handed in');
    }
  });

  it('a prepared weight gives the same products as gemm', () => {
    ref.configure({});
    const next = rng(5);
    const w = randomInt8(next, 40 * 33);
    const p = ref.prepare(w, [40, 33]);
    const x = randomInt8(next, 2 * 3 * 33);
    p.packFor(6);
    assert.equal(firstDifference(p.run(x, [2, 3, 33]), slowGemm(x, [2, 3, 33], w, [40, 33]).out), -1);
    assert.equal(p.engine, ref.engineInfo().engine);
  });
});
