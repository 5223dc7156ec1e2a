import type { Column, CellValue, OutputDtype } from '../dtypes';
import type { PathId } from '../numerics';
import type { PackedDtype } from '../spec/types';
import type { CaseShapes, SourcePos } from '../spec/positions';
import type { ScaleBuild } from './scale-build';

// Defined in the spec stage (which imports nothing above it) and re-exported for the stages after it.
export type { CaseShapes, SourcePos };

/** Atlas product ids used throughout (spec `products` keys). */
export type ProductId = string;

/** Why a case is expected to be rejected. */
export interface RejectedBy {
  /** dtype: no table row allows the combination; shape: a shape rule is broken; module: the module's own guard. */
  kind: 'dtype' | 'shape' | 'module';
  /** the rule id (shape rule or module guard) or `outside-table` for dtype rejections */
  rule: string;
  /** for module guards: the exception type the module itself raises (another type means the op refused it) */
  raises?: string;
}

/** What the shipped library does instead of what the doc says, and when. */
export interface Divergence {
  /** the spec's divergence id */
  id: string;
  /** what the library does: `reject` where the doc accepts, `accept` where it rejects */
  library: 'accept' | 'reject';
  /** products, torch_npu/CANN versions */
  condition: string;
  /** where it is written down */
  source: string;
  /** the torch_npu and CANN versions it holds for (prefixes); absent: every version */
  versions?: { torch_npu: string[] | 'all'; cann: string[] | 'all' };
}

/** How the module (or op) is called: what the caller passes, as opposed to effective dtypes. */
export interface CaseCall {
  /** `module`: the spec's module as in its vendor doc; `op`: the op directly */
  target: 'module' | 'op';
  /** the dotted name called: the spec's module for `module`, its op for `op` */
  callee: string;
  /** group_sizes passed to the op ([group_m, group_n, group_k]); null: not passed */
  groupSizes: number[] | null;
  in_features: number;
  out_features: number;
  bias: boolean;
  offset: boolean;
  pertoken_scale: boolean;
  /** what was passed as output_dtype: null (None) or a dtype name */
  output_dtype: OutputDtype | null;
  /** the weight's storage format on the device */
  weightFormat: 'ND' | 'NZ';
  /** eager module/op call, or torch.compile with torchair */
  mode: 'eager' | 'graph';
  /** pass x1, scale and pertoken_scale as non-contiguous views (every other element of a larger buffer) */
  strided: boolean;
  /** for int64 scales: how the case builds them (scale-build.ts); absent for float scales */
  scaleBuild?: ScaleBuild;
}

/** One concrete, replayable case: the whole recipe. */
export interface Case {
  /** stable, readable, derived from spec content only */
  id: string;
  /** the id of the spec the case comes from (its id's first segment) */
  spec: string;
  product: ProductId;
  /** the vendor doc's verdict */
  expect: 'accept' | 'reject';
  rejectedBy: RejectedBy | null;
  divergence: Divergence | null;
  /** effective dtypes, absent inputs null; output_dtype is the effective dtype (int8 when None passed) */
  dtypes: { [C in Column]: CellValue };
  shapes: CaseShapes;
  call: CaseCall;
  /** the shape class id the shapes came from (or `edge:<rule>:<side>` for rule edges) */
  shapeClass: string;
  /** the distribution id of the data */
  distribution: string;
  /** data seed: a function of (run seed, case id) only */
  seed: number;
  /** defect classes and other labels: tail, broadcast, large, op, undefined-input, ... */
  tags: string[];
  /** the numeric path the spec's `numerics` names for the dtypes (null: none, e.g. a module-guard probe) */
  path: PathId | null;
  /** inputs stored packed (int4 eight to an int32), with the logical dim they pack; shapes are logical */
  packing: Partial<Record<'x1' | 'weight', PackedDtype>>;
  /** the first row or rule the case came from */
  source: SourcePos;
  /** every table row that allows the combination, e.g. `table2#1` */
  rows: string[];
  /** every shape rule id the case exercises at or across its edge */
  rules: string[];
  /** total bytes of inputs and output, for cases tagged `large` */
  bytes: number;
  /** how many times the backend runs it; results must be bit-identical (the `repeat` tag) */
  repeat: number;
}

