import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadExpectations, verdictFor } from '../../harness/judge/expectations';
import { testTmpDir } from '../helpers/tmp';

describe('judge: expectation files', () => {
  const file = path.join(testTmpDir('a8w8-exp-'), 'b.yml');
  fs.writeFileSync(file, [
    '- cases: "atlas-a2/table2-r4/**"', '  expected: [fail]', '  reason: known fp16 rounding bug',
    '- cases: "*/rule/rank/*/*/full-range"', '  products: [atlas-a3]', '  expected: [timeout, error]', '  reason: flaky',
  ].join('\n'));
  const list = loadExpectations(file);

  it('makes a listed outcome expected and everything else default', () => {
    assert.equal(verdictFor('atlas-a2/table2-r4/s/x/d', 'atlas-a2', 'fail', list).asExpected, true);
    assert.equal(verdictFor('atlas-a2/table2-r3/s/x/d', 'atlas-a2', 'fail', list).asExpected, false);
    assert.equal(verdictFor('atlas-a2/table2-r3/s/x/d', 'atlas-a2', 'divergence', list).asExpected, true);
  });

  it('reports an unexpected pass', () => {
    const v = verdictFor('atlas-a2/table2-r4/s/x/d', 'atlas-a2', 'pass', list);
    assert.equal(v.unexpectedPass, true);
    assert.equal(v.asExpected, false);
  });

  it('honours products and single-segment globs', () => {
    assert.equal(verdictFor('atlas-a3/rule/rank/x1-rank-7/s/full-range', 'atlas-a3', 'timeout', list).asExpected, true);
    assert.equal(verdictFor('atlas-a2/rule/rank/x1-rank-7/s/full-range', 'atlas-a2', 'timeout', list).asExpected, false);
    assert.equal(verdictFor('atlas-a3/rule/rank/a/b/c/full-range', 'atlas-a3', 'timeout', list).asExpected, false);
  });

  it('rejects a malformed file with what and where', () => {
    fs.writeFileSync(file, '- cases: "x"\n  expected: [maybe]\n  reason: r\n');
    assert.throws(() => loadExpectations(file), /entry 1: expected \{cases: glob, expected: \[pass\|fail/);
  });
});
