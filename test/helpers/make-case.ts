import type { CaseInputs, Tensor } from '../../harness/data/tensor';
import type { Dtype, OutputDtype } from '../../harness/dtypes';
import type { Case, CaseCall } from '../../harness/expand/case';
import { logicalShape } from '../../harness/reference/int4';
import { pathFor } from './paths';

/** What a backend test says about the hand-made case it runs. */
export interface CaseSpec {
  out: OutputDtype | null;
  inputs: CaseInputs;
  target?: 'module' | 'op';
  expect?: 'accept' | 'reject';
  /** the effective scale dtype when it differs from the tensor's (an fp32 scale the worker packs) */
  scaleDtype?: Dtype;
  weightFormat?: 'ND' | 'NZ';
  mode?: 'eager' | 'graph';
  scaleBuild?: CaseCall['scaleBuild'];
  repeat?: number;
  strided?: boolean;
  tags?: string[];
  id?: string;
  groupSizes?: number[];
}

/** A Case record for hand-made inputs, shaped as the expansion produces them (dtypes and shapes read off the tensors). */
export function makeCase(spec: CaseSpec): Case {
  const { inputs } = spec;
  const target = spec.target ?? 'module';
  const dt = (t: Tensor | null): Dtype | null => (t ? t.dtype : null);
  // case shapes are logical: a packed tensor counts with its unpacked shape
  const shape = (t: Tensor | null): number[] | null => (t ? (t.packing ? logicalShape(t.shape, t.packing) : [...t.shape]) : null);
  const logicalWeight = shape(inputs.weight)!;
  const n = logicalWeight[logicalWeight.length - 2]!;
  const k = logicalWeight[logicalWeight.length - 1]!;
  const dtypes = {
    x1: inputs.x1.dtype, weight: inputs.weight.dtype, scale: spec.scaleDtype ?? inputs.scale.dtype, offset: dt(inputs.offset),
    bias: dt(inputs.bias), pertoken_scale: dt(inputs.pertoken_scale), output_dtype: spec.out ?? 'int8',
  };
  let path: Case['path'] = null;
  try { path = pathFor(dtypes); } catch { /* a combination no spec runs (a rejected case) */ }
  const packing: Case['packing'] = {};
  for (const role of ['x1', 'weight'] as const) {
    const p = inputs[role].packing;
    if (p) packing[role] = { dtype: 'int32', as: 'int4', per: 8, along: p.dim === -1 ? 'k' : 'n' };
  }
  return {
    spec: 'test', path, packing,
    id: spec.id ?? `test/${target}-${spec.out ?? 'none'}`,
    product: 'atlas-a2',
    expect: spec.expect ?? 'accept',
    rejectedBy: spec.expect === 'reject' ? { kind: 'dtype', rule: 'outside-table' } : null,
    divergence: null,
    dtypes,
    shapes: {
      x1: shape(inputs.x1)!, weight: shape(inputs.weight)!, scale: [...inputs.scale.shape],
      offset: shape(inputs.offset), bias: shape(inputs.bias), pertoken_scale: shape(inputs.pertoken_scale),
    },
    call: {
      target, callee: target === 'op' ? 'torch_npu.npu_quant_matmul' : 'torch_npu.contrib.module.LinearA8W8Quant', groupSizes: spec.groupSizes ?? null, in_features: k, out_features: n, bias: inputs.bias !== null,
      offset: inputs.offset !== null, pertoken_scale: inputs.pertoken_scale !== null, output_dtype: spec.out,
      weightFormat: spec.weightFormat ?? 'ND', mode: spec.mode ?? 'eager', strided: spec.strided ?? false,
      ...(spec.scaleBuild ? { scaleBuild: spec.scaleBuild } : {}),
    },
    shapeClass: 'test', distribution: 'test', seed: 1, tags: spec.tags ?? [],
    source: { file: 'test', line: 1, column: 1 }, rows: [], rules: [], bytes: 0, repeat: spec.repeat ?? 1,
  };
}
