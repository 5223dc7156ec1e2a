/**
 * harness/spec/schema: ajv errors become one positioned, readable diagnostic each (expected ..., got ...),
 * with the noise of oneOf branches, propertyNames wrappers and missing discriminator tags removed.
 */
import assert from 'node:assert/strict';
import { ErrorCode, type Diagnostic } from '../../harness/errors';
import { describe as describeValue, validateSchema, valueAt } from '../../harness/spec/schema';
import { parseSpecSource } from '../../harness/spec/source';
import { lineOf, minimalWith } from './fixtures';

/** Schema diagnostics of the minimal spec after the edits, as [code, line, pointer, expected, got]. */
function schemaErrors(...edits: [string, string][]): { text: string; found: [string, number, string, string, string][] } {
  const text = minimalWith(...edits);
  const found = validateSchema(parseSpecSource('m.yml', text)).map((d: Diagnostic) =>
    [d.code, d.line, d.pointer, d.expected, d.got] as [string, number, string, string, string]);
  return { text, found };
}

describe('schema: describe() renders a value for "got ..."', () => {
  it('renders each kind of value', () => {
    assert.equal(describeValue(undefined), 'nothing');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue([1, 2, 3]), 'a list of 3');
    assert.equal(describeValue({ a: 1 }), 'a mapping');
    assert.equal(describeValue('int8'), 'string "int8"');
    assert.equal(describeValue(true), 'boolean true');
    assert.equal(describeValue(42), 'number 42');
  });

  it('says Infinity for a number too large for a double (JSON would say null)', () => {
    assert.equal(describeValue(Infinity), 'number Infinity');
    assert.equal(describeValue(-Infinity), 'number -Infinity');
  });

  it('shortens long strings', () => {
    const text = describeValue('x'.repeat(200));
    assert.ok(text.length < 80 && text.endsWith('...'), text);
  });
});

describe('schema: valueAt', () => {
  it('follows pointers through mappings and lists, undefined past the end', () => {
    const v = { a: [{ 'b/c': 1 }] };
    assert.equal(valueAt(v, '/a/0/b~1c'), 1);
    assert.equal(valueAt(v, ''), v);
    assert.equal(valueAt(v, '/a/5/x'), undefined);
    assert.equal(valueAt(v, '/a/0/b~1c/deeper'), undefined);
  });
});

describe('schema: diagnostics', () => {
  it('the minimal spec is schema-valid', () => {
    assert.deepEqual(schemaErrors().found, []);
  });

  it('an unknown key: at the key, its pointer escaped, the known keys listed', () => {
    const { text, found } = schemaErrors(['  op: torch_npu.npu_quant_matmul\n', '  op: torch_npu.npu_quant_matmul\n  "x/y~z": 1\n']);
    assert.deepEqual(found, [[ErrorCode.SCHEMA_ADDITIONAL_PROPERTY, lineOf(text, 'x/y~z'), '/spec/x~1y~0z',
      'one of the keys version, id, module, op, doc, target', "unknown key 'x/y~z'"]]);
  });

  it('a bad mapping key name (propertyNames): one diagnostic at that key, naming it', () => {
    const { text, found } = schemaErrors(['  big:\n', '  9big:\n']);
    assert.deepEqual(found.map(([c, l, p, , g]) => [c, l, p, g]), [[ErrorCode.SCHEMA_PATTERN, lineOf(text, '9big:'), '/products/9big', "key '9big'"]]);
    // a packed dtype is a closed set (propertyNames enum): the key is named with the set
    const packed = schemaErrors(['  x1: { role: x1, dtypes: [int8] }', '  x1: { role: x1, dtypes: [int8], packed: { int16: { as: int4, per: 8, along: k } } }']).found;
    assert.deepEqual(packed.map(([c, , p, e, g]) => [c, p, e.includes('"int32"'), g]),
      [[ErrorCode.SCHEMA_ENUM, '/inputs/x1/packed/int16', true, "key 'int16'"]]);
  });

  it('an unknown rule kind: one diagnostic at the kind, listing the kinds', () => {
    const { text, found } = schemaErrors(['kind: dim-limit', 'kind: dim-limt']);
    assert.deepEqual(found, [[ErrorCode.SCHEMA_ENUM, lineOf(text, 'dim-limt'), '/shapeRules/1/kind',
      "a known 'kind' (rank, contraction, broadcast, dim-limit, vector-length, bias-shape, non-empty, multiple-of, contiguous, tensor-shape)", 'string "dim-limt"']]);
  });

  it('a rule without a kind: only the required error, not also the discriminator\'s', () => {
    const { text, found } = schemaErrors(['    kind: dim-limit\n', '']);
    assert.deepEqual(found, [[ErrorCode.SCHEMA_REQUIRED, lineOf(text, 'id: last-dim-limit'), '/shapeRules/1', "required key 'kind'", 'it missing']]);
  });

  it('a bad generator kind in a distribution is caught by its discriminator too', () => {
    const { text, found } = schemaErrors(['kind: output-range', 'kind: output-rnage']);
    assert.deepEqual(found.map(([c, l, p]) => [c, l, p]), [[ErrorCode.SCHEMA_ENUM, lineOf(text, 'output-rnage'), '/distributions/0/scale/kind']]);
  });

  it('range errors say the bound plainly', () => {
    assert.deepEqual(schemaErrors(['{ id: base, m: 16', '{ id: base, m: 0']).found.map(([c, , p, e, g]) => [c, p, e, g]),
      [[ErrorCode.SCHEMA_RANGE, '/shapeClasses/0/m', 'a number >= 1', 'number 0']]);
    assert.deepEqual(schemaErrors(['{ id: base, m: 16', '{ id: base, m: 70000']).found.map(([, , , e]) => e), ['a number <= 65535']);
    assert.deepEqual(schemaErrors(['tables: [table2]', 'tables: []']).found.map(([c, , p, e, g]) => [c, p, e, g]),
      [[ErrorCode.SCHEMA_RANGE, '/products/big/tables', 'a list of at least 1 item(s)', 'a list of 0']]);
    assert.deepEqual(schemaErrors(['{ kind: output-range, target: 100 }', '{ kind: output-range, target: 0 }']).found.map(([, , , e]) => e),
      ['a number > 0']);
  });

  it('a divergence with neither a condition nor a rule: one oneOf diagnostic naming both forms', () => {
    const { text, found } = schemaErrors(['    rule: last-dim-limit\n    dim: n\n', '    minRank: 3\n']);
    assert.deepEqual(found, [[ErrorCode.SCHEMA_OTHER, lineOf(text, 'id: n-unchecked'), '/divergences/1',
      'exactly one form: {when and/or rows, no rule} or {rule (with dim; when may narrow it)}', 'a mapping']]);
  });

  it('a number too large for a double is a type error that says Infinity', () => {
    const { found } = schemaErrors(['aiCores: 24', 'aiCores: 1e400']);
    assert.deepEqual(found.map(([c, , p, e, g]) => [c, p, e, g]),
      [[ErrorCode.SCHEMA_TYPE, '/products/big/aiCores', 'a value of type integer', 'number Infinity']]);
  });
});
