/**
 * The addon's input generator against the TypeScript one, which defines the bytes: every generator the
 * addon draws (uniform, choice), every storage an operand takes, many seeds, and lengths around the
 * generation chunk (the TypeScript side converts chunk by chunk, the addon in one pass).
 */
import assert from 'node:assert/strict';
import { generateInputs, GENERATION_CHUNK, twinOperandData } from '../../harness/data/generate';
import { nativeOperandData, useNativeGenerator, type OperandStore } from '../../harness/data/native-generate';
import { hashSeed, mulberry32 } from '../../harness/data/random';
import { expandSpecs, type Case } from '../../harness/expand';
import { numel } from '../../harness/data/tensor';
import type { Generator } from '../../harness/spec/types';
import { inputsHash } from '../data/inputs-hash';
import { allSpecs } from '../helpers/spec';

const STORES: OperandStore[] = ['int8', 'int4', 'uint8', 'int32', 'int64', 'float32', 'float16', 'bfloat16'];

/** The spec's operand generators, plus ranges that reach each storage's edges (saturation, int32 wrap, fp16 overflow, non-integer bounds). */
const GENERATORS: Generator[] = [
  { kind: 'uniform', min: -128, max: 127 }, { kind: 'uniform', min: -8, max: 7 }, { kind: 'uniform', min: -1, max: 0 },
  { kind: 'uniform', min: -16, max: 16 }, { kind: 'uniform', min: -8, max: 8 }, { kind: 'uniform', min: -300.5, max: 299.25 },
  { kind: 'uniform', min: -5e9, max: 5e9 }, { kind: 'uniform', min: -70000, max: 70000 }, { kind: 'uniform', min: 3, max: 3 },
  { kind: 'choice', values: [-128, 127] }, { kind: 'choice', values: [-8, 7] }, { kind: 'choice', values: [0] },
  { kind: 'choice', values: [-300, -256.5, -256, -0.5, 0.5, 1.5, 255, 255.5, 300] },
  { kind: 'choice', values: [-8, -2.5, -0.5, 0, 0.5, 3, 7.5] },
  { kind: 'choice', values: ['inf', '-inf', 'nan', 1.0e-40, -1.0e-39, 3.0e+38] },
  { kind: 'choice', values: [65519, 65520, -65536, 1e-8, 2 ** -25, 3 * 2 ** -26, 1 + 2 ** -11, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -0] },
  { kind: 'choice', values: [2 ** 63, 2 ** 63 + 2 ** 13, -(2 ** 63) - 2 ** 12, 1e19, -1e19, 1.5 * 2 ** 64, 2 ** 64 - 2 ** 11, -3] },
];

const ctx = (seed: number) => ({ random: mulberry32(seed), k: 64, xStd: 70, wStd: 70 });
const bytes = (d: ArrayBufferView): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

/** The twin's bytes, or the error it raises (an int64 of a non-finite value). */
function twin(store: OperandStore, count: number, g: Generator, seed: number): Buffer | Error {
  try {
    return bytes(twinOperandData(store, count, g, ctx(seed)));
  } catch (e) {
    return e as Error;
  }
}

function check(store: OperandStore, count: number, g: Generator, seed: number): void {
  const label = `${JSON.stringify(g)} as ${store}, ${count} values, seed ${seed}`;
  const want = twin(store, count, g, seed);
  const got = nativeOperandData(store, count, g, seed);
  if (want instanceof Error) {
    // the addon declines what the twin cannot store, so the twin raises its own error
    assert.equal(got, null, `${label}: the twin raises (${want.message}), the addon should decline`);
    return;
  }
  assert.ok(got !== null, `${label}: the addon should draw this generator`);
  assert.ok(bytes(got).equals(want), `${label}: bytes differ`);
}

describe('native generator: the same bytes as the TypeScript generators', () => {
  before(() => assert.equal(useNativeGenerator(true), true, 'the generator is on by default'));

  it('every generator and storage, many seeds, short and odd lengths', () => {
    const seeds = [0, 1, 0xffffffff, 0x6d2b79f5, ...Array.from({ length: 12 }, (_, i) => hashSeed(5, `s${i}`))];
    for (const g of GENERATORS) for (const store of STORES) for (const seed of seeds) for (const count of [0, 1, 2, 7, 33, 1001]) check(store, count, g, seed);
  });

  it('lengths around the generation chunk', () => {
    const lengths = [GENERATION_CHUNK - 1, GENERATION_CHUNK, GENERATION_CHUNK + 1, 2 * GENERATION_CHUNK + 3];
    const seeds = [hashSeed(9, 'a'), hashSeed(9, 'b')];
    for (const g of [GENERATORS[0]!, GENERATORS[6]!, GENERATORS[14]!]) for (const store of STORES) for (const seed of seeds) for (const count of lengths) check(store, count, g, seed);
  });

  it('the addon declines the generators it does not draw', () => {
    const others: Generator[] = [{ kind: 'normal', mean: 0, std: 6 }, { kind: 'output-range', target: 100 }, { kind: 'int32-range' },
      { kind: 'power-of-two', minExp: -9, maxExp: -1 }, { kind: 'accumulator-scale', factor: 4 }, { kind: 'low-mantissa', target: 100 }];
    for (const g of others) assert.equal(nativeOperandData('int8', 10, g, 1), null, g.kind);
  });

  it('generateInputs gives the same bytes with and without the addon on the smoke cases of every spec', () => {
    // the few large cases (millions of elements) are left to the chunk test above and the pinned hashes
    const small = (c: Case): boolean => numel(c.shapes.x1) + numel(c.shapes.weight) <= 1 << 16;
    const cases = expandSpecs(allSpecs(), { profile: 'smoke', seed: 0 }).filter(small);
    const specs = new Map(allSpecs().map((s) => [s.id, s]));
    assert.ok(new Set(cases.map((c) => c.spec)).size === specs.size && cases.length > 300, 'every spec has smoke cases');
    const dtypes = new Set<string>();
    try {
      for (const c of cases) {
        const spec = specs.get(c.spec)!;
        useNativeGenerator(true);
        const native = inputsHash(generateInputs(spec, c));
        useNativeGenerator(false);
        assert.equal(native, inputsHash(generateInputs(spec, c)), c.id);
        dtypes.add(`x1 ${c.packing.x1 ? 'int4' : c.dtypes.x1}`);
        dtypes.add(`weight ${c.packing.weight ? 'int4' : c.dtypes.weight}`);
      }
    } finally {
      useNativeGenerator(true);
    }
    // the smoke cases reach the packed int4 operands and more than one plain dtype
    assert.ok(dtypes.has('x1 int4') || dtypes.has('weight int4'), [...dtypes].join(', '));
    assert.ok(dtypes.size >= 3, [...dtypes].join(', '));
  });
});
