import assert from 'node:assert/strict';
import type { CaseInputs, Tensor } from '../../harness/data/tensor';
import type { CellValue } from '../../harness/dtypes';
import { scaleTruncation, type CaseDtypes } from '../../harness/reference/paths';
import { pathFor } from '../helpers/paths';
import { computeReference, type ReferenceCase } from '../../harness/reference/reference';
import { mulberry32 } from '../../harness/data/random';
import { f32ToF16Bits } from '../../harness/reference/twin/fp16';
import { f32FromBits, truncateFp19 } from '../../harness/reference/twin/fp32';
import type { ReferenceOptions } from '../../harness/reference/types';
import { describeEachImpl } from './impls';

const HEAD: ReferenceOptions = { fp16Overflow: 'either', bf16ScaleTruncation: false };

/** dtypes of a case: int8 x int8 plus the given columns, everything else absent. */
function dtypes(cols: Partial<Record<keyof CaseDtypes, CellValue>>): CaseDtypes {
  return { x1: 'int8', weight: 'int8', scale: 'float32', offset: null, bias: null, pertoken_scale: null, output_dtype: 'int8', ...cols };
}

/** A case and its inputs from tensors; x1 (m, k) and weight (n, k) from plain numbers. */
function makeCase(
  out: CellValue, x1: number[][], weight: number[][], scale: Tensor, rest: Partial<Omit<CaseInputs, 'x1' | 'weight' | 'scale'>> = {},
): { c: ReferenceCase; inputs: CaseInputs } {
  const inputs: CaseInputs = {
    x1: { dtype: 'int8', shape: [x1.length, x1[0]!.length], data: new Int8Array(x1.flat()) },
    weight: { dtype: 'int8', shape: [weight.length, weight[0]!.length], data: new Int8Array(weight.flat()) },
    scale, offset: rest.offset ?? null, bias: rest.bias ?? null, pertoken_scale: rest.pertoken_scale ?? null,
  };
  const c: ReferenceCase = {
    dtypes: dtypes({
      output_dtype: out, scale: scale.dtype, offset: inputs.offset?.dtype ?? null, bias: inputs.bias?.dtype ?? null,
      pertoken_scale: inputs.pertoken_scale?.dtype ?? null,
    }),
    shapes: {
      x1: inputs.x1.shape, weight: inputs.weight.shape, scale: scale.shape, offset: inputs.offset?.shape ?? null,
      bias: inputs.bias?.shape ?? null, pertoken_scale: inputs.pertoken_scale?.shape ?? null,
    },
    path: null,
  };
  c.path = pathFor(c.dtypes);
  return { c, inputs };
}

const f32 = (values: number[]): Tensor => ({ dtype: 'float32', shape: [values.length], data: new Float32Array(values) });
const i32 = (values: number[]): Tensor => ({ dtype: 'int32', shape: [values.length], data: new Int32Array(values) });
const kinds = (out: ReturnType<typeof computeReference>): string[] => out.alternatives.map((a) => a.kind);

describe('reference/paths', () => {
  it('selects the path from output dtype, pertoken and bias dtype', () => {
    assert.equal(pathFor(dtypes({ output_dtype: 'int8', offset: 'float32' })), 'int8-requant');
    assert.equal(pathFor(dtypes({ output_dtype: 'float16', bias: 'int32' })), 'fp16-fixpipe');
    assert.equal(pathFor(dtypes({ output_dtype: 'float16', bias: 'float32' })), 'fp16-float-bias');
    assert.equal(pathFor(dtypes({ output_dtype: 'float16', bias: 'float16', pertoken_scale: 'float32' })), 'fp16-pertoken');
    assert.equal(pathFor(dtypes({ output_dtype: 'bfloat16', pertoken_scale: 'float32' })), 'bf16-vector');
    assert.equal(pathFor(dtypes({ output_dtype: 'int32' })), 'int32-acc');
    assert.throws(() => pathFor(dtypes({ output_dtype: 'float32' })), /no spec in specs\/ names a numeric path/);
  });

  it('truncates an fp32 scale exactly where torch_npu converts it (docs/semantics.md §2.2)', () => {
    const either = { bf16ScaleTruncation: 'either' as const };
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'int8' }), pathFor(dtypes({ output_dtype: 'int8' })), either), { primary: true, alternative: null });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'float16', bias: 'float16' }), pathFor(dtypes({ output_dtype: 'float16', bias: 'float16' })), either), { primary: true, alternative: null });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'float16', pertoken_scale: 'float32' }), pathFor(dtypes({ output_dtype: 'float16', pertoken_scale: 'float32' })), either), { primary: false, alternative: null });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'bfloat16' }), pathFor(dtypes({ output_dtype: 'bfloat16' })), either), { primary: false, alternative: true });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'bfloat16' }), pathFor(dtypes({ output_dtype: 'bfloat16' })), { bf16ScaleTruncation: true }), { primary: true, alternative: null });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'bfloat16', pertoken_scale: 'float32' }), pathFor(dtypes({ output_dtype: 'bfloat16', pertoken_scale: 'float32' })), { bf16ScaleTruncation: true }), { primary: false, alternative: null });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'int8', scale: 'int64' }), pathFor(dtypes({ output_dtype: 'int8', scale: 'int64' })), either), { primary: false, alternative: null });
    assert.deepEqual(scaleTruncation(dtypes({ output_dtype: 'int32' }), pathFor(dtypes({ output_dtype: 'int32' })), either), { primary: false, alternative: null });
  });
});

describeEachImpl('reference/computeReference', (impl) => {
  it('int8: the primary value, the acc with bias, the ideal and the scale gap', () => {
    const s = f32FromBits(0x3f801fff);
    const { c, inputs } = makeCase('int8', [[1, 2], [3, 4]], [[10, 0], [0, 10]], f32([s]), { bias: i32([5, -5]), offset: f32([1]) });
    const out = computeReference(c, inputs, HEAD, impl());
    assert.equal(out.path, 'int8-requant');
    assert.deepEqual(out.shape, [2, 2]);
    assert.deepEqual([...out.acc], [15, 15, 35, 35]);
    assert.deepEqual([...out.expected.data], [16, 16, 36, 36]); // fp19(s) = 1, offset 1
    assert.equal(out.expected.dtype, 'int8');
    assert.deepEqual([...out.ideal], [16, 16, 36, 36]);
    assert.equal(out.scaleGap, (s - truncateFp19(s)) / s);
    assert.deepEqual(kinds(out), []); // no ties, no clamp effects
  });

  it('int8: tie and 9-bit-clamp alternatives appear only where they change something', () => {
    const tie = makeCase('int8', [[5, 300 / 3 | 0]], [[1, 0], [0, 3]], f32([0.5]));
    // acc = [5, 300]; *0.5 = [2.5, 150]: one tie
    assert.deepEqual(kinds(computeReference(tie.c, tie.inputs, HEAD, impl())), ['int8-tie-other']);
    const clamp = makeCase('int8', [[100, 100]], [[3, 0], [1, 0]], f32([1]), { offset: f32([-200]) });
    // acc = [300, 100]: 300 clamps to 255 before the offset
    const out = computeReference(clamp.c, clamp.inputs, HEAD, impl());
    assert.deepEqual(kinds(out), ['int8-no-9bit-clamp']);
    assert.deepEqual([...out.expected.data], [55, -100]);
    assert.deepEqual([...out.alternatives[0]!.values.data], [100, -100]);
  });

  it('fp16: the overflow alternative appears only when the option is either', () => {
    const { c, inputs } = makeCase('float16', [[127, 127]], [[127, 127], [1, 1]], f32([2]));
    // acc = [32258, 254]; *2 = [64516, 508]: 64516 rounds to 64512, no overflow
    assert.deepEqual(kinds(computeReference(c, inputs, HEAD, impl())), []);
    const big = makeCase('float16', [[127, 127]], [[127, 127], [1, 1]], f32([4]));
    const out = computeReference(big.c, big.inputs, HEAD, impl());
    assert.deepEqual(kinds(out), ['fp16-overflow-saturate']);
    assert.deepEqual([...out.expected.data], [0x7c00, 0x63f0]);
    assert.deepEqual([...out.alternatives[0]!.values.data], [0x7bff, 0x63f0]);
    assert.deepEqual(kinds(computeReference(big.c, big.inputs, { ...HEAD, fp16Overflow: 'inf' }, impl())), []);
    const saturated = computeReference(big.c, big.inputs, { ...HEAD, fp16Overflow: 'saturate' }, impl());
    assert.deepEqual([...saturated.expected.data], [0x7bff, 0x63f0]);
    assert.deepEqual(kinds(saturated), []);
  });

  it('fp16 with pertoken: the fused order appears where it changes the output, with an untruncated scale', () => {
    // a deterministic search for acc = 127q + r (|q|, |r| <= 127), s and pt where the two orders differ in fp16
    const random = mulberry32(5);
    let found: { acc: number; s: number; pt: number } | null = null;
    for (let i = 0; i < 1000000 && found === null; i++) {
      const acc = 1 + Math.floor(random() * 16000), s = Math.fround(random() / 100), pt = Math.fround(random());
      if (f32ToF16Bits(Math.fround(Math.fround(acc * s) * pt)) !== f32ToF16Bits(Math.fround(acc * Math.fround(pt * s)))) found = { acc, s, pt };
    }
    assert.ok(found, 'the search must find values where the pertoken order matters');
    const { acc, s, pt } = found;
    const { c, inputs } = makeCase('float16', [[Math.floor(acc / 127), acc % 127], [0, 0]], [[127, 1]], f32([s]), { pertoken_scale: f32([pt, pt]) });
    const out = computeReference(c, inputs, HEAD, impl());
    assert.equal(out.path, 'fp16-pertoken');
    assert.deepEqual([...out.acc], [acc, 0]);
    assert.deepEqual(kinds(out), ['pertoken-fused-order'], JSON.stringify(found));
    assert.equal(out.expected.data[1], 0);
    assert.equal(out.scaleGap, 0);
  });

  it('bf16 with an unknown torch_npu version: the truncated scale appears as an alternative', () => {
    // fp19(s) is exactly half way between two bf16 values and goes to the even one; s itself is above it
    const s = f32FromBits(0x3f808001);
    const { c, inputs } = makeCase('bfloat16', [[1]], [[1]], f32([s]));
    const either = computeReference(c, inputs, { ...HEAD, bf16ScaleTruncation: 'either' }, impl());
    assert.deepEqual(kinds(either), ['scale-truncated']);
    assert.equal(either.scaleGap, 0); // the primary (HEAD) does not truncate
    const old = computeReference(c, inputs, { ...HEAD, bf16ScaleTruncation: true }, impl());
    assert.deepEqual(kinds(old), []);
    assert.deepEqual([...old.expected.data], [...either.alternatives[0]!.values.data]);
    const exact = makeCase('bfloat16', [[100]], [[1]], f32([1]));
    assert.deepEqual(kinds(computeReference(exact.c, exact.inputs, { ...HEAD, bf16ScaleTruncation: 'either' }, impl())), []);
  });

  it('int32 output ignores the scale and adds the int32 bias', () => {
    const { c, inputs } = makeCase('int32', [[1, 2]], [[3, 4]], f32([0.001]), { bias: i32([-11]) });
    const out = computeReference(c, inputs, HEAD, impl());
    assert.deepEqual([...out.expected.data], [0]);
    assert.deepEqual([...out.ideal], [0]);
  });

  it('rejects inconsistent inputs with errors that name the tensor', () => {
    const good = makeCase('int8', [[1, 2]], [[3, 4]], f32([1]));
    const run = (patch: Partial<CaseInputs>, shapes: Partial<ReferenceCase['shapes']> = {}): unknown =>
      computeReference({ ...good.c, shapes: { ...good.c.shapes, ...shapes } }, { ...good.inputs, ...patch }, HEAD, impl());
    assert.throws(() => run({ x1: { dtype: 'int8', shape: [1, 2], data: new Int8Array(3) } }), /x1: shape \[1,2\] needs 2 elements/);
    assert.throws(() => run({ scale: f32([1, 2, 3]) }, { scale: [3] }), (e: unknown) => e instanceof RangeError && /scale: shape must be/.test(e.message));
    assert.throws(() => run({ pertoken_scale: f32([1, 2]) }), /pertoken_scale: the case declares dtype null/);
    assert.throws(() => run({ weight: { dtype: 'int8', shape: [1, 3], data: new Int8Array(3) } }, { weight: [1, 3] }), /k=2 differs/);
    assert.throws(() => run({ x1: { dtype: 'int8', shape: [1, -2], data: new Int8Array(0) } }, { x1: [1, -2] }), /x1: dims must be non-negative/);
    assert.throws(() => run({ bias: i32([1, 2]) }, { bias: [2] }), /bias: the case declares dtype null/);
    assert.throws(() => run({ scale: { dtype: 'float32', shape: [1], data: new Int32Array(1) } }), (e: unknown) => e instanceof TypeError && /scale: float32 data must be a Float32Array/.test(e.message));
  });
});
