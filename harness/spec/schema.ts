import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, type Diagnostic } from '../errors';
import { packageRoot } from '../paths';
import { joinPointer, pointerSegments, positionOf, type SpecSource } from './source';

let compiled: ValidateFunction | undefined;

/** The spec schema, compiled once with ajv in strict mode (unknown keywords and keys are errors). */
function specValidator(): ValidateFunction {
  if (!compiled) {
    const file = path.join(packageRoot(), 'schema', 'spec.schema.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
    // strict: unknown keywords, types and tuples are errors. strictRequired is off: `oneOf` branches
    // name required keys that the parent's `properties` define, which that check cannot see.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Validates a parsed spec against the schema; every error becomes a positioned diagnostic. */
export function validateSchema(src: SpecSource): Diagnostic[] {
  const validate = specValidator();
  if (validate(src.value)) return [];
  const errors = dropRedundant(collapseOneOf(validate.errors ?? []));
  return errors.map((e) => toDiagnostic(src, e));
}

/**
 * Drops errors that only repeat another: a `propertyNames` error wraps the error about the name itself,
 * and a discriminator whose tag is missing repeats the `required` error for that tag.
 */
function dropRedundant(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => {
    if (e.keyword === 'propertyNames') return false;
    if (e.keyword !== 'discriminator') return true;
    const tag = String((e.params as { tag?: unknown }).tag);
    return !errors.some((r) => r.keyword === 'required' && r.instancePath === e.instancePath
      && (r.params as { missingProperty?: unknown }).missingProperty === tag);
  });
}

/** A failed `oneOf` also reports why each branch failed: keep the oneOf itself, drop the branch noise. */
function collapseOneOf(errors: ErrorObject[]): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  return errors.filter((e) => !oneOfs.some((p) => e.schemaPath.startsWith(p) && e.keyword !== 'oneOf'));
}

function toDiagnostic(src: SpecSource, e: ErrorObject): Diagnostic {
  const d = valueDiagnostic(src, e);
  if (e.propertyName === undefined) return d;
  // An error about a mapping key's name (propertyNames): point at that key, not at the whole mapping.
  const key = e.propertyName;
  return { ...d, ...positionOf(src, e.instancePath, key), pointer: joinPointer([...pointerSegments(e.instancePath), key]),
    got: `key '${shortKey(key)}'` };
}

function valueDiagnostic(src: SpecSource, e: ErrorObject): Diagnostic {
  const params = e.params as Record<string, unknown>;
  const got = valueAt(src.value, e.instancePath);
  const base = { file: src.file, pointer: e.instancePath };
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { ...base, ...positionOf(src, e.instancePath, key), pointer: joinPointer([...pointerSegments(e.instancePath), key]),
        expected: `one of the keys ${knownKeys(e)}`, got: `unknown key '${shortKey(key)}'`,
        code: ErrorCode.SCHEMA_ADDITIONAL_PROPERTY };
    }
    case 'required':
      return { ...base, ...positionOf(src, e.instancePath),
        expected: `required key '${String(params.missingProperty)}'`, got: 'it missing',
        code: ErrorCode.SCHEMA_REQUIRED };
    case 'type':
      return { ...base, ...positionOf(src, e.instancePath), expected: `a value of type ${String(params.type)}`,
        got: describe(got), code: ErrorCode.SCHEMA_TYPE };
    case 'enum':
      return { ...base, ...positionOf(src, e.instancePath),
        expected: `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        got: describe(got), code: ErrorCode.SCHEMA_ENUM };
    case 'const':
      return { ...base, ...positionOf(src, e.instancePath), expected: JSON.stringify(params.allowedValue),
        got: describe(got), code: ErrorCode.SCHEMA_ENUM };
    case 'pattern':
      return { ...base, ...positionOf(src, e.instancePath), expected: patternMeaning(e),
        got: describe(got), code: ErrorCode.SCHEMA_PATTERN };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
    case 'minItems': case 'maxItems': case 'minProperties': case 'minLength':
      return { ...base, ...positionOf(src, e.instancePath), expected: rangeMeaning(e),
        got: describe(got), code: ErrorCode.SCHEMA_RANGE };
    case 'oneOf':
      return { ...base, ...positionOf(src, e.instancePath), expected: oneOfMeaning(e),
        got: describe(got), code: ErrorCode.SCHEMA_OTHER };
    case 'discriminator':
      // at the tag's value (the key's mapping when it has none)
      return { ...base, pointer: joinPointer([...pointerSegments(e.instancePath), String(params.tag)]),
        ...positionOf(src, joinPointer([...pointerSegments(e.instancePath), String(params.tag)])),
        expected: `a known '${String(params.tag)}' (${discriminatorValues(e)})`,
        got: describe(got && typeof got === 'object' ? (got as Record<string, unknown>)[String(params.tag)] : got),
        code: ErrorCode.SCHEMA_ENUM };
    default:
      return { ...base, ...positionOf(src, e.instancePath), expected: `a value that ${e.message ?? 'fits the schema'}`,
        got: describe(got), code: ErrorCode.SCHEMA_OTHER };
  }
}

/** The JS value at a JSON pointer (undefined past the end). */
export function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointerSegments(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** A short, readable rendering of a value for "got ...". */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a mapping';
  // JSON.stringify turns Infinity (a YAML number too large for a double) into 'null'
  const text = typeof v === 'number' ? String(v) : JSON.stringify(v);
  return `${typeof v} ${text.length > 60 ? text.slice(0, 57) + '...' : text}`;
}

/** A key for a message: yaml stringifies a collection used as a key over several lines; keep it short. */
function shortKey(key: string): string {
  const flat = key.replace(/\s+/g, ' ');
  return flat.length > 60 ? flat.slice(0, 57) + '...' : flat;
}

function knownKeys(e: ErrorObject): string {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).join(', ') : 'the schema lists';
}

function patternMeaning(e: ErrorObject): string {
  const desc = (e.parentSchema as { description?: string } | undefined)?.description;
  return desc ? `a value like ${desc}` : `a value matching ${String((e.params as { pattern: string }).pattern)}`;
}

function rangeMeaning(e: ErrorObject): string {
  const limit = Number((e.params as { limit?: unknown }).limit);
  switch (e.keyword) {
    case 'minimum': return `a number >= ${limit}`;
    case 'maximum': return `a number <= ${limit}`;
    case 'exclusiveMinimum': return `a number > ${limit}`;
    case 'exclusiveMaximum': return `a number < ${limit}`;
    case 'minItems': return `a list of at least ${limit} item(s)`;
    case 'maxItems': return `a list of at most ${limit} item(s)`;
    case 'minProperties': return `a mapping of at least ${limit} key(s)`;
    case 'minLength': return `a string of at least ${limit} character(s)`;
    default: return `a value that ${e.message ?? 'is in range'}`;
  }
}

function oneOfMeaning(e: ErrorObject): string {
  // a branch that says what it is in words is named by them, else by its required keys
  const branches = (e.schema as { required?: string[]; description?: string }[]).map((b) => b.description ?? (b.required ?? []).join('+'));
  return `exactly one form: ${branches.map((b) => `{${b}}`).join(' or ')}`;
}

function discriminatorValues(e: ErrorObject): string {
  const branches = (e.parentSchema as { oneOf?: { properties?: { kind?: { const?: string } } }[] }).oneOf ?? [];
  return branches.map((b) => b.properties?.kind?.const).filter(Boolean).join(', ');
}
