/**
 * The reference on the family's new inputs: int4 operands packed eight to an int32 (both weight
 * layouts), the int32 output path, and the A4W4 per-group path, through computeReference with both
 * implementations.
 */
import assert from 'node:assert/strict';
import { mulberry32, type Random } from '../../harness/data/random';
import { numel, type CaseInputs, type Int4Packing, type Tensor } from '../../harness/data/tensor';
import type { CellValue } from '../../harness/dtypes';
import { INT4_LAST_DIM, logicalShape, packedTensor } from '../../harness/reference/int4';
import { pathFor } from '../helpers/paths';
import { computeReference, type ReferenceCase } from '../../harness/reference/reference';
import { transQuantParam } from '../../harness/reference/twin/quant-param';
import type { ReferenceOptions } from '../../harness/reference/types';
import { epilogueArgs } from './helpers';
import { describeEachImpl } from './impls';

const HEAD: ReferenceOptions = { fp16Overflow: 'either', bf16ScaleTruncation: false };
const DIM2: Int4Packing = { kind: 'int4', perStorage: 8, dim: -2 };

/** The case record of some inputs: dtypes and shapes read off the tensors. */
function caseOf(inputs: CaseInputs, out: CellValue, groupSizes?: number[] | null): ReferenceCase {
  const dt = (t: Tensor | null): CellValue => t?.dtype ?? null;
  const sh = (t: Tensor | null): number[] | null => (t ? [...t.shape] : null);
  const dtypes = {
    x1: inputs.x1.dtype, weight: inputs.weight.dtype, scale: inputs.scale.dtype, offset: dt(inputs.offset),
    bias: dt(inputs.bias), pertoken_scale: dt(inputs.pertoken_scale), output_dtype: out,
  };
  // shapes are logical: packed operands count with their unpacked shapes
  const op = (t: Tensor): number[] => (t.packing && t.dtype === 'int32' ? logicalShape(t.shape, t.packing) : [...t.shape]);
  let path: ReferenceCase['path'] = null;
  try { path = pathFor(dtypes); } catch { /* a combination no spec runs: the reference must refuse it */ }
  return {
    dtypes, path,
    shapes: {
      x1: op(inputs.x1), weight: op(inputs.weight), scale: [...inputs.scale.shape], offset: sh(inputs.offset),
      bias: sh(inputs.bias), pertoken_scale: sh(inputs.pertoken_scale),
    },
    ...(groupSizes !== undefined ? { groupSizes } : {}),
  };
}

function int4Values(r: Random, shape: number[]): Tensor {
  return { dtype: 'int8', shape, data: Int8Array.from({ length: numel(shape) }, () => Math.floor(r() * 16) - 8) };
}

function f32(r: Random, shape: number[], scale: number): Tensor {
  return { dtype: 'float32', shape, data: Float32Array.from({ length: numel(shape) }, () => (r() + 0.05) * scale) };
}

/** The module-layout weight (n, k) packed either way: dim -1 stores (n, k/8), dim -2 stores (k, n/8). */
function packWeight(weight: Tensor, packing: Int4Packing): Tensor {
  return packedTensor(weight, packing);
}

/** int8 inputs of every int path the A4W4 rows reach, with int4-range operands. */
function int8Inputs(r: Random, m: number, n: number, k: number, out: 'float16' | 'bfloat16' | 'int32', pertoken: boolean): CaseInputs {
  const scale = f32(r, [n], 2 ** -8);
  return {
    x1: int4Values(r, [m, k]),
    weight: int4Values(r, [n, k]),
    // fp16 without pertoken: the int64 scale torch_npu would pack (docs/semantics.md 3.3)
    scale: out === 'float16' && !pertoken
      ? { dtype: 'int64', shape: [n], data: transQuantParam(scale.data as Float32Array, null, 0) }
      : scale,
    offset: null,
    bias: { dtype: 'int32', shape: [n], data: Int32Array.from({ length: n }, () => Math.floor(r() * 2001) - 1000) },
    pertoken_scale: pertoken ? f32(r, [m], 1) : null,
  };
}

describeEachImpl('reference: int4 operands', (impl) => {
  const cases: { out: 'float16' | 'bfloat16' | 'int32'; pertoken: boolean }[] = [
    { out: 'float16', pertoken: false }, { out: 'float16', pertoken: true },
    { out: 'bfloat16', pertoken: true }, { out: 'int32', pertoken: false },
  ];
  for (const { out, pertoken } of cases) {
    for (const packing of [INT4_LAST_DIM, DIM2]) {
      it(`gives the int8 answer of the unpacked values: ${out}${pertoken ? ' + pertoken' : ''}, weight packing dim ${packing.dim}`, () => {
        const r = mulberry32(out.length * 31 + packing.dim + (pertoken ? 7 : 0));
        for (const [m, n, k] of [[1, 8, 8], [3, 16, 24], [5, 8, 64]] as const) {
          const plain = int8Inputs(r, m, n, k, out, pertoken);
          const packed: CaseInputs = { ...plain, x1: packedTensor(plain.x1), weight: packWeight(plain.weight, packing) };
          const expected = computeReference(caseOf(plain, out), plain, HEAD, impl());
          const got = computeReference(caseOf(packed, out), packed, HEAD, impl());
          assert.deepEqual(got, expected, `m=${m} n=${n} k=${k}`);
        }
      });
    }
  }

  it('runs the extreme int4 products exactly: all -8 over k = 1024', () => {
    const k = 1024;
    const x1 = { dtype: 'int8' as const, shape: [1, k], data: new Int8Array(k).fill(-8) };
    const weight = { dtype: 'int8' as const, shape: [8, k], data: new Int8Array(8 * k).fill(-8) };
    const inputs: CaseInputs = {
      x1: packedTensor(x1), weight: packedTensor(weight), scale: { dtype: 'float32', shape: [1], data: Float32Array.from([3]) },
      offset: null, bias: null, pertoken_scale: null,
    };
    const y = computeReference(caseOf(inputs, 'int32'), inputs, HEAD, impl());
    assert.deepEqual([...y.expected.data], new Array<number>(8).fill(64 * k));
  });

  it('refuses packed operands that do not fit, naming the tensor', () => {
    const r = mulberry32(5);
    const plain = int8Inputs(r, 2, 8, 16, 'int32', false);
    const good: CaseInputs = { ...plain, x1: packedTensor(plain.x1), weight: packedTensor(plain.weight) };
    const run = (inputs: CaseInputs) => computeReference(caseOf(inputs, 'int32'), inputs, HEAD, impl());
    const { packing: _p, ...unmarked } = good.x1;
    assert.throws(() => run({ ...good, x1: unmarked }), /x1: int32 data is int4 packed eight to an int32 and must carry packing/);
    assert.throws(() => run({ ...good, x1: { ...good.x1, packing: DIM2 } }), /x1: packing.dim must be -1/);
    assert.throws(() => run({ ...good, weight: { ...plain.weight, packing: INT4_LAST_DIM } }), /weight: dtype int8 with x1 int32/);
    assert.throws(() => run({ ...plain, x1: { ...plain.x1, packing: INT4_LAST_DIM } }), /x1: an int8 tensor must not carry a packing/);
    // the weight packed along n holds logical (n=8, k=16) as storage (16, 1); declared with dim -1 it is (16, 8): k 8 != 16
    const alongN = packWeight(plain.weight, DIM2);
    assert.throws(() => run({ ...good, weight: { ...alongN, packing: INT4_LAST_DIM } }), /weight: unpacked k=8 .* differs from x1's k = 8 x 2 = 16/);
    const batched = { ...good.weight, shape: [1, 8, 2] };
    assert.throws(() => run({ ...good, weight: batched }), /weight: an int4-packed weight must be 2-D/);
    assert.throws(() => run({ ...good, x1: { ...good.x1, packing: { kind: 'int4', perStorage: 2, dim: -1 } as never } }), /x1: packing must be/);
  });
});

describeEachImpl('reference: int32 output (docs/semantics.md 3.2)', (impl) => {
  const x1: Tensor = { dtype: 'int8', shape: [2, 3], data: Int8Array.from([1, 2, 3, -4, 5, -6]) };
  const weight: Tensor = { dtype: 'int8', shape: [2, 3], data: Int8Array.from([7, -8, 9, 127, -128, 1]) };
  const bias: Tensor = { dtype: 'int32', shape: [2], data: Int32Array.from([100, -(2 ** 31)]) };
  const scaleOf = (v: number): Tensor => ({ dtype: 'float32', shape: [1], data: Float32Array.from([v]) });
  // acc = [[7-16+27, 127-256+3], [-28-40-54, -508-640-6]] = [[18, -126], [-122, -1154]]
  const acc = [18, -126, -122, -1154];

  it('is acc + int32 bias, wrapping in int32 like the L0C add; the scale is required but not applied', () => {
    const inputs: CaseInputs = { x1, weight, scale: scaleOf(0.5), offset: null, bias, pertoken_scale: null };
    const y = computeReference(caseOf(inputs, 'int32'), inputs, HEAD, impl());
    const wrapped = [18 + 100, (-126 - 2 ** 31) | 0, -122 + 100, (-1154 - 2 ** 31) | 0];
    assert.equal(y.path, 'int32-acc');
    assert.equal(y.expected.dtype, 'int32');
    assert.deepEqual([...y.expected.data], wrapped);
    assert.deepEqual([...y.acc], wrapped);
    assert.deepEqual(y.alternatives, []);
    assert.equal(y.scaleGap, 0);
    for (const s of [1, -3.75, 1e-30, 0]) {
      const other = computeReference(caseOf({ ...inputs, scale: scaleOf(s) }, 'int32'), { ...inputs, scale: scaleOf(s) }, HEAD, impl());
      assert.deepEqual(other.expected, y.expected, `scale ${s}`);
    }
    const bf16Scale: Tensor = { dtype: 'bfloat16', shape: [2], data: Uint16Array.from([0x3f80, 0x4000]) };
    const withBf16 = { ...inputs, scale: bf16Scale };
    assert.deepEqual(computeReference(caseOf(withBf16, 'int32'), withBf16, HEAD, impl()).expected, y.expected);
  });

  it('applies no pertoken and no offset even when given (the library refuses them on this path)', () => {
    const args = epilogueArgs('int32-acc', acc, [2, 2], [0.5]);
    const bare = impl().epilogue(args);
    assert.deepEqual([...bare], acc);
    const loaded = impl().epilogue({ ...args, offset: Float32Array.from([3, 4]), pertoken: Float32Array.from([2, 8]) });
    assert.deepEqual(loaded, bare);
    assert.deepEqual([...impl().ideal({ ...args, pertoken: Float32Array.from([2, 8]) })], acc);
  });

  it('without a bias is the bare accumulator, and its ideal is the same integer', () => {
    const inputs: CaseInputs = { x1, weight, scale: scaleOf(2), offset: null, bias: null, pertoken_scale: null };
    const y = computeReference(caseOf(inputs, 'int32'), inputs, HEAD, impl());
    assert.deepEqual([...y.expected.data], acc);
    assert.deepEqual([...y.ideal], acc);
  });
});

/** The per-group hand case of twin/group-dequant.test.ts as a whole case: k=16 with two groups of 8. */
function groupInputs(): CaseInputs {
  const x1: Tensor = { dtype: 'int8', shape: [1, 16], data: Int8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0]) };
  const weight: Tensor = { dtype: 'int8', shape: [8, 16], data: new Int8Array(8 * 16) };
  // column j of the weight: group 0 all (j % 2 ? -1 : 1), group 1 starts with 3
  for (let j = 0; j < 8; j++) {
    for (let p = 0; p < 8; p++) weight.data[j * 16 + p] = j % 2 ? -1 : 1;
    weight.data[j * 16 + 8] = 3;
  }
  return {
    x1: packedTensor(x1), weight: packedTensor(weight, DIM2),
    scale: { dtype: 'float32', shape: [2, 8], data: Float32Array.from([...new Array<number>(8).fill(0.25), ...new Array<number>(8).fill(2)]) },
    offset: { dtype: 'float16', shape: [2, 8], data: Uint16Array.from([...new Array<number>(8).fill(0x3800), ...new Array<number>(8).fill(0xbc00)]) },
    bias: null,
    pertoken_scale: { dtype: 'float32', shape: [1, 1], data: Float32Array.from([3]) },
  };
}

describeEachImpl('reference: A4W4 per-group (docs/semantics.md 3.4)', (impl) => {
  it('computes the hand case whichever implementation runs the gemm (the twin path serves both)', () => {
    const inputs = groupInputs();
    // even columns: (8 - 4) * 0.25 + (6 + 2) * 2 = 17 -> 51; odd columns: (-8 - 4) * 0.25 + 16 = 13 -> 39
    const expected = [51, 39, 51, 39, 51, 39, 51, 39];
    for (const groupSizes of [[1, 1, 8], [0, 0, 8], [0, 0, 0], null]) {
      const y = computeReference(caseOf(inputs, 'bfloat16', groupSizes), inputs, HEAD, impl());
      assert.equal(y.path, 'group-dequant-bf16');
      assert.equal(y.expected.dtype, 'bfloat16');
      assert.deepEqual([...y.expected.data], expected.map((v) => (v === 51 ? 0x424c : 0x421c)), `group_sizes ${JSON.stringify(groupSizes)}`);
      assert.deepEqual([...y.ideal], expected);
      assert.deepEqual([...y.acc], [14, -2, 14, -2, 14, -2, 14, -2]);
    }
    const fp16 = computeReference(caseOf(inputs, 'float16'), inputs, HEAD, impl());
    assert.equal(fp16.path, 'group-dequant-fp16');
    assert.deepEqual([...fp16.expected.data], expected.map((v) => (v === 51 ? 0x5260 : 0x50e0)));
    assert.deepEqual(fp16.alternatives, []); // no overflow here, so the saturating alternative is the same
  });

  it('admits the saturating fp16 overflow as an alternative when the product\'s mode is unknown (section 2.9)', () => {
    const inputs = groupInputs();
    const huge = { ...inputs, pertoken_scale: { dtype: 'float32' as const, shape: [1, 1], data: Float32Array.from([8192]) } };
    const y = computeReference(caseOf(huge, 'float16'), huge, HEAD, impl());
    assert.deepEqual([...y.expected.data], new Array<number>(8).fill(0x7c00)); // 17 * 8192 and 13 * 8192 > 65504
    assert.deepEqual(y.alternatives.map((a) => a.kind), ['fp16-overflow-saturate']);
    assert.deepEqual([...y.alternatives[0]!.values.data], new Array<number>(8).fill(0x7bff));
    const saturating = computeReference(caseOf(huge, 'float16'), huge, { ...HEAD, fp16Overflow: 'saturate' }, impl());
    assert.deepEqual([...saturating.expected.data], new Array<number>(8).fill(0x7bff));
    assert.deepEqual(saturating.alternatives, []);
  });

  it('has no whole-accumulator epilogue: both implementations refuse the path by name', () => {
    const args = epilogueArgs('group-dequant-bf16', new Array<number>(8).fill(0), [1, 8], new Array<number>(8).fill(1), { pertoken: Float32Array.from([1]) });
    assert.throws(() => impl().epilogue(args), /group-dequant-bf16/);
    assert.throws(() => impl().ideal(args), /group-dequant-bf16/);
  });

  it('refuses what the per-group row does not have, naming the input', () => {
    const inputs = groupInputs();
    const run = (i: CaseInputs, gs: number[] | null = [1, 1, 8], out: CellValue = 'bfloat16') => computeReference(caseOf(i, out, gs), i, HEAD, impl());
    assert.throws(() => run(inputs, [2, 1, 8]), /group_sizes: group_m and group_n must be 0 or 1/);
    assert.throws(() => run(inputs, [1, 1, 16]), /scale: the per-group path needs shape \(k\/group_k=1, n=8\), got \[2,8\]/);
    assert.throws(() => run(inputs, [1, 1, 6]), /k=16 is not a whole number of groups/);
    assert.throws(() => run(inputs, [1, 1]), /group_sizes: must be three integers/);
    assert.throws(() => run({ ...inputs, pertoken_scale: { dtype: 'float32', shape: [1], data: Float32Array.from([3]) } }), /pertoken_scale: the per-group path needs shape \(m=1, 1\)/);
    assert.throws(() => run({ ...inputs, pertoken_scale: null }), /pertoken_scale: the per-group path needs a float32 \(m, 1\)/);
    assert.throws(() => run({ ...inputs, bias: { dtype: 'int32', shape: [8], data: new Int32Array(8) } }), /bias: the per-group path takes no bias/);
    // int8 output with a float16 offset: the specs name the int8 path for it, whose scale must be a vector
    assert.throws(() => run(inputs, [1, 1, 8], 'int8'), /scale: shape must be \(1\) or \(n=8\), got \[2,8\]/);
    const int8x1: Tensor = { dtype: 'int8', shape: [1, 16], data: new Int8Array(16) };
    const int8w: Tensor = { dtype: 'int8', shape: [8, 16], data: new Int8Array(128) };
    assert.throws(() => run({ ...inputs, x1: int8x1, weight: int8w }), /x1: the per-group path \(float16 offset\) needs int4/);
  });
});
