import assert from 'node:assert/strict';
import { compareEnvironments, mergeResultSets } from '../../harness/report/merge';
import { environment, outcomeOf, record, sampleCases } from './helpers';

describe('report: mergeResultSets', () => {
  const c = sampleCases().accepted;
  const pass = (id: string) => record(c, outcomeOf('pass', c), { caseId: id });
  const fail = (id: string) => record(c, outcomeOf('fail', c), { caseId: id });

  it('joins shards in order, reports same-status repeats as duplicates and different ones as conflicts', () => {
    const m = mergeResultSets([
      { name: 'A', records: [pass('a'), pass('b')], env: environment({ startedAt: '2026-01-01T00:00:05.000Z' }) },
      { name: 'B', records: [pass('b'), fail('c'), pass('d')], env: environment({ startedAt: '2026-01-01T00:00:01.000Z', finishedAt: '2026-01-01T00:09:00.000Z' }) },
      { name: 'C', records: [pass('c')], env: null },
    ], ['merge', 'A', 'B', 'C']);
    assert.deepEqual(m.records.map((r) => r.caseId), ['a', 'b', 'c', 'd']);
    assert.equal(m.records[2]!.outcome.status, 'fail', 'the first record of a case is kept');
    assert.deepEqual(m.duplicates, [{ caseId: 'b', status: 'pass', sources: ['A', 'B'] }]);
    assert.deepEqual(m.conflicts, [{ caseId: 'c', outcomes: [{ source: 'B', status: 'fail', asExpected: false }, { source: 'C', status: 'pass', asExpected: true }] }]);
    assert.equal(m.env!.startedAt, '2026-01-01T00:00:01.000Z');
    assert.equal(m.env!.finishedAt, '2026-01-01T00:09:00.000Z');
    assert.deepEqual(m.env!.argv, ['merge', 'A', 'B', 'C']);
    assert.deepEqual(m.envDifferences, []);
  });

  it('compares environments: spec, backend, product, seed conflict; the rest are notes', () => {
    const diffs = compareEnvironments([
      { name: 'A', env: environment() },
      { name: 'B', env: environment({ seed: 7, profile: 'full', spec: { file: 'x', hash: 'cd'.repeat(32) } }) },
    ]);
    assert.deepEqual(diffs.map((d) => [d.field, d.severity]), [['spec.hash', 'conflict'], ['seed', 'conflict'], ['profile', 'note']]);
  });

  it('merges an unfinished shard as unfinished, and device lists as their union', () => {
    const other = environment().devices.map((d) => ({ ...d, device: 'cpu:1' }));
    const m = mergeResultSets([
      { name: 'A', records: [], env: environment() }, { name: 'B', records: [], env: environment({ finishedAt: null, devices: other }) },
    ], []);
    assert.equal(m.env!.finishedAt, null);
    assert.deepEqual(m.env!.devices.map((d) => d.device), ['cpu', 'cpu:1']);
  });
});
