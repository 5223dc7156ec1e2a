import type { CaseInputs, Tensor } from '../../harness/data/tensor';
import type { Dtype, OutputDtype } from '../../harness/dtypes';
import type { Case, CaseCall } from '../../harness/expand/case';

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
}

/** A Case record for hand-made inputs, shaped as the expansion produces them (dtypes and shapes read off the tensors). */
export function makeCase(spec: CaseSpec): Case {
  const { inputs } = spec;
  const target = spec.target ?? 'module';
  const n = inputs.weight.shape[inputs.weight.shape.length - 2]!;
  const k = inputs.weight.shape[inputs.weight.shape.length - 1]!;
  const dt = (t: Tensor | null): Dtype | null => (t ? t.dtype : null);
  const shape = (t: Tensor | null): number[] | null => (t ? [...t.shape] : null);
  return {
    id: spec.id ?? `test/${target}-${spec.out ?? 'none'}`,
    spec: 'test',
    product: 'atlas-a2',
    expect: spec.expect ?? 'accept',
    rejectedBy: spec.expect === 'reject' ? { kind: 'dtype', rule: 'outside-table' } : null,
    divergence: null,
    dtypes: {
      x1: inputs.x1.dtype, weight: inputs.weight.dtype, scale: spec.scaleDtype ?? inputs.scale.dtype, offset: dt(inputs.offset),
      bias: dt(inputs.bias), pertoken_scale: dt(inputs.pertoken_scale), output_dtype: spec.out ?? 'int8',
    },
    shapes: {
      x1: [...inputs.x1.shape], weight: [...inputs.weight.shape], scale: [...inputs.scale.shape],
      offset: shape(inputs.offset), bias: shape(inputs.bias), pertoken_scale: shape(inputs.pertoken_scale),
    },
    call: {
      target, in_features: k, out_features: n, bias: inputs.bias !== null,
      offset: inputs.offset !== null, pertoken_scale: inputs.pertoken_scale !== null, output_dtype: spec.out,
      weightFormat: spec.weightFormat ?? 'ND', mode: spec.mode ?? 'eager', strided: spec.strided ?? false,
      ...(spec.scaleBuild ? { scaleBuild: spec.scaleBuild } : {}),
    },
    shapeClass: 'test', distribution: 'test', seed: 1, tags: spec.tags ?? [],
    source: { file: 'test', line: 1, column: 1 }, rows: [], rules: [], bytes: 0, repeat: spec.repeat ?? 1,
  };
}
