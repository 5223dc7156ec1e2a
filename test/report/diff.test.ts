import assert from 'node:assert/strict';
import { diffRuns } from '../../harness/report/diff';
import { outcomeOf, record, sampleCases, timed } from './helpers';

describe('report: diffRuns', () => {
  const c = sampleCases().accepted;
  const pass = (id: string) => record(c, outcomeOf('pass', c), { caseId: id });
  const fail = (id: string) => record(c, outcomeOf('fail', c), { caseId: id });

  it('finds new unexpected outcomes, fixed cases, changes, additions and removals', () => {
    const a = [pass('stays'), fail('gets-fixed'), pass('breaks'), pass('removed'), fail('still-bad'),
      record(c, outcomeOf('divergence', c), { caseId: 'to-pass' })];
    const b = [pass('stays'), pass('gets-fixed'), fail('breaks'), fail('new-and-bad'), fail('still-bad'), pass('to-pass')];
    const d = diffRuns({ name: 'a', records: a, env: null }, { name: 'b', records: b, env: null });
    assert.deepEqual(d.newUnexpected.map((x) => [x.caseId, x.from, x.to]), [['breaks', 'pass', 'fail'], ['new-and-bad', null, 'fail']]);
    assert.deepEqual(d.fixed.map((x) => x.caseId), ['gets-fixed']);
    assert.deepEqual(d.changed.map((x) => [x.caseId, x.from, x.to]), [['to-pass', 'divergence', 'pass']]);
    assert.equal(d.stillUnexpected, 1);
    assert.deepEqual(d.added, ['new-and-bad']);
    assert.deepEqual(d.removed, ['removed']);
    assert.match(d.newUnexpected[0]!.replay, /--case /);
  });

  it('reports performance moves beyond noise', () => {
    const p = sampleCases().perf;
    const d = diffRuns(
      { name: 'a', records: [timed(p, { medianUs: 100 })], env: null },
      { name: 'b', records: [timed(p, { medianUs: 200, p10Us: 190, p90Us: 210 })], env: null },
    );
    assert.equal(d.perf.regressions, 1);
    assert.deepEqual(d.newUnexpected, []);
  });
});
