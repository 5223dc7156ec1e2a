/**
 * The compiled spec validator kept in dist/.cache: a process that loads it validates as one that
 * compiles the schema, error for error, and a damaged or missing cache file is compiled and written anew.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import { packageRoot } from '../../harness/paths';
import { resetSpecValidator, specValidator, validatorCacheFile } from '../../harness/spec/schema';
import { parseSpecSource } from '../../harness/spec/source';
import { minimalWith } from './fixtures';

/** Specs that break the schema in each way the diagnostics distinguish, and one that is valid. */
const SPECS: [string, string][][] = [
  [],
  [['  op: torch_npu.npu_quant_matmul\n', '  op: torch_npu.npu_quant_matmul\n  "x/y~z": 1\n']],
  [['  big:\n', '  9big:\n']],
  [['  x1: { role: x1, dtypes: [int8] }', '  x1: { role: x1, dtypes: [int8], packed: { int16: { as: int4, per: 8, along: k } } }']],
  [['kind: dim-limit', 'kind: dim-limt']],
  [['    kind: dim-limit\n', '']],
  [['kind: output-range', 'kind: output-rnage']],
  [['{ id: base, m: 16', '{ id: base, m: 0']],
  [['{ id: base, m: 16', '{ id: base, m: 70000']],
  [['tables: [table2]', 'tables: []']],
  [['{ kind: output-range, target: 100 }', '{ kind: output-range, target: 0 }']],
  [['    rule: last-dim-limit\n    dim: n\n', '    minRank: 3\n']],
  [['aiCores: 24', 'aiCores: 1e400']],
];

function errorsOf(validate: ValidateFunction): unknown[] {
  return SPECS.map((edits) => {
    const value = parseSpecSource('m.yml', minimalWith(...edits)).value;
    return validate(value) ? null : validate.errors;
  });
}

describe('schema: the cached validator', () => {
  const schemaText = fs.readFileSync(path.join(packageRoot(), 'schema', 'spec.schema.json'), 'utf8');
  const file = validatorCacheFile(schemaText);
  after(() => resetSpecValidator());

  it('lives in dist/.cache under a name that changes with the schema', () => {
    assert.ok(file !== null, 'tests run from dist/, so there is a cache');
    assert.equal(path.dirname(file), path.join(packageRoot(), 'dist', '.cache'));
    assert.notEqual(validatorCacheFile(schemaText.replace('"title"', ' "title"')), file);
  });

  it('gives the errors a freshly compiled validator gives', () => {
    resetSpecValidator();
    const compiled = specValidator({ cache: false });
    assert.ok('schemaEnv' in compiled, 'compiled by ajv in this process');
    const want = errorsOf(compiled);
    assert.ok(want.filter((e) => e !== null).length === SPECS.length - 1, 'every edited spec is invalid');
    resetSpecValidator();
    fs.rmSync(file!, { force: true });
    specValidator(); // compiles and writes the cache
    assert.ok(fs.existsSync(file!));
    resetSpecValidator();
    const loaded = specValidator();
    assert.ok(!('schemaEnv' in loaded), 'loaded from the cache, not compiled');
    assert.deepEqual(errorsOf(loaded), want);
  });

  it('compiles again over a damaged cache file, and replaces it', () => {
    fs.mkdirSync(path.dirname(file!), { recursive: true });
    fs.writeFileSync(file!, 'this is not javascript (');
    resetSpecValidator();
    const validate = specValidator();
    assert.ok('schemaEnv' in validate, 'compiled, since the file could not be loaded');
    assert.equal(validate(parseSpecSource('m.yml', minimalWith()).value), true);
    assert.ok(fs.readFileSync(file!, 'utf8').includes('module.exports'), 'the file was written anew');
    resetSpecValidator();
    assert.ok(!('schemaEnv' in specValidator()), 'and later processes load it');
  });
});
