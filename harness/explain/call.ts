import { DTYPES, type CellValue, type Dtype, type DtypeCombo } from '../dtypes';
import { ErrorCode, HarnessError } from '../errors';
import type { CaseShapes } from '../expand/case';
import type { Spec } from '../spec/types';

/**
 * A call to explain, as a person writes it: each input `DTYPE[d0,d1,...]` (or `None` / absent for the
 * optional ones), the output dtype as passed (`None` means the module's default), the product, and
 * whether the module or the op is called. Parsed and validated here, once.
 */
export interface ExplainCall {
  product: string;
  target: 'module' | 'op';
  dtypes: DtypeCombo;
  shapes: CaseShapes;
  /** the output dtype as passed: null for None */
  outputDtypePassed: Dtype | null;
}

/** The inputs a call names, in the module's order. */
export const CALL_INPUTS = ['x1', 'weight', 'scale', 'offset', 'bias', 'pertoken_scale'] as const;
type InputName = (typeof CALL_INPUTS)[number];
const REQUIRED: readonly InputName[] = ['x1', 'weight', 'scale'];

/** The raw call: strings per input (`int8[2,16,512]`), or `{dtype, shape}` objects from JSON. */
export type RawCall = Partial<Record<InputName, unknown>> & { product?: unknown; target?: unknown; output_dtype?: unknown } & Record<string, unknown>;

const bad = (where: string, expected: string, got: unknown): HarnessError =>
  new HarnessError(ErrorCode.BAD_ARGUMENT, `${where}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);

function parseDtype(where: string, text: unknown): Dtype {
  if (typeof text === 'string' && (DTYPES as readonly string[]).includes(text)) return text as Dtype;
  throw bad(where, `a dtype (${DTYPES.join(', ')})`, text);
}

/** `int8[2,16,512]`, `{dtype: 'int8', shape: [2,16,512]}`, or None/null/absent for an optional input. */
function parseTensor(name: InputName, raw: unknown): { dtype: Dtype; shape: number[] } | null {
  if (raw === undefined || raw === null || raw === 'None' || raw === 'none') {
    if (REQUIRED.includes(name)) throw bad(`--${name.replace('_', '-')}`, 'a tensor such as int8[16,64] (this input is required)', raw ?? 'nothing');
    return null;
  }
  let dtype: unknown;
  let shape: unknown;
  if (typeof raw === 'string') {
    const m = /^\s*([a-z0-9]+)\s*\[([^\]]*)\]\s*$/.exec(raw);
    if (!m) throw bad(`--${name.replace('_', '-')}`, 'DTYPE[d0,d1,...], e.g. int8[2,16,512]', raw);
    dtype = m[1];
    shape = m[2]!.trim() === '' ? [] : m[2]!.split(',').map((d) => (d.trim() === '' ? NaN : Number(d)));
  } else if (typeof raw === 'object') {
    ({ dtype, shape } = raw as { dtype?: unknown; shape?: unknown });
  } else {
    throw bad(name, 'a tensor (string DTYPE[dims] or {dtype, shape})', raw);
  }
  const d = parseDtype(`${name}.dtype`, dtype);
  if (!Array.isArray(shape) || shape.some((x) => !Number.isSafeInteger(x) || (x as number) < 0) || shape.length > 16) {
    throw bad(`${name}.shape`, 'a list of at most 16 non-negative integers', shape);
  }
  return { dtype: d, shape: shape as number[] };
}

/**
 * The raw call with the spec's own input names turned into roles (`x2` of the op is its weight), the
 * weight turned into the harness's (..., n, k) layout where the doc writes it (..., k, n), and packed
 * operands (int4 in int32) given their logical, unpacked sizes. A tensor named by role (`weight`) is
 * taken in the harness's layout and storage shape as given.
 */
function byRole(spec: Spec, raw: RawCall): RawCall {
  const known = new Set<string>([...CALL_INPUTS, ...spec.inputs.map((i) => i.name), 'product', 'target', 'output_dtype']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k) && raw[k as InputName] !== undefined);
  if (unknown.length) throw bad(`input ${unknown.join(', ')}`, `an input of ${spec.id} (${spec.inputs.map((i) => i.name).join(', ')})`, unknown[0]);
  const out: Record<string, unknown> = { ...raw };
  for (const input of spec.inputs) {
    if (input.name === input.role || raw[input.name as InputName] === undefined) continue;
    if (raw[input.role as InputName] !== undefined) throw bad(input.name, `either ${input.name} or ${input.role}, not both`, raw[input.name as InputName]);
    out[input.role] = raw[input.name as InputName];
    delete out[input.name];
    if (input.role === 'weight' && input.layout === 'kn') out.weightLayout = 'kn';
  }
  return out as RawCall;
}

/** A tensor's logical shape: the weight in (..., n, k), packed dims unpacked as the spec declares. */
function logical(spec: Spec, role: 'x1' | 'weight', t: { dtype: Dtype; shape: number[] }, kn: boolean): number[] {
  let shape = [...t.shape];
  if (kn && shape.length >= 2) shape = [...shape.slice(0, -2), shape[shape.length - 1]!, shape[shape.length - 2]!];
  const packed = spec.inputs.find((i) => i.role === role)?.packed.find((p) => p.dtype === t.dtype);
  if (packed && shape.length >= 2) {
    // in the (…, m|n, k) layout k is the last dim and n the one before it
    const at = packed.along === 'k' ? shape.length - 1 : shape.length - 2;
    shape[at] = shape[at]! * packed.per;
  }
  return shape;
}

/** Validates a raw call against the spec (product names, the output dtype's spelling). */
export function parseCall(spec: Spec, given: RawCall): ExplainCall {
  const raw = byRole(spec, given);
  const products = spec.products.map((p) => p.id);
  if (typeof raw.product !== 'string' || !products.includes(raw.product)) throw bad('product', `one of ${products.join(', ')}`, raw.product);
  const target = raw.target ?? spec.target;
  if (target !== 'module' && target !== 'op') throw bad('target', 'module or op', target);
  if (target === 'module' && spec.module === null) throw bad('target', `op (spec ${spec.id} describes the op ${spec.op} only)`, target);
  const t = Object.fromEntries(CALL_INPUTS.map((n) => [n, parseTensor(n, raw[n])])) as Record<InputName, { dtype: Dtype; shape: number[] } | null>;
  const kn = (raw as { weightLayout?: string }).weightLayout === 'kn';
  t.x1 = { ...t.x1!, shape: logical(spec, 'x1', t.x1!, false) };
  t.weight = { ...t.weight!, shape: logical(spec, 'weight', t.weight!, kn) };
  const passed = raw.output_dtype === undefined || raw.output_dtype === null || raw.output_dtype === 'None'
    ? null : parseDtype('output_dtype', raw.output_dtype);
  // None means the module's documented default (the spec's `noneMeans`), the effective output dtype.
  const noneMeans = spec.parameters.find((p) => p.input === 'output_dtype')?.noneMeans;
  const effective = passed ?? (noneMeans ? parseDtype('the spec\'s output_dtype.noneMeans', noneMeans) : null);
  const dtypeOf = (n: InputName): CellValue => t[n]?.dtype ?? null;
  return {
    product: raw.product, target, outputDtypePassed: passed,
    dtypes: {
      x1: dtypeOf('x1'), weight: dtypeOf('weight'), scale: dtypeOf('scale'), offset: dtypeOf('offset'),
      bias: dtypeOf('bias'), pertoken_scale: dtypeOf('pertoken_scale'), output_dtype: effective,
    },
    shapes: {
      x1: t.x1!.shape, weight: t.weight!.shape, scale: t.scale!.shape, offset: t.offset?.shape ?? null,
      bias: t.bias?.shape ?? null, pertoken_scale: t.pertoken_scale?.shape ?? null,
    },
  };
}

/** A JSON call (stdin or a file): an object with the same keys as the flags. */
export function parseJsonCall(spec: Spec, text: string, where: string): ExplainCall {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${where}: not JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(where, 'a JSON object {product, x1, weight, scale, ...}', raw);
  const known = new Set<string>([...CALL_INPUTS, ...spec.inputs.map((i) => i.name), 'product', 'target', 'output_dtype']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length) throw bad(where, `only the keys ${[...known].join(', ')}`, unknown);
  return parseCall(spec, raw as RawCall);
}
