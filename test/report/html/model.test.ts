import assert from 'node:assert/strict';
import { OUTCOME_STATUSES } from '../../../harness/judge/outcome';
import {
  buildMatrix, caseView, EDGE_INSIDE, EDGE_OUTSIDE, OUTSIDE_ROW, placeCase, productsOf,
} from '../../../harness/report/html/model';
import { realSpec } from '../../helpers/spec';
import { record } from './records';

describe('report/html: matrix model', () => {
  it('places each kind of case in its row and column', () => {
    assert.deepEqual(placeCase(record({ status: 'pass', rows: ['table2#3', 'table2#4'], shapeClass: 'tail-1' }).case), { row: 'table2#3', col: 'tail-1' });
    assert.deepEqual(placeCase(record({ status: 'rejected', rejectedBy: { kind: 'dtype', rule: 'outside-table' } }).case), { row: OUTSIDE_ROW, col: 'base' });
    assert.deepEqual(placeCase(record({ status: 'rejected', rejectedBy: { kind: 'module', rule: 'g1' } }).case), { row: 'guard:g1', col: 'base' });
    assert.deepEqual(placeCase(record({ status: 'rejected', rejectedBy: { kind: 'shape', rule: 'rank' }, shapeClass: 'rank9' }).case), { row: 'rule:rank', col: 'rank9' });
    assert.deepEqual(placeCase(record({ status: 'pass', shapeClass: 'edge:last-dim-limit:inside' }).case), { row: 'rule:last-dim-limit', col: EDGE_INSIDE });
    assert.deepEqual(placeCase(record({ status: 'rejected', shapeClass: 'edge:rank:outside', rejectedBy: { kind: 'shape', rule: 'rank' } }).case), { row: 'rule:rank', col: EDGE_OUTSIDE });
  });

  it('counts every status per cell, colours by the worst, and counts unexpected ones', () => {
    const records = [
      ...OUTCOME_STATUSES.map((status) => record({ status })),
      record({ status: 'pass' }), record({ status: 'pass' }),
      record({ status: 'fail', asExpected: true }), // listed in an expectation file: a fail, but expected
      record({ status: 'pass', shapeClass: 'tail' }), record({ status: 'skip', shapeClass: 'tail' }),
      record({ status: 'skip', shapeClass: 'rank5' }),
      record({ status: 'divergence', shapeClass: 'rank5' }), record({ status: 'pass', shapeClass: 'rank5' }),
      record({ status: 'timeout', rows: ['table2#2'] }), record({ status: 'error', rows: ['table2#2'] }),
      record({ status: 'pass', product: 'other' }),
    ];
    const m = buildMatrix(records, records[0]!.spec, 'atlas-a2');
    const row1 = m.rows.find((r) => r.key === 'table2#1')!;
    const base = row1.cells.base;
    // record() makes rejected/unexpected-accept cases with expect=reject but no rejectedBy: they stay in their row
    assert.deepEqual(base.counts, {
      pass: 3, fail: 2, rejected: 1, 'unexpected-accept': 1, 'unexpected-reject': 1, divergence: 1, error: 1, timeout: 1, skip: 1,
    });
    assert.equal(base.total, 12);
    assert.equal(base.worst, 'fail');
    assert.equal(base.unexpected, 5, 'fail, unexpected-accept, unexpected-reject, error, timeout; not the expected fail');
    assert.equal(row1.cells.tail.worst, 'pass', 'a skip does not hide passes');
    assert.equal(row1.cells.rank5.worst, 'divergence');
    assert.equal(row1.divergences, 2);
    assert.equal(m.rows.find((r) => r.key === 'table2#2')!.cells.base.worst, 'error');
    assert.equal(m.total.total, records.length - 1, 'the other product is not counted');
    assert.deepEqual(productsOf(records), ['atlas-a2', 'other']);
  });

  it('an all-skipped cell is grey, and the rows come in order: table, outside, guard, rule', () => {
    const records = [
      record({ status: 'skip', shapeClass: 'edge:rank:outside', rejectedBy: { kind: 'shape', rule: 'rank' } }),
      record({ status: 'rejected', rejectedBy: { kind: 'module', rule: 'g' } }),
      record({ status: 'rejected', rejectedBy: { kind: 'dtype', rule: 'outside-table' } }),
      record({ status: 'pass', rows: ['table2#10'] }),
      record({ status: 'pass', rows: ['table2#2'] }),
    ];
    const m = buildMatrix(records, records[0]!.spec, 'atlas-a2');
    assert.deepEqual(m.rows.map((r) => r.key), ['table2#2', 'table2#10', OUTSIDE_ROW, 'guard:g', 'rule:rank']);
    assert.equal(m.rows.at(-1)!.cells[EDGE_OUTSIDE].worst, 'skip');
    assert.deepEqual(m.columns.map((c) => c.key), ['base', EDGE_OUTSIDE]);
  });

  it('with the spec, orders and labels rows and columns from it', () => {
    const spec = realSpec();
    const cls = spec.shapeClasses.map((s) => s.id);
    const records = [
      record({ status: 'pass', rows: ['table2#4'], shapeClass: cls[2] }),
      record({ status: 'pass', rows: ['table2#1'], shapeClass: cls[0] }),
      record({ status: 'rejected', rejectedBy: { kind: 'shape', rule: spec.shapeRules[0].id }, shapeClass: `edge:${spec.shapeRules[0].id}:outside` }),
    ];
    const m = buildMatrix(records, records[0]!.spec, 'atlas-a2', spec);
    assert.deepEqual(m.rows.map((r) => r.key), ['table2#1', 'table2#4', `rule:${spec.shapeRules[0].id}`]);
    assert.deepEqual(m.columns.map((c) => c.key), [cls[0], cls[2], EDGE_OUTSIDE]);
    assert.match(m.rows[0].detail ?? '', /x1=int8/);
    assert.equal(m.rows[0].label, 'Table 2 row 1');
    assert.ok(m.title);
  });

  it('gives each outcome a reason and keeps worst elements only for failures', () => {
    for (const status of OUTCOME_STATUSES) {
      const v = caseView(record({ status }));
      assert.equal(v.reason === null, status === 'pass', status);
      assert.equal(v.worst.length > 0, status === 'fail', status);
      assert.equal(v.unexpected, !['pass', 'rejected', 'divergence', 'skip'].includes(status), status);
    }
    assert.match(caseView(record({ status: 'timeout' })).reason!, /1000 ms/);
  });
});
