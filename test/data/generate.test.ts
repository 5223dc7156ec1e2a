/**
 * Generated inputs are part of every case's recipe: the same (seed, case id) must give the same bytes
 * forever. The hashes below were computed with the generator as it was before it wrote large tensors
 * chunk by chunk (float64 arrays of the whole tensor, then Int8Array.from and friends); the cases cover
 * every distribution and every dtype each input takes in the spec.
 */
import assert from 'node:assert/strict';
import { generateInputs } from '../../harness/data/generate';
import { generateValues, valueStream, type GenContext } from '../../harness/data/generators';
import { useNativeGenerator } from '../../harness/data/native-generate';
import { hashSeed, mulberry32 } from '../../harness/data/random';
import type { Generator } from '../../harness/spec/types';
import { realCases, realSpec } from '../helpers/spec';
import { inputsHash } from './inputs-hash';

const PINNED: [string, string][] = [
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/bias-3d/full-range', '20dac3c440ba6b78b3be1b5e22d51df9'],
  ['atlas-inference/table1-r2/s-i64_o-f32_b-none_p-none_y-i8/tiny-1x2x1/doc-example+int8', 'edb7277ab77c24a6f4c9e521353fb421'],
  ['atlas-a2/table2-r3/s-f32_o-none_b-bf16_p-f32_y-bf16/tiny-1x2x1/extremes', '29f032eae7349eae6d8545b836f88422'],
  ['atlas-a2/table2-r3/s-bf16_o-none_b-f32_p-f32_y-bf16/tiny-1x2x1/overflow', '39df105d8270efd0e0d1238dd9bf9db1'],
  ['atlas-a2/table2-r4/s-f32_o-none_b-f16_p-f32_y-f16/tiny-1x2x1/small-range', '07bf3706576884ad3235797797a5f291'],
  ['atlas-inference/module/x1-weight-int8/x-f16_w-f16_s-i64_o-none_b-i32_p-none_y-f16/base/full-range', '8ee837d657fad08f86c90c233ca82296'],
  ['atlas-inference/module/x1-weight-int8/x-u8_w-u8_s-i64_o-none_b-i32_p-none_y-f16/base/full-range', '6edc1aafe1fd118ca10f8d6194996bba'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/tiny-1x2x1/ties', '800ed3cc7379ab4d857c4262e0b5e150'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/tiny-1x2x1/scale-low-bits', '6220a8ff0c0d1a1e86f4c4f3cbbce4a7'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/tiny-1x2x1/large-bias', '9b9ba85badc62a594200214671d6ac60'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/tiny-1x2x1/accumulator-extremes', '97f0b521a6ff1a9846624bae6e65b59c'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/tiny-1x2x1/undefined-input', '3c082d21e65f84f82853d459fcf42c7b'],
  ['atlas-inference/table1-r2/s-i64_o-f32_b-i32_p-none_y-i8/tiny-1x2x1/offset-edge+int8', '244ac8c7f8fcd16ffb78411472657368'],
  ['atlas-inference/outside-table/s-f16_o-f32_b-i32_p-f32_y-i8/base/full-range+none', '033af852ccec9230b64e3950c526522f'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/base/full-range@op@rm1', 'f0111b79ef7e077646c836787152b4cd'],
  ['atlas-inference/table1-r2/s-i64_o-f32_b-i32_p-none_y-i8/base/full-range@op@rm1+none', '438bc039ec41c35680fd1bf58d6a3a8c'],
  // the zeros distribution came after the chunked generator; its hash is of that generator
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/tiny-1x2x1/zeros', '45a64aef734ecda46cde67a5abd9cc3f'],
  // tensors longer than one generation chunk (x1 21248, weight 340480 elements)
  ['atlas-a2/table2-r3/s-f32_o-none_b-bf16_p-f32_y-bf16/many-blocks-332x64x5320/extremes', '0a5d0d755662b48d9968fba0e2fbdc78'],
  ['atlas-inference/table1-r1/s-i64_o-none_b-i32_p-none_y-f16/many-blocks-332x64x5320/scale-low-bits', '1c9661779fbb67a1caa3d74c21fc99b7'],
  ['atlas-inference/table1-r2/s-i64_o-f32_b-i32_p-none_y-i8/many-blocks-332x64x5320/offset-edge+int8', '25b92b3e8ff82dde5fbc2e4ea229062f'],
  ['atlas-a2/table2-r4/s-f32_o-none_b-f16_p-f32_y-f16/many-blocks-332x64x5320/large-bias', '8f638ca09492f25247835ba991682f4b'],
];

describe('data/generate', () => {
  const pinnedHashes = (): [string, string][] => {
    const cases = new Map(realCases('full').map((c) => [c.id, c]));
    return PINNED.map(([id]) => {
      // pinned by their ids before ids carried the spec: the case is the spec's, its seed the one that id gave
      const c = cases.get(`${realSpec().id}/${id}`);
      assert.ok(c, `case ${id} is no longer in the full profile`);
      assert.equal(c.seed, hashSeed(0, c.id), 'a case seed derives from (run seed, case id)');
      return [id, inputsHash(generateInputs(realSpec(), { ...c, seed: hashSeed(0, id) }))];
    });
  };

  it('gives the pinned bytes for cases of every distribution and input dtype', () => {
    assert.deepEqual(pinnedHashes(), PINNED);
  });

  it('gives the pinned bytes with the TypeScript generators alone (the addon\'s generator off)', () => {
    const was = useNativeGenerator(false);
    try {
      assert.deepEqual(pinnedHashes(), PINNED);
    } finally {
      useNativeGenerator(was);
    }
  });

  it('the pinned cases cover every distribution and every dtype of x1, weight, scale, bias and offset', () => {
    const pinned = new Set(PINNED.map(([id]) => `${realSpec().id}/${id}`));
    const all = realCases('full');
    const chosen = all.filter((c) => pinned.has(c.id));
    const features = (cs: typeof all): Set<string> => new Set(cs.flatMap((c) => [
      `distribution ${c.distribution}`,
      ...(['x1', 'weight', 'scale', 'offset', 'bias', 'pertoken_scale'] as const).map((k) => `${k} ${c.dtypes[k]}`),
    ]));
    const covered = features(chosen);
    assert.deepEqual([...features(all)].filter((f) => !covered.has(f)), []);
  });

  it('a value stream gives the same values however it is cut into chunks', () => {
    const generators: Generator[] = [
      { kind: 'uniform', min: -128, max: 127 }, { kind: 'choice', values: [-128, 127, 'nan'] },
      { kind: 'normal', mean: 0, std: 6 }, { kind: 'output-range', target: 100 }, { kind: 'low-mantissa', target: 100 },
      { kind: 'power-of-two', minExp: -9, maxExp: -1 }, { kind: 'accumulator-scale', factor: 4 }, { kind: 'int32-range' },
    ];
    const ctx = (): GenContext => ({ random: mulberry32(7), k: 300, xStd: 70, wStd: 70 });
    const count = 1000;
    for (const g of generators) {
      const whole = generateValues(g, count, ctx());
      const fill = valueStream(g, count, ctx());
      const pieces = new Float64Array(count);
      for (let at = 0, step = 1; at < count; at += step, step = step * 3 + 1) fill(pieces.subarray(at, Math.min(count, at + step)));
      assert.deepEqual(pieces, whole, g.kind);
    }
  });
});
