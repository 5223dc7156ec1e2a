import type { CellValue, Column, Dtype } from '../dtypes';
import type { SourcePos } from './positions';

/** How fp16 overflow behaves: inf, saturation to +-65504, or either (unsettled: docs/semantics.md §2.9). */
export type Fp16Overflow = 'inf' | 'saturate' | 'either';

/** A fact about a product and how sure we are of it. */
export interface Fact<T> {
  value: T;
  status: 'documented' | 'verified-source' | 'golden' | 'inferred' | 'unsettled';
  source: string;
}

/** A product's peak: TOPS per operand dtype, memory bandwidth, and how sure the figure is. */
export interface Peak {
  tops: Partial<Record<'int8' | 'int4', number>>;
  /** `tops.int8`, the figure the performance report divides by (null where only int4 is given) */
  int8Tops: number | null;
  bandwidthGBs: number;
  confidence: string;
  source: string;
}

/** One Atlas product (spec `products`). */
export interface Product {
  id: string;
  title: string;
  family: string;
  socNames: string[];
  tables: string[];
  aiCores: number | null;
  /** every fact the spec states, by its open key */
  facts: Record<string, Fact<unknown> & { pos: SourcePos }>;
  /** the facts the harness reads (`pertoken`, `fp16Overflow`), typed; lint checks their values */
  pertokenSupported: Fact<boolean> | null;
  fp16Overflow: Fact<Fp16Overflow> | null;
  peak: Peak | null;
  pos: SourcePos;
}

/** How the op packs narrower values into a storage dtype (int4 eight to an int32, along k or n). */
export interface PackedDtype {
  dtype: Dtype;
  as: 'int4';
  per: 8;
  /** the logical dim the values are packed along */
  along: 'k' | 'n';
}

/** One input of the op or module as the spec declares it: the doc's name, its role, its dtype domain. */
export interface InputSpec {
  /** the doc's name: the table column and the keyword the call uses */
  name: string;
  /** what the input is to the harness; a closed set (dtypes.ts COLUMNS) */
  role: Column;
  dtypes: CellValue[];
  packed: PackedDtype[];
  /** the weight's last two dims as the doc writes them; the harness keeps (n, k) internally */
  layout: 'nk' | 'kn';
  text: string | null;
  pos: SourcePos;
}

/**
 * A condition on a call: per input role the dtypes it must have, and/or the table rows one of which
 * must allow the combination. Null parts match everything.
 */
export interface Condition {
  dtypes: Partial<{ [C in Column]: CellValue[] }> | null;
  rows: string[] | null;
}

/** One entry of `numerics`: the path that judges the combinations it matches. */
export interface NumericsEntry {
  path: string;
  when: Condition;
  text: string | null;
  pos: SourcePos;
}

/** A call parameter of the target (module constructor or op keyword). */
export interface Parameter {
  name: string;
  type: 'int' | 'bool' | 'dtype' | 'int-list' | 'tensor' | 'any';
  text: string;
  defaultValue: string | boolean | number | number[] | null;
  noneMeans?: string;
  /** the input role this parameter passes or switches on */
  input: Column | null;
  /** an int parameter that carries a logical dim (k: unpacked, even for packed inputs) */
  dim: 'k' | 'n' | null;
  values: CellValue[] | null;
  perProduct: Record<string, CellValue[]>;
  reserved: boolean;
  length: number | null;
  pos: SourcePos;
}

/** One row of a vendor dtype table: per column, the alternatives the doc writes. */
export interface TableRow {
  /** `table2#3` */
  key: string;
  table: string;
  row: number;
  /** alternatives per column, as written (`int64/float32` -> ['int64','float32']; `None` -> [null]) */
  cells: { [C in Column]: CellValue[] };
  /** the doc's spelling per column, for rendering back */
  text: { [C in Column]: string };
  pos: SourcePos;
  /** position of each cell */
  cellPos: { [C in Column]: SourcePos };
}

export interface Table {
  id: string;
  title: string;
  note: string | null;
  rows: TableRow[];
  pos: SourcePos;
}

export type Dim = 'm' | 'k' | 'n';
export type LengthSymbol = '1' | 'm' | 'n';
/** A dim of a tensor-shape form: 1, m, k, n, or a logical dim divided by a whole number (`k/256`). */
export type ShapeSymbol = 1 | 'm' | 'k' | 'n' | { dim: Dim; div: number };
/** The inputs that are small side tensors (scales, offsets): the ones a tensor-shape rule shapes. */
export type SideTensor = 'scale' | 'offset' | 'pertoken_scale';

/** What every shape rule has: an id, the doc's words, where it stands, and when it applies. */
interface RuleBase { id: string; text: string; when: Condition; pos: SourcePos }

/** Shape rules: structured forms, one kind each (schema `shapeRule`). Tensors are input roles. */
export type ShapeRule =
  | RuleBase & { kind: 'rank'; tensors: ('x1' | 'weight')[]; min: number; max: number }
  | RuleBase & { kind: 'contraction' }
  | RuleBase & { kind: 'broadcast'; tensors: ('x1' | 'weight')[] }
  | RuleBase & { kind: 'dim-limit'; dims: Dim[]; max: number }
  | RuleBase & { kind: 'vector-length'; tensor: SideTensor; lengths: LengthSymbol[] }
  | RuleBase & { kind: 'bias-shape'; forms: { shape: (string | number)[]; outputRank: number | null }[] }
  | RuleBase & { kind: 'non-empty'; tensors: string[] }
  | RuleBase & { kind: 'multiple-of'; dims: Dim[]; of: number }
  | RuleBase & { kind: 'contiguous'; tensors: Column[] }
  | RuleBase & { kind: 'tensor-shape'; tensor: SideTensor; forms: ShapeSymbol[][] };

export interface ModuleGuard {
  id: string;
  text: string;
  allowed: [Dtype, Dtype][];
  probes: [Dtype, Dtype][];
  source: string;
  /** the exception type the module raises for this guard, before the op is called (null: not known) */
  raises: string | null;
  pos: SourcePos;
}

/** A known contradiction between the doc and the shipped library. */
export interface DivergenceSpec {
  id: string;
  products: string[];
  /** dtype and row condition (null: a shape-rule divergence keyed by `rule` alone) */
  when: Condition | null;
  /** the library versions it holds for: prefixes of the run's stamp, or 'all' */
  versions: { torch_npu: string[] | 'all'; cann: string[] | 'all' };
  /** a shape-rule divergence: the rule and the dim it concerns */
  rule: string | null;
  dim: Dim | null;
  /** applies only when x1 has at least this rank */
  minRank: number | null;
  library: 'accept' | 'reject';
  condition: string;
  source: string;
  pos: SourcePos;
}

export interface ShapeClass {
  id: string;
  m: number;
  k: number;
  n: number;
  t: '1' | 'n';
  x1Batch: number[];
  weightBatch: number[];
  biasForm: '1d' | '3d';
  /** the combinations the class is limited to */
  when: Condition;
  /** group_sizes passed with the class's cases (the per-group row), null: not passed */
  groupSizes: number[] | null;
  tags: string[];
  pos: SourcePos;
}

/** A value generator as the spec writes it; the data stage implements each kind. */
export type Generator =
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'choice'; values: (number | 'inf' | '-inf' | 'nan')[] }
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'output-range'; target: number }
  | { kind: 'low-mantissa'; target: number }
  | { kind: 'power-of-two'; minExp: number; maxExp: number }
  | { kind: 'accumulator-scale'; factor: number }
  | { kind: 'int32-range' };

export interface Distribution {
  id: string;
  text: string;
  /** optional inputs the combination must have for this distribution to apply */
  applies: ('bias' | 'offset' | 'pertoken_scale')[];
  /** the combinations the distribution is limited to */
  when: Condition;
  x1: Generator;
  weight: Generator;
  scale: Generator;
  offset: Generator | null;
  bias: Generator | null;
  pertoken_scale: Generator | null;
  tags: string[];
  pos: SourcePos;
}

/** A shape the backends time for the performance report. */
export interface PerfShape {
  id: string;
  m: number;
  k: number;
  n: number;
  /** kept by the smoke profile */
  smoke: boolean;
  when: Condition;
  pos: SourcePos;
}

export interface ComparisonPolicy {
  default: 'exact' | 'vendor' | 'bound';
  bf16Tolerance: number;
  overrides: { products: string[]; paths: string[]; mode: 'exact' | 'vendor' | 'bound' }[];
}

/** A vendor doc by origin: the repository, the file's path in it and the commit it was read at. */
export interface DocOrigin {
  repo: string;
  path: string;
  commit: string;
}

/** A resolved spec: validated, every default filled in, positions kept. Downstream code trusts it. */
export interface Spec {
  /** the spec's stable id (`spec.id`); every case id starts with it */
  id: string;
  file: string;
  /** sha256 of the file's bytes, stamped into results and bundles */
  hash: string;
  /** the module's dotted name, null for an op spec */
  module: string | null;
  op: string;
  /** what the contract is about and the harness calls by default */
  target: 'module' | 'op';
  /** the declared inputs, in the doc's order */
  inputs: InputSpec[];
  /** which numeric path judges which combination (first match) */
  numerics: NumericsEntry[];
  /** where the vendor doc the tables are read from lives (the doc's text stays the vendor's); null: not given */
  doc: DocOrigin | null;
  domain: { [C in Column]: CellValue[] };
  products: Product[];
  tables: Table[];
  guards: ModuleGuard[];
  shapeRules: ShapeRule[];
  divergences: DivergenceSpec[];
  shapeClasses: ShapeClass[];
  distributions: Distribution[];
  performance: PerfShape[];
  comparison: ComparisonPolicy;
  /** the target's parameters, in the spec's order */
  parameters: Parameter[];
}
