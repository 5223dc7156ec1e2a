import * as crypto from 'crypto';
import * as path from 'path';
import { COLUMNS, cellFromText, type CellValue, type Column, type Dtype } from '../dtypes';
import type { SourcePos } from './positions';
import { joinPointer, positionOf, type SpecSource } from './source';
import type {
  Condition, Distribution, DivergenceSpec, Fp16Overflow, Generator, InputSpec, ModuleGuard, NumericsEntry, Parameter,
  Product, ShapeClass, ShapeRule, ShapeSymbol, Spec, Table, TableRow,
} from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- the raw value passed the schema; shapes are known */
type Raw = any;

/** Name -> role of the declared inputs; a name no input declares maps to itself (lint reports it). */
export type RoleOf = (name: string) => Column;

/**
 * Turns a schema-valid document into a Spec: alternatives split, input names turned into their roles,
 * defaults filled in one place, positions attached. Call only after validateSchema returned no diagnostics.
 */
export function resolveSpec(src: SpecSource, text: string): Spec {
  const raw = src.value as Raw;
  const at = (...segs: (string | number)[]): SourcePos => {
    const p = positionOf(src, joinPointer(segs));
    return { file: src.file, line: p.line, column: p.column };
  };
  const inputs: InputSpec[] = Object.entries((raw.inputs ?? {}) as Record<string, Raw>).map(([name, v]) => ({
    name, role: v.role as Column, dtypes: (v.dtypes as string[]).map(cellFromText),
    packed: Object.entries((v.packed ?? {}) as Record<string, Raw>).map(([dtype, p]) => ({ dtype: dtype as Dtype, as: p.as, per: p.per, along: p.along })),
    layout: v.layout ?? 'nk', text: v.text ?? null, pos: at('inputs', name),
  }));
  const byName = new Map(inputs.map((i) => [i.name, i.role]));
  const roleOf: RoleOf = (name) => byName.get(name) ?? (name as Column);
  const nameOf = (role: Column): string => inputs.find((i) => i.role === role)?.name ?? role;
  const domain = Object.fromEntries(COLUMNS.map((c) => [c, inputs.find((i) => i.role === c)?.dtypes ?? [null]])) as {
    [C in Column]: CellValue[];
  };
  const condition = (c: Raw): Condition => ({
    dtypes: c?.when ? Object.fromEntries(Object.entries(c.when as Record<string, string[]>).map(([n, vs]) => [roleOf(n), vs.map(cellFromText)])) : null,
    rows: c?.rows ?? null,
  });
  const products: Product[] = Object.entries(raw.products as Record<string, Raw>).map(([id, p]) => {
    const facts = Object.fromEntries(Object.entries((p.facts ?? {}) as Record<string, Raw>)
      .map(([k, f]) => [k, { value: f.value, status: f.status, source: f.source, pos: at('products', id, 'facts', k) }]));
    const fact = <T>(key: string): { value: T; status: any; source: string } | null =>
      facts[key] ? { value: facts[key]!.value as T, status: facts[key]!.status, source: facts[key]!.source } : null;
    return {
      id, title: p.title, family: p.family, socNames: p.socNames, tables: p.tables, aiCores: p.aiCores ?? null, facts,
      pertokenSupported: fact<boolean>('pertoken'), fp16Overflow: fact<Fp16Overflow>('fp16Overflow'),
      peak: p.peak ? { ...p.peak, int8Tops: p.peak.tops.int8 ?? null } : null,
      pos: at('products', id),
    };
  });
  const tables: Table[] = Object.entries(raw.tables as Record<string, Raw>).map(([id, t]) => ({
    id, title: t.title, note: t.note ?? null, pos: at('tables', id),
    rows: (t.rows as Raw[]).map((r, i): TableRow => ({
      key: `${id}#${r.row}`, table: id, row: r.row, pos: at('tables', id, 'rows', i),
      cells: Object.fromEntries(COLUMNS.map((c) => [c, r[nameOf(c)] === undefined ? [null] : String(r[nameOf(c)]).split('/').map(cellFromText)])) as TableRow['cells'],
      text: Object.fromEntries(COLUMNS.map((c) => [c, r[nameOf(c)] === undefined ? 'None' : String(r[nameOf(c)])])) as TableRow['text'],
      cellPos: Object.fromEntries(COLUMNS.map((c) => [c, at('tables', id, 'rows', i, nameOf(c))])) as TableRow['cellPos'],
    })),
  }));
  const callSection = raw.call ?? {};
  const guards: ModuleGuard[] = ((callSection.guards ?? []) as Raw[]).map((g, i) => ({
    id: g.id, text: g.text, allowed: g.allowed as [Dtype, Dtype][], probes: g.probes as [Dtype, Dtype][],
    source: g.source, raises: (g.raises as string | undefined) ?? null, pos: at('call', 'guards', i),
  }));
  const shapeRules = (raw.shapeRules as Raw[]).map((r, i) => resolveRule(r, condition(r), roleOf, at('shapeRules', i)));
  const divergences: DivergenceSpec[] = ((raw.divergences ?? []) as Raw[]).map((d, i) => ({
    id: d.id, products: d.products, library: d.library, condition: d.condition, source: d.source,
    when: d.when || d.rows ? condition(d) : null,
    versions: { torch_npu: d.versions?.torch_npu ?? 'all', cann: d.versions?.cann ?? 'all' },
    rule: d.rule ?? null, dim: d.dim ?? null, minRank: d.minRank ?? null, pos: at('divergences', i),
  }));
  const shapeClasses: ShapeClass[] = ((raw.shapeClasses ?? []) as Raw[]).map((s, i) => ({
    id: s.id, m: s.m, k: s.k, n: s.n, t: s.t ?? 'n', x1Batch: s.x1Batch ?? [], weightBatch: s.weightBatch ?? [],
    biasForm: s.biasForm ?? '1d', when: condition(s), groupSizes: s.groupSizes ?? null, tags: s.tags ?? [], pos: at('shapeClasses', i),
  }));
  const gen = (d: Raw, role: Column): Generator | null => (d[nameOf(role)] as Generator | undefined) ?? null;
  const distributions: Distribution[] = ((raw.distributions ?? []) as Raw[]).map((d, i) => ({
    id: d.id, text: d.text, applies: (d.applies ?? []).map(roleOf), when: condition(d),
    x1: gen(d, 'x1')!, weight: gen(d, 'weight')!, scale: gen(d, 'scale')!,
    offset: gen(d, 'offset'), bias: gen(d, 'bias'), pertoken_scale: gen(d, 'pertoken_scale'),
    tags: d.tags ?? [], pos: at('distributions', i),
  }));
  const performance = ((raw.performance ?? []) as Raw[]).map((x, i) => ({
    id: x.id, m: x.m, k: x.k, n: x.n, smoke: x.smoke, when: condition(x), pos: at('performance', i),
  }));
  const numerics: NumericsEntry[] = ((raw.numerics ?? []) as Raw[]).map((e, i) => ({
    path: e.path, when: condition(e), text: e.text ?? null, pos: at('numerics', i),
  }));
  const parameters: Parameter[] = Object.entries((callSection.parameters ?? {}) as Record<string, Raw>).map(([name, v]) => ({
    name, type: v.type, text: v.text as string, defaultValue: v.default ?? null,
    ...(v.noneMeans !== undefined ? { noneMeans: v.noneMeans as string } : {}),
    input: v.input !== undefined ? roleOf(v.input) : null, dim: v.dim ?? null,
    values: v.values ? (v.values as string[]).map(cellFromText) : null,
    perProduct: Object.fromEntries(Object.entries((v.perProduct ?? {}) as Record<string, string[]>).map(([p, vs]) => [p, vs.map(cellFromText)])),
    reserved: v.reserved ?? false, length: v.length ?? null, pos: at('call', 'parameters', name),
  }));
  const module = (raw.spec.module as string | undefined) ?? null;
  return {
    id: (raw.spec.id as string | undefined) ?? path.basename(src.file).replace(/\.ya?ml$/, ''),
    file: src.file, hash: crypto.createHash('sha256').update(text).digest('hex'),
    module, op: raw.spec.op, target: raw.spec.target ?? (module !== null ? 'module' : 'op'), inputs, numerics,
    doc: raw.spec.doc ?? null, domain, products, tables, guards, shapeRules, divergences,
    shapeClasses, distributions, performance, parameters,
    comparison: {
      default: raw.comparison?.default ?? 'exact',
      bf16Tolerance: raw.comparison?.bf16Tolerance ?? 0.001,
      overrides: raw.comparison?.overrides ?? [],
    },
  };
}

/** `k/256` -> { dim: 'k', div: 256 }; 1, m, k, n as they are. */
function symbolOf(x: string | number): ShapeSymbol {
  if (x === 1 || x === 'm' || x === 'k' || x === 'n') return x;
  const [dim, div] = String(x).split('/');
  return { dim: dim as 'm' | 'k' | 'n', div: Number(div) };
}

function resolveRule(r: Raw, when: Condition, roleOf: RoleOf, pos: SourcePos): ShapeRule {
  const base = { id: r.id as string, text: r.text as string, when, pos };
  const roles = (names: string[]): any[] => names.map(roleOf);
  switch (r.kind as ShapeRule['kind']) {
    case 'rank': return { ...base, kind: 'rank', tensors: roles(r.tensors), min: r.min, max: r.max };
    case 'contraction': return { ...base, kind: 'contraction' };
    case 'broadcast': return { ...base, kind: 'broadcast', tensors: roles(r.tensors) };
    case 'dim-limit': return { ...base, kind: 'dim-limit', dims: r.dims, max: r.max };
    case 'vector-length': return { ...base, kind: 'vector-length', tensor: roleOf(r.tensor) as any, lengths: r.lengths };
    case 'bias-shape':
      return { ...base, kind: 'bias-shape', forms: (r.forms as Raw[]).map((f) => ({ shape: f.shape, outputRank: f.outputRank ?? null })) };
    case 'non-empty': return { ...base, kind: 'non-empty', tensors: roles(r.tensors) };
    case 'multiple-of': return { ...base, kind: 'multiple-of', dims: r.dims, of: r.of };
    case 'contiguous': return { ...base, kind: 'contiguous', tensors: roles(r.tensors) };
    case 'tensor-shape':
      return { ...base, kind: 'tensor-shape', tensor: roleOf(r.tensor) as any, forms: (r.forms as (string | number)[][]).map((f) => f.map(symbolOf)) };
  }
}
