/**
 * Comparison and replay helpers for the differential tests: run a case on both implementations,
 * compare bit for bit, and on a mismatch say which stage, which element, both values, the run seed, the
 * case id and the case itself.
 */
import assert from 'node:assert/strict';
import type { CaseInputs, Tensor } from '../../harness/data/tensor';
import type { EpilogueArgs, EpilogueVariant, ReferenceImpl } from '../../harness/reference/impl';
import type { ReferenceCase } from '../../harness/reference/reference';
import { gemmOutShape } from '../../harness/reference/twin/gemm';
import { outputDtypeOf } from '../../harness/reference/types';
import { describeCase, type RandomCase } from './random-cases';

/** The run seed: A8W8_SEED replays a failing run. */
export const RUN_SEED = Number(process.env.A8W8_SEED ?? 0x5eed);

/** Where a case came from, for failure messages. */
export function replayHint(id: string): string {
  return `replay: A8W8_SEED=${RUN_SEED} npx mocha dist/test/reference/differential.test.js (case ${id})`;
}

type Values = ArrayLike<number | bigint>;

/** Bit-level equality of two arrays of numbers (Object.is: -0 differs from 0, NaN equals NaN). */
export function assertSameValues(stage: string, twin: Values, native: Values, where: string, context: unknown): void {
  const fail = (detail: string): never => assert.fail(`${stage}: ${detail}\n${where}\ncase: ${describeCase(context)}`);
  if (twin.length !== native.length) fail(`length twin ${twin.length} vs native ${native.length}`);
  for (let i = 0; i < twin.length; i++) {
    if (!Object.is(twin[i], native[i])) fail(`element ${i}: twin ${String(twin[i])} vs native ${String(native[i])}`);
  }
}

/** Runs the gemm on both, then the epilogue and the ideal of each variant on the same accumulator. */
export function compareRandomCase(twin: ReferenceImpl, native: ReferenceImpl, c: RandomCase, variants: readonly EpilogueVariant[], id: string): void {
  const where = replayHint(id);
  const accTwin = twin.gemm(c.x1, c.x1Shape, c.weight, c.weightShape);
  assertSameValues('gemm', accTwin, native.gemm(c.x1, c.x1Shape, c.weight, c.weightShape), where, c);
  const outShape = gemmOutShape(c.x1Shape, c.weightShape);
  for (const variant of variants) compareEpilogue(twin, native, { ...c.epilogue, acc: accTwin, outShape, variant }, id);
}

/** The epilogue and the ideal of one argument set on both implementations. */
export function compareEpilogue(twin: ReferenceImpl, native: ReferenceImpl, args: EpilogueArgs, id: string): void {
  const where = replayHint(id);
  assertSameValues(`epilogue ${args.path} ${JSON.stringify(args.variant)}`, twin.epilogue(args), native.epilogue(args), where, args);
  assertSameValues(`ideal ${args.path} ${JSON.stringify(args.variant)}`, twin.ideal(args), native.ideal(args), where, args);
}

/** The random case as a computeReference input: effective dtypes, shapes and tensors. */
export function asReferenceCase(c: RandomCase): { c: ReferenceCase; inputs: CaseInputs } {
  const e = c.epilogue;
  const vector = (dtype: Tensor['dtype'], data: Tensor['data']): Tensor => ({ dtype, shape: [data.length], data });
  const inputs: CaseInputs = {
    x1: { dtype: 'int8', shape: c.x1Shape, data: c.x1 },
    weight: { dtype: 'int8', shape: c.weightShape, data: c.weight },
    scale: vector(e.scale.dtype, e.scale.data),
    offset: e.offset === null ? null : vector('float32', e.offset),
    bias: e.bias === null ? null : { dtype: e.bias.dtype, shape: e.bias.shape, data: e.bias.data },
    pertoken_scale: e.pertoken === null ? null : vector('float32', e.pertoken),
  };
  const dtypeOf = (t: Tensor | null): Tensor['dtype'] | null => t?.dtype ?? null;
  const shapeOf = (t: Tensor | null): number[] | null => t?.shape ?? null;
  return {
    inputs,
    c: {
      dtypes: {
        x1: 'int8', weight: 'int8', scale: e.scale.dtype, offset: dtypeOf(inputs.offset), bias: dtypeOf(inputs.bias),
        pertoken_scale: dtypeOf(inputs.pertoken_scale), output_dtype: outputDtypeOf(e.path),
      },
      shapes: {
        x1: c.x1Shape, weight: c.weightShape, scale: inputs.scale.shape, offset: shapeOf(inputs.offset),
        bias: shapeOf(inputs.bias), pertoken_scale: shapeOf(inputs.pertoken_scale),
      },
      path: e.path,
    },
  };
}
