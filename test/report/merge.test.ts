import assert from 'node:assert/strict';
import { compareEnvironments, mergeResultSets, type MergedEnvironment } from '../../harness/report/merge';
import { realCases } from '../helpers/spec';
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

  it('compares environments within a product: spec, backend, seed conflict; the rest are notes', () => {
    const diffs = compareEnvironments([
      { name: 'A', env: environment() },
      { name: 'B', env: environment({ seed: 7, profile: 'full', spec: { file: 'x', hash: 'cd'.repeat(32) } }) },
    ]);
    assert.deepEqual(diffs.map((d) => [d.field, d.severity]), [['spec.hash', 'conflict'], ['seed', 'conflict'], ['profile', 'note']]);
  });

  it('joins runs of different products without a conflict, keeping each product\u2019s environment', () => {
    const inf = realCases('smoke').find((x) => x.product === 'atlas-inference' && x.expect === 'accept')!;
    const npu = environment({ backend: 'torch-npu', simulated: false, hostPeak: undefined });
    const cpu = environment({ product: 'atlas-inference', seed: 3, hostPeak: { gops: 500, isa: 'avx2', cpu: 'Test CPU', threads: 1, probeMs: 200 } });
    const m = mergeResultSets([
      { name: 'A2', records: [pass('a')], env: npu },
      { name: 'INF', records: [record(inf, outcomeOf('fail', inf), { caseId: 'a' })], env: cpu },
    ], ['merge']);
    assert.deepEqual(m.conflicts, [], 'the same id on two products is two results');
    assert.deepEqual(m.envDifferences, [], 'different backends, seeds and hosts across products are normal');
    assert.equal(m.records.length, 2);
    const envs = (m.env as MergedEnvironment).environments!;
    assert.deepEqual(envs.map((e) => [e.product, e.backend, e.seed, e.hostPeak?.gops ?? null]), [['atlas-a2', 'torch-npu', 0, null], ['atlas-inference', 'onnxruntime', 3, 500]]);
    assert.equal(m.env!.product, 'atlas-a2,atlas-inference');
    assert.equal(m.env!.backend, 'torch-npu,onnxruntime');
    assert.equal(m.env!.hostPeak, undefined, 'one product\u2019s host peak is not the set\u2019s');
    // a merged release merges again: its products' environments are unpacked, not nested
    const again = mergeResultSets([{ name: 'R', records: m.records, env: m.env }, { name: 'A2b', records: [], env: npu }], []);
    assert.deepEqual((again.env as MergedEnvironment).environments!.map((e) => e.product), ['atlas-a2', 'atlas-inference']);
    assert.deepEqual(again.envDifferences, []);
  });

  it('still reports two outcomes of one case on one product as a conflict', () => {
    const m = mergeResultSets([{ name: 'A', records: [pass('x')], env: environment() }, { name: 'B', records: [fail('x')], env: environment() }], []);
    assert.deepEqual(m.conflicts.map((c) => c.caseId), ['x']);
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
