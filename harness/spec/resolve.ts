import * as crypto from 'crypto';
import * as path from 'path';
import { COLUMNS, cellFromText, type CellValue, type Column, type Dtype } from '../dtypes';
import type { SourcePos } from './positions';
import { joinPointer, positionOf, type SpecSource } from './source';
import type {
  Distribution, DivergenceSpec, Fp16Overflow, Generator, ModuleGuard, Product, ShapeClass, ShapeRule, Spec, Table, TableRow,
} from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- the raw value passed the schema; shapes are known */
type Raw = any;

/**
 * Turns a schema-valid document into a Spec: alternatives split, defaults filled in one place,
 * positions attached. Call only after validateSchema returned no diagnostics.
 */
export function resolveSpec(src: SpecSource, text: string): Spec {
  const raw = src.value as Raw;
  const at = (...segs: (string | number)[]): SourcePos => {
    const p = positionOf(src, joinPointer(segs));
    return { file: src.file, line: p.line, column: p.column };
  };
  const domain = Object.fromEntries(COLUMNS.map((c) => [c, (raw.domain[c] as string[]).map(cellFromText)])) as {
    [C in Column]: CellValue[];
  };
  const products: Product[] = Object.entries(raw.products as Record<string, Raw>).map(([id, p]) => ({
    id, title: p.title, family: p.family, socNames: p.socNames, tables: p.tables, aiCores: p.aiCores ?? null,
    pertokenSupported: p.facts?.pertoken
      ? { value: p.facts.pertoken.supported as boolean, status: p.facts.pertoken.status, source: p.facts.pertoken.source }
      : null,
    fp16Overflow: p.facts?.fp16Overflow
      ? { value: p.facts.fp16Overflow.behaviour as Fp16Overflow, status: p.facts.fp16Overflow.status, source: p.facts.fp16Overflow.source }
      : null,
    peak: p.peak ?? null,
    pos: at('products', id),
  }));
  const tables: Table[] = Object.entries(raw.tables as Record<string, Raw>).map(([id, t]) => ({
    id, title: t.title, note: t.note ?? null, pos: at('tables', id),
    rows: (t.rows as Raw[]).map((r, i): TableRow => ({
      key: `${id}#${r.row}`, table: id, row: r.row, pos: at('tables', id, 'rows', i),
      cells: Object.fromEntries(COLUMNS.map((c) => [c, String(r[c]).split('/').map(cellFromText)])) as TableRow['cells'],
      text: Object.fromEntries(COLUMNS.map((c) => [c, String(r[c])])) as TableRow['text'],
      cellPos: Object.fromEntries(COLUMNS.map((c) => [c, at('tables', id, 'rows', i, c)])) as TableRow['cellPos'],
    })),
  }));
  const guards: ModuleGuard[] = ((raw.module.guards ?? []) as Raw[]).map((g, i) => ({
    id: g.id, text: g.text, allowed: g.allowed as [Dtype, Dtype][], probes: g.probes as [Dtype, Dtype][],
    source: g.source, raises: (g.raises as string | undefined) ?? null, pos: at('module', 'guards', i),
  }));
  const shapeRules = (raw.shapeRules as Raw[]).map((r, i) => resolveRule(r, at('shapeRules', i)));
  const divergences: DivergenceSpec[] = ((raw.divergences ?? []) as Raw[]).map((d, i) => ({
    id: d.id, products: d.products, library: d.library, condition: d.condition, source: d.source,
    when: d.when
      ? Object.fromEntries(Object.entries(d.when as Record<string, string[]>).map(([c, vs]) => [c, vs.map(cellFromText)]))
      : null,
    rule: d.rule ?? null, dim: d.dim ?? null, minRank: d.minRank ?? null, pos: at('divergences', i),
  }));
  const shapeClasses: ShapeClass[] = ((raw.shapeClasses ?? []) as Raw[]).map((s, i) => ({
    id: s.id, m: s.m, k: s.k, n: s.n, t: s.t ?? 'n', x1Batch: s.x1Batch ?? [], weightBatch: s.weightBatch ?? [],
    biasForm: s.biasForm ?? '1d', tags: s.tags ?? [], pos: at('shapeClasses', i),
  }));
  const distributions: Distribution[] = ((raw.distributions ?? []) as Raw[]).map((d, i) => ({
    id: d.id, text: d.text, applies: d.applies ?? [], x1: d.x1 as Generator, weight: d.weight as Generator,
    scale: d.scale as Generator, offset: d.offset ?? null, bias: d.bias ?? null, pertoken_scale: d.pertoken_scale ?? null,
    tags: d.tags ?? [], pos: at('distributions', i),
  }));
  const performance = ((raw.performance ?? []) as Raw[]).map((x, i) => ({
    id: x.id, m: x.m, k: x.k, n: x.n, smoke: x.smoke, pos: at('performance', i),
  }));
  const parameters = Object.fromEntries(Object.entries((raw.module.parameters ?? {}) as Record<string, Raw>)
    .map(([k, v]) => [k, {
      text: v.text as string, defaultValue: (v.default ?? null) as string | boolean | null,
      ...(v.noneMeans !== undefined ? { noneMeans: v.noneMeans as string } : {}),
    }]));
  return {
    id: (raw.spec.id as string | undefined) ?? path.basename(src.file).replace(/\.ya?ml$/, ''),
    file: src.file, hash: crypto.createHash('sha256').update(text).digest('hex'),
    module: raw.spec.module, op: raw.spec.op, doc: raw.spec.doc ?? null, domain, products, tables, guards, shapeRules, divergences,
    shapeClasses, distributions, performance, parameters,
    comparison: {
      default: raw.comparison?.default ?? 'exact',
      bf16Tolerance: raw.comparison?.bf16Tolerance ?? 0.001,
      overrides: raw.comparison?.overrides ?? [],
    },
  };
}

function resolveRule(r: Raw, pos: SourcePos): ShapeRule {
  switch (r.kind as ShapeRule['kind']) {
    case 'rank': return { kind: 'rank', id: r.id, tensors: r.tensors, min: r.min, max: r.max, text: r.text, pos };
    case 'contraction': return { kind: 'contraction', id: r.id, text: r.text, pos };
    case 'broadcast': return { kind: 'broadcast', id: r.id, tensors: r.tensors, text: r.text, pos };
    case 'dim-limit': return { kind: 'dim-limit', id: r.id, dims: r.dims, max: r.max, text: r.text, pos };
    case 'vector-length': return { kind: 'vector-length', id: r.id, tensor: r.tensor, lengths: r.lengths, text: r.text, pos };
    case 'bias-shape':
      return { kind: 'bias-shape', id: r.id, text: r.text, pos,
        forms: (r.forms as Raw[]).map((f) => ({ shape: f.shape, outputRank: f.outputRank ?? null })) };
    case 'non-empty': return { kind: 'non-empty', id: r.id, tensors: r.tensors, text: r.text, pos };
  }
}
