import { COLUMNS, cellFromText, cellToText, type CellValue, type Column, type DtypeCombo } from '../dtypes';
import { ErrorCode, type Diagnostic } from '../errors';
import { numericPath, PATH_IDS, REFERENCE_FORMS } from '../numerics';
import { combosOfRow } from './combos';
import { matchesCondition, rowByKey } from './condition';
import { pathOf } from './numerics';
import { pointerAt, pointerSegments, type SpecSource } from './source';
import { isScalar, visit, type Node } from 'yaml';
import type { Generator, Spec } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- reads the raw document for the names as written */
type Raw = any;
type Emit = (segs: (string | number)[], expected: string, got: string, code: Diagnostic['code'], severity?: 'warning') => void;

/**
 * The checks of the open language: every name a spec uses is one it declares (inputs, rows, products,
 * paths), every closed set is named with its members where a value falls outside it, and everything the
 * expansion and the run will rely on is there (a numeric path per row, a distribution for every
 * combination, generators that fit their input's dtype, rule edges small enough to build).
 */
export function checkOpenLanguage(spec: Spec, src: SpecSource, emit: Emit): void {
  const raw = src.value as Raw;
  const names = spec.inputs.map((i) => i.name);
  const nameList = names.join(', ');
  checkInputs(spec, emit);
  checkRowKeys(raw, names, emit);
  // every `when` / `rows` condition, wherever it stands
  const sections: [string, Raw[]][] = [
    ['shapeRules', raw.shapeRules ?? []], ['divergences', raw.divergences ?? []], ['shapeClasses', raw.shapeClasses ?? []],
    ['distributions', raw.distributions ?? []], ['numerics', raw.numerics ?? []], ['performance', raw.performance ?? []],
  ];
  for (const [section, items] of sections) {
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => checkCondition(spec, item, [section, i], names, emit));
  }
  (Array.isArray(raw.shapeRules) ? raw.shapeRules : []).forEach((r: Raw, i: number) => {
    const tensors: string[] = r?.tensors ?? (r?.tensor !== undefined ? [r.tensor] : []);
    tensors.forEach((t, j) => {
      if (!names.includes(t)) emit(['shapeRules', i, r.tensors ? 'tensors' : 'tensor', ...(r.tensors ? [j] : [])], `a declared input (${nameList})`, `'${t}'`, ErrorCode.UNKNOWN_NAME);
    });
  });
  checkGeneratorNames(raw, names, emit);
  checkParameters(spec, raw, names, emit);
  checkFacts(spec, emit);
  checkNumerics(spec, emit);
  checkDistributionsFit(spec, emit);
  checkClassesApply(spec, emit);
  checkUnusedGenerators(spec, emit);
  checkEdgeSizes(spec, emit);
  checkReferenceForms(spec, emit);
  checkCutTexts(src, emit);
}

/** The keys whose values are prose, where a ` #` is more likely part of the text than a comment. */
const TEXT_KEYS = ['text', 'source', 'condition', 'title', 'note'];

/**
 * In YAML, ` #` after a plain value starts a comment: `source: vllm-ascend #3257; ...` keeps only
 * `vllm-ascend`. A prose value followed by a comment on its line is a warning: quote the value if the
 * `#` belongs to it.
 */
function checkCutTexts(src: SpecSource, emit: Emit): void {
  visit(src.doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!isScalar(key) || !isScalar(value) || value.type !== 'PLAIN' || !value.comment || !TEXT_KEYS.includes(String(key.value))) return;
      const pointer = pointerAt(src.doc, value.range?.[0] ?? 0);
      emit(pointerSegments(pointer), `the whole ${String(key.value)} (a quoted value if '#' is part of it: in YAML ' #' starts a comment)`,
        `'${String(value.value)}' and a comment '#${value.comment.trim()}'`, ErrorCode.TEXT_CUT, 'warning');
    },
  });
}

/**
 * The side-tensor shapes a spec's rules admit must be ones the reference computes with (numerics.ts
 * REFERENCE_FORMS): a form outside them is a warning, since its cases would be refused by the reference.
 */
function checkReferenceForms(spec: Spec, emit: Emit): void {
  const text = (sym: unknown): string => (typeof sym === 'object' && sym !== null ? `${(sym as { dim: string }).dim}/G` : String(sym));
  spec.shapeRules.forEach((r, i) => {
    let tensor: keyof typeof REFERENCE_FORMS | null = null;
    let forms: string[] = [];
    if (r.kind === 'vector-length') { tensor = r.tensor; forms = r.lengths.map(String); }
    if (r.kind === 'tensor-shape') { tensor = r.tensor; forms = r.forms.map((f) => f.map(text).join(',')); }
    if (r.kind === 'bias-shape') { tensor = 'bias'; forms = r.forms.map((f) => f.shape.map(String).join(',')); }
    if (tensor === null) return;
    const known: readonly string[] = REFERENCE_FORMS[tensor];
    for (const f of forms.filter((x) => !known.includes(x))) {
      emit(['shapeRules', i], `${tensor} shapes the reference computes with (${known.map((x) => `(${x})`).join(', ')}: harness/numerics.ts REFERENCE_FORMS)`, `(${f})`, ErrorCode.REFERENCE_FORM, 'warning');
    }
  });
}

function checkInputs(spec: Spec, emit: Emit): void {
  for (const role of COLUMNS) {
    const with_ = spec.inputs.filter((i) => i.role === role);
    if (with_.length === 0) emit(['inputs'], `an input with role ${role} (every role of ${COLUMNS.join(', ')} once)`, 'none', ErrorCode.INPUT_ROLE);
    with_.slice(1).forEach((i) => emit(['inputs', i.name, 'role'], `role ${role} on one input (already on '${with_[0]!.name}')`, `'${i.name}'`, ErrorCode.INPUT_ROLE));
  }
  for (const i of spec.inputs) {
    if (i.role !== 'weight' && i.layout !== 'nk') emit(['inputs', i.name, 'layout'], 'layout only on the weight role', `layout on ${i.role}`, ErrorCode.CONTRADICTION);
    for (const p of i.packed) {
      if (!i.dtypes.includes(p.dtype)) emit(['inputs', i.name, 'packed', p.dtype], `a dtype of the input's dtypes (${i.dtypes.map(cellToText).join(', ')})`, `'${p.dtype}'`, ErrorCode.DTYPE_OUTSIDE_DOMAIN);
      if (i.role !== 'x1' && i.role !== 'weight') emit(['inputs', i.name, 'packed'], 'packed dtypes on x1 or weight (the operands)', `packed on ${i.role}`, ErrorCode.CONTRADICTION);
      if (i.role === 'x1' && p.along !== 'k') emit(['inputs', i.name, 'packed', p.dtype, 'along'], 'k (x1 is (m, k): the library refuses a transposed x1)', `'${p.along}'`, ErrorCode.CONTRADICTION);
    }
  }
}

/** Table rows name the declared inputs, each once, and no other column. */
function checkRowKeys(raw: Raw, names: string[], emit: Emit): void {
  for (const [id, t] of Object.entries((raw.tables ?? {}) as Record<string, Raw>)) {
    (Array.isArray(t?.rows) ? t.rows : []).forEach((r: Raw, i: number) => {
      if (r === null || typeof r !== 'object') return;
      for (const key of Object.keys(r)) {
        if (key !== 'row' && !names.includes(key)) emit(['tables', id, 'rows', i, key], `a column named by an input (row, ${names.join(', ')})`, `'${key}'`, ErrorCode.UNKNOWN_NAME);
      }
      for (const n of names) if (!(n in r)) emit(['tables', id, 'rows', i], `a cell for every input (missing ${n})`, `no '${n}'`, ErrorCode.SCHEMA_REQUIRED);
    });
  }
}

function checkCondition(spec: Spec, item: Raw, at: (string | number)[], names: string[], emit: Emit): void {
  if (item === null || typeof item !== 'object') return;
  for (const [name, values] of Object.entries((item.when ?? {}) as Record<string, string[]>)) {
    const input = spec.inputs.find((i) => i.name === name);
    if (!input) {
      emit([...at, 'when', name], `a declared input (${names.join(', ')})`, `'${name}'`, ErrorCode.UNKNOWN_NAME);
      continue;
    }
    (Array.isArray(values) ? values : []).forEach((v, j) => {
      const cell = cellFromText(v);
      if (!input.dtypes.includes(cell)) emit([...at, 'when', name, j], `a ${name} dtype of its domain (${input.dtypes.map(cellToText).join(', ')})`, `'${v}'`, ErrorCode.DTYPE_OUTSIDE_DOMAIN);
    });
  }
  (Array.isArray(item.rows) ? item.rows : []).forEach((key: string, j: number) => {
    if (!rowByKey(spec, key)) emit([...at, 'rows', j], `a table row (${spec.tables.flatMap((t) => t.rows.map((r) => r.key)).join(', ')})`, `'${key}'`, ErrorCode.UNKNOWN_NAME);
  });
}

/** Distribution keys other than its own fields are generators, by input name. */
function checkGeneratorNames(raw: Raw, names: string[], emit: Emit): void {
  const own = ['id', 'text', 'applies', 'when', 'rows', 'tags'];
  (Array.isArray(raw.distributions) ? raw.distributions : []).forEach((d: Raw, i: number) => {
    if (d === null || typeof d !== 'object') return;
    for (const key of Object.keys(d)) {
      if (!own.includes(key) && !names.includes(key)) emit(['distributions', i, key], `a generator for a declared input (${names.join(', ')}) or one of ${own.join(', ')}`, `'${key}'`, ErrorCode.UNKNOWN_NAME);
    }
    for (const role of ['x1', 'weight', 'scale'] as const) {
      const name = names.find((n) => raw.inputs?.[n]?.role === role) ?? role;
      if (d[name] === undefined) emit(['distributions', i], `a generator for ${name} (the ${role} input)`, 'none', ErrorCode.SCHEMA_REQUIRED);
    }
    (Array.isArray(d.applies) ? d.applies : []).forEach((a: string, j: number) => {
      if (!names.includes(a)) emit(['distributions', i, 'applies', j], `a declared input (${names.join(', ')})`, `'${a}'`, ErrorCode.UNKNOWN_NAME);
    });
  });
}

function checkParameters(spec: Spec, raw: Raw, names: string[], emit: Emit): void {
  const productIds = spec.products.map((p) => p.id);
  for (const p of spec.parameters) {
    const at = ['call', 'parameters', p.name];
    const rawInput = raw.call?.parameters?.[p.name]?.input as string | undefined;
    if (rawInput !== undefined && !names.includes(rawInput)) emit([...at, 'input'], `a declared input (${names.join(', ')})`, `'${rawInput}'`, ErrorCode.UNKNOWN_NAME);
    if (p.dim !== null && p.type !== 'int') emit([...at, 'dim'], 'dim only on an int parameter', `type ${p.type}`, ErrorCode.CONTRADICTION);
    if (p.length !== null && p.type !== 'int-list') emit([...at, 'length'], 'length only on an int-list parameter', `type ${p.type}`, ErrorCode.CONTRADICTION);
    if (p.noneMeans !== undefined && p.type !== 'dtype') emit([...at, 'noneMeans'], 'noneMeans only on a dtype parameter (what None stands for)', `type ${p.type}`, ErrorCode.CONTRADICTION);
    const domain = p.input !== null ? spec.domain[p.input] : null;
    const checkValues = (values: CellValue[], where: (string | number)[]): void => {
      values.forEach((v, j) => {
        if (domain !== null && p.type === 'dtype' && !domain.includes(v)) emit([...where, j], `a dtype of ${p.input}'s domain (${domain.map(cellToText).join(', ')})`, `'${cellToText(v)}'`, ErrorCode.DTYPE_OUTSIDE_DOMAIN);
      });
    };
    if (p.values) checkValues(p.values, [...at, 'values']);
    for (const [product, values] of Object.entries(p.perProduct)) {
      if (!productIds.includes(product)) emit([...at, 'perProduct', product], `a product (${productIds.join(', ')})`, `'${product}'`, ErrorCode.UNKNOWN_PRODUCT);
      checkValues(values, [...at, 'perProduct', product]);
      // the tables of that product must not use a value the parameter refuses there
      const prod = spec.products.find((x) => x.id === product);
      if (prod && p.input !== null && p.type === 'dtype') {
        for (const t of spec.tables.filter((x) => prod.tables.includes(x.id))) {
          t.rows.forEach((r, i) => {
            const bad = r.cells[p.input!].filter((v) => v !== null && !values.includes(v));
            if (bad.length) emit(['tables', t.id, 'rows', i, nameOf(spec, p.input!)], `${p.input} values the parameter '${p.name}' allows on ${product} (${values.map(cellToText).join(', ')})`, bad.map(cellToText).join(', '), ErrorCode.CONTRADICTION);
          });
        }
      }
    }
  }
}

/** The facts the harness reads have typed values; other keys are open. */
function checkFacts(spec: Spec, emit: Emit): void {
  for (const p of spec.products) {
    const pertoken = p.facts['pertoken'];
    if (pertoken && typeof pertoken.value !== 'boolean') emit(['products', p.id, 'facts', 'pertoken', 'value'], 'true or false (whether pertoken_scale is supported)', JSON.stringify(pertoken.value), ErrorCode.SCHEMA_TYPE);
    const fp16 = p.facts['fp16Overflow'];
    if (fp16 && !['inf', 'saturate', 'either'].includes(fp16.value as string)) emit(['products', p.id, 'facts', 'fp16Overflow', 'value'], 'one of inf, saturate, either', JSON.stringify(fp16.value), ErrorCode.SCHEMA_ENUM);
  }
}

/**
 * Paths come from the registry; each row's combinations have one whose output dtype is theirs; a row
 * without a path, or whose path no built-in backend runs, is a warning (its cases are judged by the
 * torch-npu backend only, or not at all).
 */
function checkNumerics(spec: Spec, emit: Emit): void {
  spec.numerics.forEach((e, i) => {
    if (!numericPath(e.path)) emit(['numerics', i, 'path'], `a numeric path of the registry (${PATH_IDS.join(', ')})`, `'${e.path}'`, ErrorCode.UNKNOWN_NAME);
  });
  for (const t of spec.tables) {
    t.rows.forEach((r, i) => {
      const missing = new Set<string>();
      for (const c of combosOfRow(r)) {
        const p = pathOf(spec, c);
        if (p === null) { missing.add(c.output_dtype ?? 'None'); continue; }
        const info = numericPath(p);
        if (info && c.output_dtype !== null && info.output !== c.output_dtype) {
          emit(['tables', t.id, 'rows', i], `a numeric path that outputs ${c.output_dtype} (numerics names '${p}', which outputs ${info.output})`, p, ErrorCode.CONTRADICTION);
          return;
        }
        if (info && !info.backends.includes('onnxruntime')) {
          emit(['tables', t.id, 'rows', i], `a numeric path a CPU backend can run (onnxruntime runs ${PATH_IDS.filter((x) => numericPath(x)!.backends.includes('onnxruntime')).join(', ')})`, `'${p}' (runs on ${info.backends.join(', ')} only)`, ErrorCode.PATH_BACKEND, 'warning');
          return;
        }
      }
      if (missing.size) emit(['tables', t.id, 'rows', i], 'a numeric path for every combination of the row (a `numerics` entry that matches it)', `none for output ${[...missing].join(', ')}`, ErrorCode.NO_PATH, 'warning');
    });
  }
}

const INT8 = { min: -128, max: 127 };
const INT4 = { min: -8, max: 7 };

/** The value range of an operand's dtype in a combination: int4 where the spec packs it, int8 else. */
function operandRange(spec: Spec, role: 'x1' | 'weight', combo: DtypeCombo): { min: number; max: number; what: string } {
  const packed = spec.inputs.find((i) => i.role === role)?.packed.find((p) => p.dtype === combo[role]);
  return packed ? { ...INT4, what: `int4 (packed in ${packed.dtype})` } : { ...INT8, what: 'int8' };
}

/** The positions (under the generator) and values of a generator that leave an integer range. */
function outOfRange(g: Generator, r: { min: number; max: number }): { at: (string | number)[]; value: string }[] {
  const bad = (v: unknown): boolean => typeof v !== 'number' || !Number.isInteger(v) || v < r.min || v > r.max;
  if (g.kind === 'uniform') {
    return [...(g.min < r.min ? [{ at: ['min'], value: `${g.min}` }] : []), ...(g.max > r.max ? [{ at: ['max'], value: `${g.max}` }] : [])];
  }
  if (g.kind === 'choice') return g.values.flatMap((v, j) => (bad(v) ? [{ at: ['values', j], value: `${v}` }] : []));
  return [];
}

/**
 * Every generator fits its operand's dtype on every combination the distribution applies to (an int8
 * range on an int4 row is an error: limit the distribution with `when`), and every combination a
 * product's cases use has a distribution.
 */
function checkDistributionsFit(spec: Spec, emit: Emit): void {
  const combos = spec.products.flatMap((p) => spec.tables.filter((t) => p.tables.includes(t.id)).flatMap((t) => t.rows.flatMap(combosOfRow)));
  const reported = new Set<string>();
  spec.distributions.forEach((d, i) => {
    const applies = (c: DtypeCombo): boolean => d.applies.every((a) => c[a] !== null) && matchesCondition(spec, d.when, c);
    for (const c of combos.filter(applies)) {
      for (const role of ['x1', 'weight'] as const) {
        const fit = operandRange(spec, role, c);
        for (const b of outOfRange(d[role], fit)) {
          const key = `${i}/${role}/${b.at.join('/')}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const packed = fit.what !== 'int8' ? ` on ${comboText(c)}; limit the distribution with when` : '';
          emit(['distributions', i, nameOf(spec, role), ...b.at], `${fit.what} values (${role} data), integers in [${fit.min}, ${fit.max}]${packed}`, b.value, ErrorCode.BAD_GENERATOR);
        }
      }
    }
  });
  const seen = new Set<string>();
  for (const c of combos) {
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    const any = spec.distributions.some((d) => d.applies.every((a) => c[a] !== null) && matchesCondition(spec, d.when, c));
    if (!any) emit(['distributions'], `a distribution for every allowed combination (none applies to ${comboText(c)})`, 'none', ErrorCode.CONTRADICTION);
  }
}

/** A shape class that no allowed combination can take is a warning: its `when` or its dims say why. */
function checkClassesApply(spec: Spec, emit: Emit): void {
  const combos = spec.tables.flatMap((t) => t.rows.flatMap(combosOfRow));
  spec.shapeClasses.forEach((s, i) => {
    const ok = combos.some((c) => matchesCondition(spec, s.when, c) && (s.biasForm === '1d' || c.bias !== null));
    if (!ok) emit(['shapeClasses', i], 'a shape class some allowed combination meets (check when, rows and biasForm)', `'${s.id}' meets none`, ErrorCode.CONTRADICTION, 'warning');
  });
}

/**
 * A generator for an optional input that no row ever gives, or a distribution that `applies` only with
 * such an input, would be ignored by the expansion: said as a warning so the author sees it.
 */
function checkUnusedGenerators(spec: Spec, emit: Emit): void {
  const combos = spec.tables.flatMap((t) => t.rows.flatMap(combosOfRow));
  const present = (role: Column): boolean => combos.some((c) => c[role] !== null);
  spec.distributions.forEach((d, i) => {
    for (const role of ['offset', 'bias', 'pertoken_scale'] as const) {
      if (d[role] !== null && !present(role)) {
        emit(['distributions', i, nameOf(spec, role)], `a generator for an input some row gives (no row has ${nameOf(spec, role)})`, 'a generator the expansion never uses', ErrorCode.CONTRADICTION, 'warning');
      }
    }
    d.applies.forEach((role, j) => {
      if (!present(role)) emit(['distributions', i, 'applies', j], `an input some row gives (no row has ${nameOf(spec, role)})`, `'${nameOf(spec, role)}': the distribution never applies`, ErrorCode.CONTRADICTION, 'warning');
    });
  });
}

/** Rule edges must fit in memory: a dim-limit edge builds a tensor with a dim of max + 1. */
function checkEdgeSizes(spec: Spec, emit: Emit): void {
  const LIMIT = 1 << 30;
  spec.shapeRules.forEach((r, i) => {
    if (r.kind === 'dim-limit' && (r.max + 1) * 16 * 4 > LIMIT) {
      emit(['shapeRules', i, 'max'], `a limit whose edge cases fit in memory (a dim of max + 1 with the others at 16: at most ${LIMIT / 64 - 1})`, `${r.max}`, ErrorCode.CONTRADICTION);
    }
    if (r.kind === 'multiple-of' && r.of > 4096) emit(['shapeRules', i, 'of'], 'a unit of at most 4096', `${r.of}`, ErrorCode.CONTRADICTION);
  });
}

function nameOf(spec: Spec, role: Column): string {
  return spec.inputs.find((i) => i.role === role)?.name ?? role;
}

function comboText(c: DtypeCombo): string {
  return COLUMNS.map((k) => `${k} ${cellToText(c[k])}`).join(', ');
}

