import type { Metrics } from '../../../harness/compare/types';
import { specIdOfCaseId } from '../../../harness/expand/spec-of-case';
import type { Case, Divergence, RejectedBy } from '../../../harness/expand/case';
import type { Outcome, OutcomeStatus } from '../../../harness/judge/outcome';
import type { RunEnvironment } from '../../../harness/run/environment';
import type { ResultRecord } from '../../../harness/run/record';

/** Hand-made results records for the report's unit tests: only what the report reads is meaningful. */
export interface RecordSpec {
  id?: string;
  status: OutcomeStatus;
  product?: string;
  rows?: string[];
  shapeClass?: string;
  rejectedBy?: RejectedBy | null;
  divergence?: Divergence | null;
  asExpected?: boolean;
  reason?: string;
  tags?: string[];
  timings?: ResultRecord['timings']['device'];
  shapes?: { x1: number[]; weight: number[] };
  bytes?: number;
}

export const METRICS: Metrics = {
  count: 100, maxAbs: 2, maxRel: 0.5, maxUlp: 16, mismatches: 3, mismatchFraction: 0.03, meanSignedError: -0.01,
  meanSignedErrorVsIdeal: 0.002, nanCount: 0, alternatives: { 'int8-tie-other': 2 }, scaleGap: 0,
};

const DIV: Divergence = { id: 'E9-test', library: 'reject', condition: 'always', source: 'test' };

function outcomeOf(s: RecordSpec): Outcome {
  const reason = s.reason ?? `reason of ${s.status}`;
  switch (s.status) {
    case 'pass': return { status: 'pass', metrics: { ...METRICS, mismatches: 0, mismatchFraction: 0 } };
    case 'fail': return {
      status: 'fail', reason, metrics: METRICS,
      worst: [
        { index: 7, at: [0, 7], actual: 3, expected: 1, ideal: 1.2, absError: 2, ulps: 16 },
        { index: 9, at: [0, 9], actual: 2, expected: 1, ideal: 1.1, absError: 1, ulps: 1 },
      ],
    };
    case 'rejected': return { status: 'rejected', errorType: 'ValueError', message: reason, errorClass: 'parameter' };
    case 'unexpected-accept': return { status: 'unexpected-accept', metrics: null };
    case 'unexpected-reject': return { status: 'unexpected-reject', errorType: 'RuntimeError', message: reason, errorClass: 'parameter' };
    case 'divergence': return { status: 'divergence', divergence: s.divergence ?? DIV, detail: reason, metrics: null };
    case 'error': return { status: 'error', message: reason };
    case 'timeout': return { status: 'timeout', limitMs: 1000 };
    case 'skip': return { status: 'skip', reason };
  }
}

let serial = 0;

export function record(s: RecordSpec): ResultRecord {
  const id = s.id ?? `p/${s.status}/${serial++}`;
  const expect = s.rejectedBy || s.status === 'rejected' || s.status === 'unexpected-accept' ? 'reject' : 'accept';
  const shapes = s.shapes ?? { x1: [4, 8], weight: [16, 8] };
  const c: Case = {
    id, spec: specIdOfCaseId(id), path: 'bf16-vector', packing: {}, product: s.product ?? 'atlas-a2', expect,
    rejectedBy: s.rejectedBy ?? null,
    divergence: s.divergence ?? (s.status === 'divergence' ? DIV : null),
    dtypes: { x1: 'int8', weight: 'int8', scale: 'float32', offset: null, bias: null, pertoken_scale: null, output_dtype: 'bfloat16' },
    shapes: { x1: shapes.x1, weight: shapes.weight, scale: [shapes.weight[shapes.weight.length - 2]], offset: null, bias: null, pertoken_scale: null },
    call: {
      target: 'module', callee: 'torch_npu.contrib.module.LinearA8W8Quant', groupSizes: null, in_features: shapes.x1[shapes.x1.length - 1], out_features: shapes.weight[shapes.weight.length - 2],
      bias: false, offset: false, pertoken_scale: false, output_dtype: 'bfloat16', weightFormat: 'ND', mode: 'eager', strided: false,
    },
    shapeClass: s.shapeClass ?? 'base', distribution: 'full-range', seed: 1, tags: s.tags ?? [expect],
    source: { file: 'spec.yml', line: 1, column: 1 }, rows: s.rows ?? (s.rejectedBy?.kind === 'dtype' ? [] : ['table2#1']),
    rules: [], bytes: s.bytes ?? 1000, repeat: 1,
  };
  const outcome = outcomeOf(s);
  const asExpected = s.asExpected ?? ['pass', 'rejected', 'divergence', 'skip'].includes(s.status);
  return {
    version: 2, caseId: id, spec: c.spec, product: c.product, backend: 'test', device: 'cpu', simulated: true, outcome, asExpected,
    expectation: null, unexpectedPass: false, flaky: false, attempts: 1, path: 'bf16-vector',
    timings: { wallMs: 1, referenceMs: null, device: s.timings ?? null },
    startedAt: '2026-01-01T00:00:00Z', replay: `npx a8w8 run --case ${id}`, case: c,
  };
}

export function environment(over: Partial<RunEnvironment> = {}): RunEnvironment {
  return {
    version: 1, harness: { version: '0.1.0', node: 'v20' }, spec: { file: 'specs/x.yml', hash: 'abc123' },
    backend: 'test', backendWhy: '--backend', product: 'atlas-a2', productWhy: '--product', profile: 'smoke', seed: 0,
    devices: [{ backend: 'test', product: null, socName: 'Test SoC', device: 'cpu', simulated: true, versions: { node: 'v20' }, enforcesContract: true, notes: [] }],
    reference: { impl: 'twin', engine: null, why: '' }, simulated: true, argv: [], startedAt: 'a', finishedAt: 'b',
    ...over,
  };
}
