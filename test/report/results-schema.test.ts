import assert from 'node:assert/strict';
import * as path from 'path';
import { OUTCOME_STATUSES } from '../../harness/judge/outcome';
import { validateRecord } from '../../harness/report/results-schema';
import { readResults, type ResultRecord } from '../../harness/run/record';
import { metrics, outcomeOf, record, runInto, sampleCases, tmpDir, writeMixedPlugin } from './helpers';

describe('report: results schema (schema/results.schema.json)', function () {
  this.timeout(180_000);

  const real: Record<string, ResultRecord[]> = {};

  before(async () => {
    const plugin = writeMixedPlugin(tmpDir());
    // a mix of every table row, rejections, divergences, edges; the mixed plugin adds fail, error, unexpected-*
    const mixed = await runInto(['--backend', plugin, '--product', 'atlas-inference', '--grep', '(table1-r2/|/rank/|outside-table/s-f32_o-none_b-none_p-f32|/m1/|/rank6/|tail-)']);
    real.mixed = readResults(path.join(mixed.dir, 'results.jsonl'));
    const twin = await runInto(['--backend', path.join(__dirname, '..', '..', '..', 'examples', 'plugin-twin.js'), '--grep', 'table2-r3/']);
    real.twin = readResults(path.join(twin.dir, 'results.jsonl'));
    // onnxruntime: accepted cases, skips, and timed perf cases with a float baseline
    const ort = await runInto(['--backend', 'onnxruntime', '--grep', '(table2-r2/.*/base/|perf/square-512/.*y-f16|/outside-table/.*/base/full-range)']);
    real.ort = readResults(path.join(ort.dir, 'results.jsonl'));
  });

  it('accepts every record real runs write (plugin and onnxruntime)', () => {
    for (const [name, records] of Object.entries(real)) {
      assert.ok(records.length >= 3, `${name}: ${records.length} records`);
      for (const r of records) assert.deepEqual(validateRecord(JSON.parse(JSON.stringify(r))), [], `${name}: ${r.caseId}`);
    }
    const statuses = new Set(Object.values(real).flat().map((r) => r.outcome.status));
    for (const s of ['pass', 'fail', 'rejected', 'unexpected-accept', 'unexpected-reject', 'divergence', 'error', 'skip'] as const) {
      assert.ok(statuses.has(s), `real runs produced no ${s}: ${[...statuses].join(', ')}`);
    }
    assert.ok(real.ort!.some((r) => r.timings.device?.floatBaseline), 'onnxruntime timed a float baseline');
  });

  it('accepts a hand-made record of every outcome status', () => {
    const cases = sampleCases();
    for (const status of OUTCOME_STATUSES) {
      const c = status === 'divergence' ? cases.divergence : cases.accepted;
      assert.deepEqual(validateRecord(JSON.parse(JSON.stringify(record(c, outcomeOf(status, c))))), [], status);
    }
  });

  it('accepts non-finite metrics, which JSON writes as null', () => {
    const c = sampleCases().accepted;
    const r = record(c, { status: 'fail', reason: 'NaN', metrics: metrics({ maxAbs: Infinity, maxRel: NaN }), worst: [{ index: 0, at: [0, 0], actual: NaN, expected: 1, ideal: 1, absError: Infinity, ulps: Infinity }] });
    assert.deepEqual(validateRecord(JSON.parse(JSON.stringify(r))), []);
  });

  const broken: [string, (r: Record<string, unknown>) => void, RegExp][] = [
    ['a wrong version', (r) => { r.version = 3; }, /\/version: must be equal to constant/],
    ['an unknown top-level key', (r) => { r.extra = 1; }, /must NOT have additional properties 'extra'/],
    ['a missing replay', (r) => { delete r.replay; }, /must have required property 'replay'/],
    ['an unknown status', (r) => { r.outcome = { status: 'passed' }; }, /\/outcome\/status: must be equal to one of the allowed values/],
    ['a fail without worst', (r) => { r.outcome = { status: 'fail', reason: 'x', metrics: null }; }, /\/outcome: must have required property 'worst'/],
    ['a pass with a stale reason', (r) => { (r.outcome as Record<string, unknown>).reason = 'left over'; }, /\/outcome: must NOT have additional properties 'reason'/],
    ['an unknown alternative kind', (r) => { ((r.outcome as { metrics: { alternatives: Record<string, number> } }).metrics.alternatives).guess = 1; }, /alternatives: must NOT have additional properties 'guess'/],
    ['timings without repeats', (r) => { (r.timings as Record<string, unknown>).device = { medianUs: 1, p10Us: 1, p90Us: 1 }; }, /\/timings\/device: must have required property 'repeats'/],
    ['a negative shape', (r) => { ((r.case as { shapes: { x1: number[] } }).shapes.x1)[0] = -1; }, /\/case\/shapes\/x1\/0: must be >= 0/],
    ['an unknown dtype', (r) => { ((r.case as { dtypes: Record<string, string> }).dtypes).x1 = 'int4'; }, /\/case\/dtypes\/x1/],
    ['a startedAt that is no time', (r) => { r.startedAt = 'yesterday'; }, /\/startedAt: must match pattern/],
  ];
  for (const [what, breakIt, message] of broken) {
    it(`rejects a record with ${what}`, () => {
      const c = sampleCases().accepted;
      const r = JSON.parse(JSON.stringify(record(c, outcomeOf('pass', c)))) as Record<string, unknown>;
      assert.deepEqual(validateRecord(r), [], 'valid before breaking');
      breakIt(r);
      const errors = validateRecord(r);
      assert.ok(errors.some((e) => message.test(e)), errors.join('\n'));
    });
  }
});
