import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import type { BiasArg, EpilogueArgs, EpilogueVariant, ScaleArg } from '../../harness/reference/impl';
import { loadNativeReference } from '../../harness/reference/native';
import type { PathId } from '../../harness/reference/types';
import { firstDifference, rng } from './native-fixtures';

const ref = loadNativeReference();
const simd = ref.engineInfo().bestIsa !== 'scalar';

const PATHS: PathId[] = ['int8-requant', 'fp16-fixpipe', 'fp16-float-bias', 'bf16-vector', 'fp16-pertoken', 'int32-acc'];
const VARIANTS: EpilogueVariant[] = [
  { scaleFp19: true, pertokenOrder: 'sequential', fp16Overflow: 'inf', int8Tie: 'even', int8Clamp9: true },
  { scaleFp19: false, pertokenOrder: 'fused', fp16Overflow: 'saturate', int8Tie: 'odd', int8Clamp9: false },
  { scaleFp19: true, pertokenOrder: 'fused', fp16Overflow: 'saturate', int8Tie: 'even', int8Clamp9: false },
];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bitsToF32(bits: number): number { u32[0] = bits; return f32[0]!; }

/** Random epilogue inputs that reach ties, overflow, subnormals and both signs. */
function randomArgs(seed: number, path: PathId, variant: EpilogueVariant): EpilogueArgs {
  const next = rng(seed);
  // n up to 76: the int8 rows run 32 columns at a time, then 8, then the scalar tail
  const batches = 1 + (next() % 3), m = 1 + (next() % 5), n = 1 + (next() % 77);
  const count = batches * m * n;
  const acc = new Int32Array(count);
  for (let i = 0; i < count; i++) acc[i] = (next() % 3 === 0) ? (next() % 2001) - 1000 : (next() | 0) >> (next() % 31);
  const scaleKind = next() % 3;
  const len = next() % 2 === 0 ? 1 : n;
  const scaleValues = new Float32Array(len).map(() => bitsToF32(((next() % 40) + 100) << 23 | (next() & 0x7fffff)) * (next() % 2 ? 1 : -1));
  let scale: ScaleArg = { dtype: 'float32', data: scaleValues };
  if (scaleKind === 1) scale = { dtype: 'bfloat16', data: new Uint16Array(len).map(() => next() >>> 16 & 0x7f7f) };
  if (scaleKind === 2) scale = { dtype: 'int64', data: ref.transQuantParam(scaleValues, new Float32Array(len).map(() => (next() % 700) / 2 - 175), 0) };
  const biasKind = next() % 5;
  const biasShape = next() % 2 === 0 ? [n] : [next() % 2 === 0 ? 1 : batches, 1, n];
  const blen = biasShape.reduce((p, d) => p * d, 1);
  const biases: (BiasArg | null)[] = [
    null,
    { dtype: 'int32', data: new Int32Array(blen).map(() => (next() % 20001) - 10000), shape: biasShape },
    { dtype: 'float32', data: new Float32Array(blen).map(() => ((next() % 20001) - 10000) / 7), shape: biasShape },
    { dtype: 'float16', data: new Uint16Array(blen).map(() => next() & 0xfbff), shape: biasShape },
    { dtype: 'bfloat16', data: new Uint16Array(blen).map(() => next() & 0xff7f), shape: biasShape },
  ];
  const bias = biases[biasKind]!;
  return {
    path, acc, outShape: bias !== null && bias.shape.length === 3 ? [batches, m, n] : (batches === 1 ? [m, n] : [batches, m, n]),
    scale, offset: next() % 2 === 0 ? null : new Float32Array(next() % 2 ? 1 : n).map(() => (next() % 1100) / 2 - 275),
    bias: bias !== null && bias.shape.length === 3 && batches === 1 ? { ...bias, shape: [n], data: bias.data.subarray(0, n) } as BiasArg : bias,
    // now and then an infinite or NaN pertoken scale: NaN outputs (0 on the int8 path) and infinities
    pertoken: next() % 2 === 0 ? null : new Float32Array(m).map(() => next() % 8 === 0 ? [Infinity, -Infinity, NaN][next() % 3]! : bitsToF32(((next() % 30) + 110) << 23 | (next() & 0x7fffff))),
    variant,
  };
}

describe('native reference: the epilogue', () => {
  after(() => ref.configure({}));

  it('decodes the op doc\'s packed examples (docs/semantics.md §2.3): 0x40203F85E000 and 0x7FC03E326000', () => {
    const acc = new Int32Array([1000, 1000]);
    const base = { path: 'int8-requant' as const, acc, outShape: [1, 2], offset: new Float32Array([50, 50]), bias: null, pertoken: null, variant: VARIANTS[0]! };
    const ideal = ref.ideal({ ...base, scale: { dtype: 'int64', data: new BigInt64Array([0x40203f85e000n, 0x7fc03e326000n]) } });
    // scale 1.0458984375 and 0.17419434 (fp19), offsets +1 and -2; the separate offset array is ignored
    assert.equal(ideal[0], 1000 * 1.0458984375 + 1);
    assert.ok(Math.abs(ideal[1]! - (1000 * 0.17419434 - 2)) < 1e-3, String(ideal[1]));
  });

  it('adds an int32 bias before the scale and a float bias after it', () => {
    const common = { path: 'bf16-vector' as const, acc: new Int32Array([3]), outShape: [1, 1], offset: null, pertoken: null, variant: VARIANTS[0]! };
    const scale: ScaleArg = { dtype: 'float32', data: new Float32Array([0.5]) };
    const i32 = ref.ideal({ ...common, scale, bias: { dtype: 'int32', data: new Int32Array([1]), shape: [1] } });
    const flt = ref.ideal({ ...common, scale, bias: { dtype: 'float32', data: new Float32Array([1]), shape: [1] } });
    assert.deepEqual([i32[0], flt[0]], [(3 + 1) * 0.5, 3 * 0.5 + 1]);
  });

  it('rounds an exact int8 tie to even, or to odd in the docs/semantics.md §2.8 variant', () => {
    const a = { path: 'int8-requant' as const, acc: new Int32Array([5, 7, -5]), outShape: [1, 3], scale: { dtype: 'float32' as const, data: new Float32Array([0.5]) }, offset: null, bias: null, pertoken: null };
    assert.deepEqual([...ref.epilogue({ ...a, variant: VARIANTS[0]! })], [2, 4, -2]);
    assert.deepEqual([...ref.epilogue({ ...a, variant: { ...VARIANTS[0]!, int8Tie: 'odd' } })], [3, 3, -3]);
  });

  it('clamps to 9 bits before the offset only with int8Clamp9', () => {
    const a = { path: 'int8-requant' as const, acc: new Int32Array([300]), outShape: [1, 1], scale: { dtype: 'float32' as const, data: new Float32Array([1]) }, offset: new Float32Array([-200]), bias: null, pertoken: null };
    assert.deepEqual([...ref.epilogue({ ...a, variant: VARIANTS[0]! })], [55]);
    assert.deepEqual([...ref.epilogue({ ...a, variant: { ...VARIANTS[0]!, int8Clamp9: false } })], [100]);
  });

  it('fp16 overflow gives inf or 65504 per variant', () => {
    const a = { path: 'fp16-fixpipe' as const, acc: new Int32Array([70000, -70000, 65519, 65520]), outShape: [1, 4], scale: { dtype: 'float32' as const, data: new Float32Array([1]) }, offset: null, bias: null, pertoken: null };
    assert.deepEqual([...ref.epilogue({ ...a, variant: VARIANTS[0]! })], [0x7c00, 0xfc00, 0x7bff, 0x7c00]);
    assert.deepEqual([...ref.epilogue({ ...a, variant: { ...VARIANTS[0]!, fp16Overflow: 'saturate' } })], [0x7bff, 0xfbff, 0x7bff, 0x7bff]);
  });

  it('masks an fp32 scale to fp19 only in the variant that truncates', () => {
    const s = bitsToF32(0x3f801fff); // 1 + (2^13 - 1) * 2^-23
    const a = { path: 'bf16-vector' as const, acc: new Int32Array([1 << 20]), outShape: [1, 1], scale: { dtype: 'float32' as const, data: new Float32Array([s]) }, offset: null, bias: null, pertoken: null };
    assert.equal(ref.ideal({ ...a, variant: VARIANTS[0]! })[0], 1 << 20);
    assert.equal(ref.ideal({ ...a, variant: { ...VARIANTS[0]!, scaleFp19: false } })[0], (1 << 20) * s);
  });

  it('the SIMD rows equal the scalar rows on random inputs of every path and variant', function () {
    if (!simd) this.skip();
    let checked = 0;
    for (const path of PATHS) {
      VARIANTS.forEach((variant, vi) => {
        for (let seed = 1; seed <= 40; seed++) {
          const a = randomArgs(seed * 97 + vi * 13 + PATHS.indexOf(path), path, variant);
          ref.configure({ isa: 'auto' });
          const fast = ref.epilogue(a);
          ref.configure({ engine: 'portable', isa: 'scalar' });
          const slow = ref.epilogue(a);
          const at = firstDifference(fast, slow);
          assert.equal(at, -1, `${path} variant ${vi} seed ${seed}: element ${at} is ${fast[at]} with SIMD, ${slow[at]} scalar`);
          checked += fast.length;
        }
      });
    }
    assert.ok(checked > 1000);
  });
});
