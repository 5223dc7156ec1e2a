import assert from 'node:assert/strict';
import { OUTCOME_STATUSES } from '../../harness/judge/outcome';
import { placeCase, summarize } from '../../harness/report';
import { realSpec } from '../helpers/spec';
import { environment, metrics, outcomeOf, record, sampleCases, timed } from './helpers';

describe('report: summarize', () => {
  it('counts every status (zeros included) and says empty for no records', () => {
    const s = summarize([], null);
    assert.equal(s.verdict, 'empty');
    assert.equal(s.total, 0);
    assert.deepEqual(Object.keys(s.counts).sort(), [...OUTCOME_STATUSES].sort());
    assert.ok(Object.values(s.counts).every((n) => n === 0));
    assert.deepEqual(s.specs, []);
    assert.deepEqual(s.perf.rows, []);
  });

  it('places cases: first table row, outside the table, guards, rule edges', () => {
    const c = sampleCases();
    assert.deepEqual(placeCase(c.accepted), { row: c.accepted.rows[0], col: c.accepted.shapeClass });
    assert.equal(placeCase(c.dtypeRejected).row, 'outside');
    assert.equal(placeCase(c.guard).row, `guard:${c.guard.rejectedBy!.rule}`);
    const edge = placeCase(c.ruleEdge);
    assert.equal(edge.row, `rule:${c.ruleEdge.rejectedBy!.rule}`);
    assert.equal(edge.col, 'edge:outside');
  });

  it('builds the matrix per product × row × shape class with counts and unexpected', () => {
    const c = sampleCases();
    const records = [
      record(c.accepted, outcomeOf('pass', c.accepted)),
      record(c.accepted, outcomeOf('fail', c.accepted), { caseId: `${c.accepted.id}#2` }),
      record(c.dtypeRejected, outcomeOf('rejected', c.dtypeRejected)),
      record(c.guard, outcomeOf('unexpected-accept', c.guard)),
      record(c.divergence, outcomeOf('divergence', c.divergence)),
    ];
    const s = summarize(records, environment(), realSpec());
    assert.equal(s.total, 5);
    assert.equal(s.counts.pass, 1);
    assert.equal(s.counts.fail, 1);
    assert.equal(s.unexpectedCount, 2);
    assert.equal(s.verdict, 'unexpected');
    const p = s.specs.flatMap((x) => x.products).find((x) => x.product === 'atlas-a2')!;
    assert.equal(p.total.total, 5);
    const row = p.rows.find((r) => r.key === c.accepted.rows[0])!;
    assert.equal(row.kind, 'table');
    assert.match(row.label, /^Table \d+ row \d+$/);
    assert.ok(row.detail && row.detail.includes('x1=int8'), 'row text from the spec');
    assert.deepEqual(row.byShapeClass[c.accepted.shapeClass], { total: 2, counts: { pass: 1, fail: 1 }, unexpected: 1 });
    const outside = p.rows.find((r) => r.key === 'outside')!;
    assert.equal(outside.label, 'outside the table');
    assert.equal(outside.total.counts.rejected, 1);
    assert.equal(p.rows.find((r) => r.key.startsWith('guard:'))!.total.unexpected, 1);
    // row order: table rows before outside, guards, rules
    const kinds = p.rows.map((r) => r.kind);
    assert.ok(kinds.indexOf('table') < kinds.indexOf('outside') && kinds.indexOf('outside') < kinds.indexOf('guard'), kinds.join(','));
  });

  it('lists divergences with their reason, not as failures', () => {
    const c = sampleCases().divergence;
    const s = summarize([record(c, outcomeOf('divergence', c)), record(c, outcomeOf('divergence', c), { caseId: 'x' })], null);
    assert.equal(s.verdict, 'as-expected');
    assert.deepEqual(s.failures, []);
    assert.equal(s.divergences.length, 1);
    assert.equal(s.divergences[0]!.id, c.divergence!.id);
    assert.equal(s.divergences[0]!.count, 2);
    assert.equal(s.divergences[0]!.library, 'reject');
    assert.equal(s.divergences[0]!.detail, 'rejected as the divergence says');
    const row = s.specs[0]!.products[0]!.rows.find((r) => r.divergences > 0);
    assert.ok(row, 'the row counts its divergences');
  });

  it('reports which admissible alternatives matched', () => {
    const c = sampleCases().accepted;
    const s = summarize([
      record(c, { status: 'pass', metrics: metrics({ alternatives: { 'pertoken-fused-order': 3, 'int8-tie-other': 1 } }) }),
      record(c, { status: 'pass', metrics: metrics({ alternatives: { 'pertoken-fused-order': 2 } }) }, { caseId: 'b' }),
      record(c, { status: 'pass', metrics: metrics() }, { caseId: 'c' }),
    ], null);
    assert.deepEqual(s.alternatives.map((a) => [a.kind, a.cases, a.elements]), [['pertoken-fused-order', 2, 5], ['int8-tie-other', 1, 1]]);
  });

  it('keeps failures with metrics, worst elements and the replay command; expected ones marked', () => {
    const c = sampleCases().accepted;
    const s = summarize([
      record(c, outcomeOf('fail', c)),
      record(c, outcomeOf('timeout', c), { caseId: 't', asExpected: true, expectation: { expected: ['timeout'], reason: 'known hang' } }),
      record(c, outcomeOf('pass', c), { caseId: 'up', asExpected: false, unexpectedPass: true, expectation: { expected: ['fail'], reason: 'bug 12' } }),
    ], null);
    assert.equal(s.failures.length, 3);
    const fail = s.failures[0]!;
    assert.equal(fail.metrics!.mismatches, 3);
    assert.equal(fail.worst[0]!.actual, 7);
    assert.match(fail.replay, /--case /);
    assert.equal(fail.unexpected, true);
    assert.equal(s.failures[1]!.unexpected, false, 'an expectation covers the timeout');
    assert.deepEqual(s.unexpected.map((u) => u.caseId), [c.id, 'up']);
    assert.match(s.unexpected[1]!.reason, /expectation file says fail \(bug 12\)/);
  });

  it('counts skips by reason and lists flaky cases', () => {
    const c = sampleCases().accepted;
    const s = summarize([
      record(c, outcomeOf('skip', c)), record(c, outcomeOf('skip', c), { caseId: 'b' }),
      record(c, { status: 'skip', reason: 'other' }, { caseId: 'c' }), record(c, outcomeOf('pass', c), { caseId: 'd', flaky: true, attempts: 2 }),
    ], null);
    assert.deepEqual(s.skips, [{ reason: 'graph mode is a torch_npu feature', count: 2 }, { reason: 'other', count: 1 }]);
    assert.deepEqual(s.flaky, ['d']);
  });

  it('carries performance rows against the host peak for a CPU backend', () => {
    const c = sampleCases().perf;
    const env = environment({ hostPeak: { gops: 200, isa: 'avx2', cpu: 'Test CPU', threads: 1, probeMs: 200 } });
    const s = summarize([timed(c, { medianUs: 1000 })], env, realSpec());
    assert.equal(s.perf.rows.length, 1);
    assert.equal(s.perf.peaks['atlas-a2']!.basis, 'host');
    assert.equal(s.perf.floatNote, 'the backend timed no float matmul of these shapes, so there is no float comparison');
    assert.equal(s.run!.hostPeak!.gops, 200);
  });
});
