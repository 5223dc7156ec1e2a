/**
 * GemmEpilogue (GEMM + epilogue in one native call, the epilogue run on each output block as soon as it
 * is complete) must give exactly what gemm() then epilogue() give, on every path, engine and SIMD path,
 * with blocks split over threads, broadcast batches, per-batch biases and per-token scales.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import type { BiasArg, EpilogueVariant } from '../../harness/reference/impl';
import { loadNativeReference, type EpilogueParams, type IsaName } from '../../harness/reference/native';
import type { PathId } from '../../harness/reference/types';
import { firstDifference, randomInt8, rng } from './native-fixtures';

const ref = loadNativeReference();
const info = ref.engineInfo();
const ISAS: IsaName[] = info.bestIsa === 'avx512vnni' ? ['scalar', 'avx2', 'avx512vnni'] : info.bestIsa === 'avx2' ? ['scalar', 'avx2'] : ['scalar'];
const PATHS: PathId[] = ['int8-requant', 'fp16-fixpipe', 'fp16-float-bias', 'bf16-vector', 'fp16-pertoken', 'int32-acc'];
const variant: EpilogueVariant = { scaleFp19: true, pertokenOrder: 'sequential', fp16Overflow: 'inf', int8Tie: 'even', int8Clamp9: true };

/** Parameters valid for `path` on an output (batches, m, n); scales small enough that int8 outputs vary. */
function params(next: () => number, path: PathId, batches: number, m: number, n: number): EpilogueParams {
  const scale = new Float32Array(n).map(() => (1 + (next() % 1000)) / 2 ** 20 * (next() % 2 ? 1 : -1));
  const biasShape = batches > 1 && next() % 2 === 0 ? [batches, 1, n] : [n];
  const blen = biasShape.reduce((a, b) => a * b, 1);
  let bias: BiasArg | null = null;
  if (path === 'int8-requant' || path === 'int32-acc' || path === 'fp16-fixpipe') bias = { dtype: 'int32', data: new Int32Array(blen).map(() => (next() % 20001) - 10000), shape: biasShape };
  if (path === 'fp16-float-bias' || path === 'bf16-vector') bias = { dtype: 'float32', data: new Float32Array(blen).map(() => ((next() % 2001) - 1000) / 7), shape: biasShape };
  return {
    path, scale: { dtype: 'float32', data: scale }, bias, variant,
    offset: path === 'int8-requant' ? new Float32Array(n).map(() => (next() % 21) - 10) : null,
    pertoken: path === 'fp16-pertoken' || path === 'bf16-vector' ? new Float32Array(m).map(() => (1 + (next() % 100)) / 64) : null,
  };
}


/** Parameters for the output of x1 (xs) · weight (ws)ᵀ. */
function paramsFor(next: () => number, path: PathId, xs: number[], ws: number[]): EpilogueParams {
  const m = xs[xs.length - 2]!, n = ws[ws.length - 2]!;
  // a (batch, 1, n) bias is for 3-D outputs only
  const batches = Math.max(xs.length, ws.length) === 3 ? Math.max(xs.length > 2 ? xs[0]! : 1, ws.length > 2 ? ws[0]! : 1) : 1;
  return params(next, path, batches, m, n);
}

function agree(label: string, xs: number[], ws: number[], seed: number, threads: number, lo = -128, hi = 127): void {
  const next = rng(seed);
  const x = randomInt8(next, xs.reduce((a, b) => a * b, 1), lo, hi);
  const w = randomInt8(next, ws.reduce((a, b) => a * b, 1), lo, hi);
  for (const path of PATHS) {
    const p = paramsFor(next, path, xs, ws);
    const fused = ref.gemmEpilogue(xs, ws, p);
    const want = ref.epilogue({ ...p, acc: ref.gemm(x, xs, w, ws, threads), outShape: fused.outShape });
    const out = fused.newOutput();
    assert.equal(fused.run(x, w, out, threads), out, 'run returns the output it was given');
    const diff = firstDifference(out, want);
    assert.equal(diff, -1, `${label} ${path} [${xs}]x[${ws}] on ${threads} thread(s): ${diff}`);
    assert.deepEqual(fused.run(x, w, out, threads), want, 'a second call on the same output gives the same');
  }
}

describe('native reference: GEMM and epilogue in one call', () => {
  after(() => ref.configure({}));

  for (const isa of ISAS) {
    it(`${isa}: equals gemm then epilogue, small and split shapes, 1 and 2 threads`, () => {
      ref.configure({ engine: 'portable', isa });
      agree(isa, [1, 512], [128, 512], 1, 1);
      agree(isa, [5, 37], [19, 37], 2, 1);
      agree(isa, [2, 3, 17, 40], [1, 29, 40], 3, 2);       // batches against one weight: one product
      agree(isa, [4, 17, 40], [29, 40], 9, 2);
      agree(isa, [3, 6, 24], [3, 11, 24], 4, 2);           // a weight per batch: per-batch products
      agree(isa, [41, 300], [300, 300], 5, 2);             // several column blocks, split over threads
    });
  }

  it('oneDNN forced (values that cannot saturate): the epilogue runs after it, on the pool', function () {
    if (!info.onednnLinked) this.skip();
    ref.configure({ engine: 'onednn' });
    agree('onednn', [40, 512], [96, 512], 6, 2, -7, 7);
    agree('onednn', [2, 20, 256], [70, 256], 7, 1, -7, 7);
  });

  it('runMany equals one run per case, and checks its lengths', () => {
    ref.configure({});
    const next = rng(8);
    const xs = [3, 64], ws = [16, 64], cases = 5;
    const x = randomInt8(next, cases * 3 * 64), w = randomInt8(next, cases * 16 * 64);
    const fused = ref.gemmEpilogue(xs, ws, paramsFor(next, 'fp16-pertoken', xs, ws));
    const all = fused.runMany(x, w, cases);
    for (let c = 0; c < cases; c++) {
      const one = fused.run(x.subarray(c * 192, (c + 1) * 192), w.subarray(c * 1024, (c + 1) * 1024));
      assert.deepEqual(all.subarray(c * 48, (c + 1) * 48), one, `case ${c}`);
    }
    assert.throws(() => fused.runMany(x, w, cases + 1), RangeError);
    assert.throws(() => fused.run(x.subarray(0, 191), w.subarray(0, 1024)), RangeError);
    assert.throws(() => fused.run(x.subarray(0, 192), w.subarray(0, 1024), new Int8Array(48)), TypeError);
    assert.throws(() => ref.gemmEpilogue([3, 64], [16, 63], paramsFor(next, 'int8-requant', xs, ws)), RangeError);
  });
});
