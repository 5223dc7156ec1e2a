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

/** One Atlas product (spec `products`). */
export interface Product {
  id: string;
  title: string;
  family: string;
  socNames: string[];
  tables: string[];
  aiCores: number | null;
  pertokenSupported: Fact<boolean> | null;
  fp16Overflow: Fact<Fp16Overflow> | null;
  peak: { int8Tops: number; bandwidthGBs: number; confidence: string; source: string } | null;
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

/** Shape rules: structured forms, one kind each (schema `shapeRule`). */
export type ShapeRule =
  | { kind: 'rank'; id: string; tensors: ('x1' | 'weight')[]; min: number; max: number; text: string; pos: SourcePos }
  | { kind: 'contraction'; id: string; text: string; pos: SourcePos }
  | { kind: 'broadcast'; id: string; tensors: ('x1' | 'weight')[]; text: string; pos: SourcePos }
  | { kind: 'dim-limit'; id: string; dims: Dim[]; max: number; text: string; pos: SourcePos }
  | { kind: 'vector-length'; id: string; tensor: 'scale' | 'offset' | 'pertoken_scale'; lengths: LengthSymbol[]; text: string; pos: SourcePos }
  | { kind: 'bias-shape'; id: string; forms: { shape: (string | number)[]; outputRank: number | null }[]; text: string; pos: SourcePos }
  | { kind: 'non-empty'; id: string; tensors: string[]; text: string; pos: SourcePos };

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
  /** dtype condition: per column the values it applies to (absent column: any) */
  when: Partial<{ [C in Column]: CellValue[] }> | null;
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
  module: string;
  op: string;
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
  /** module parameter texts, for `doc` */
  parameters: Record<string, { text: string; defaultValue: string | boolean | null; noneMeans?: string }>;
}
