import assert from 'node:assert/strict';
import type { Case, Divergence } from '../../harness/expand/case';
import type { Outcome } from '../../harness/judge/outcome';
import { computeVerdict, type VerdictInput } from '../../harness/qualify/verdict';
import { requiredCases } from '../../harness/qualify/required';
import { makeCase, i32, f32, randInt8, rng } from '../backends/torch-npu/helpers';
import { record } from './helpers';

const DIV: Divergence = { id: 'E3-test', library: 'accept', condition: 'CANN >= 8', source: 'section 9' };
const DIV_REJECT: Divergence = { id: 'vllm-test', library: 'reject', condition: 'rank >= 3', source: 'vllm-ascend #3257' };

/** A case with the given id, doc verdict, divergence and tags (the inputs do not matter to the verdict). */
function kase(id: string, expect: 'accept' | 'reject' = 'accept', divergence: Divergence | null = null, tags: string[] = []): Case {
  const r = rng(1);
  const c = makeCase({ target: 'op', out: 'float16', id, tags, inputs: {
    x1: randInt8([2, 4], r), weight: randInt8([3, 4], r), scale: f32([3], [1, 1, 1]), offset: null, bias: i32([3], [0, 0, 0]), pertoken_scale: null,
  } });
  return { ...c, expect, divergence, rejectedBy: expect === 'reject' ? { kind: 'dtype', rule: 'outside-table' } : null };
}

const PASS: Outcome = { status: 'pass', metrics: {} as never };
const REJECTED: Outcome = { status: 'rejected', errorType: 'ValueError', message: 'no', errorClass: 'parameter' };

const A = kase('p/a');
const R = kase('p/r', 'reject');
const D = kase('p/d', 'reject', DIV);
const DR = kase('p/dr', 'accept', DIV_REJECT);
const U = kase('p/u', 'accept', null, ['undefined-input']);
const ALL = [A, R, D, DR, U];

function input(outcomes: Array<[Case, Outcome]>, over: Partial<VerdictInput> = {}): VerdictInput {
  const { required, notRequired } = requiredCases(ALL);
  return { product: 'atlas-a2', required, notRequired, records: outcomes.map(([c, o]) => record(c, o)), simulated: false, filter: null, ...over };
}

const faithful = (): Array<[Case, Outcome]> => [
  [A, PASS], [R, REJECTED], [D, REJECTED], [DR, PASS], [U, PASS],
];

describe('qualify: verdict', () => {
  it('undefined-input cases are not required', () => {
    assert.deepEqual(requiredCases(ALL), { required: ['p/a', 'p/r', 'p/d', 'p/dr'], notRequired: ['p/u'] });
  });

  it('qualifies when every required case passed or was rejected as the doc says', () => {
    const v = computeVerdict(input(faithful()));
    assert.equal(v.verdict, 'qualified');
    assert.equal(v.label, 'qualified');
    assert.deepEqual(v.disqualifying, []);
    assert.equal(v.counts.required, 4);
    assert.equal(v.counts.qualifying, 4);
    assert.equal(v.counts.notRequired, 1);
    assert.deepEqual(v.divergences, []);
  });

  it('a divergence qualifies with the library\'s behaviour, and is listed', () => {
    const v = computeVerdict(input([
      [A, PASS], [R, REJECTED],
      [D, { status: 'divergence', divergence: DIV, detail: 'accepted as the divergence says, values right', metrics: null }],
      [DR, { status: 'divergence', divergence: DIV_REJECT, detail: 'rejected as the divergence says', metrics: null }],
    ]));
    assert.equal(v.verdict, 'qualified');
    assert.deepEqual(v.divergences.map((d) => [d.id, d.library, d.cases]), [['E3-test', 'accept', ['p/d']], ['vllm-test', 'reject', ['p/dr']]]);
  });

  const bad: Array<[string, Outcome]> = [
    ['fail', { status: 'fail', reason: 'max abs 3', metrics: null, worst: [] }],
    ['skip', { status: 'skip', reason: 'backend enforces no contract' }],
    ['error', { status: 'error', message: 'worker died' }],
    ['timeout', { status: 'timeout', limitMs: 10 }],
    ['unexpected-reject', { status: 'unexpected-reject', errorType: 'RuntimeError', message: 'EZ9999', errorClass: 'inner' }],
    ['unexpected-accept', { status: 'unexpected-accept', metrics: null }],
  ];
  for (const [status, outcome] of bad) {
    it(`${status} disqualifies, and the case is listed`, () => {
      const outcomes = faithful().map(([c, o]): [Case, Outcome] => [c, c === A ? outcome : o]);
      const v = computeVerdict(input(outcomes));
      assert.equal(v.verdict, 'not-qualified');
      assert.deepEqual(v.disqualifying.map((d) => [d.caseId, d.status]), [['p/a', status]]);
      assert.equal(v.counts.disqualifying, 1);
    });
  }

  it('a bad outcome of a not-required case does not disqualify', () => {
    const outcomes = faithful().map(([c, o]): [Case, Outcome] => [c, c === U ? { status: 'error', message: 'x' } : o]);
    assert.equal(computeVerdict(input(outcomes)).verdict, 'qualified');
  });

  it('records that break the strict policy or contradict the case disqualify', () => {
    const { required, notRequired } = requiredCases(ALL);
    const base = faithful().filter(([c]) => c !== A).map(([c, o]) => record(c, o));
    const check = (r: ReturnType<typeof record>, status: string): void => {
      const v = computeVerdict({ product: 'atlas-a2', required, notRequired, records: [r, ...base], simulated: false, filter: null });
      assert.equal(v.verdict, 'not-qualified', status);
      assert.equal(v.disqualifying[0]?.status, status, JSON.stringify(v.disqualifying));
    };
    check(record(A, PASS, { attempts: 2, flaky: true }), 'policy');
    check(record(A, PASS, { expectation: { expected: ['pass'], reason: 'x' } }), 'policy');
    check(record(A, PASS, { product: 'atlas-a3' }), 'inconsistent');
    check(record(A, REJECTED), 'inconsistent');
    check(record(A, { status: 'divergence', divergence: DIV, detail: '', metrics: null }), 'inconsistent');
    const twice = computeVerdict(input([...faithful(), [A, PASS]]));
    assert.deepEqual(twice.disqualifying.map((d) => d.status), ['duplicate']);
    const foreign = computeVerdict(input([...faithful(), [kase('p/other'), PASS]]));
    assert.deepEqual(foreign.disqualifying.map((d) => [d.caseId, d.status]), [['p/other', 'extraneous']]);
  });

  it('without a filter, a required case with no record disqualifies (an interrupted run)', () => {
    const v = computeVerdict(input(faithful().filter(([c]) => c !== R)));
    assert.equal(v.verdict, 'not-qualified');
    assert.deepEqual(v.disqualifying.map((d) => [d.caseId, d.status]), [['p/r', 'not-run']]);
  });

  it('a filtered run that leaves required cases out is partial, never qualified', () => {
    const v = computeVerdict(input(faithful().filter(([c]) => c !== R), { filter: { grep: 'p/[ad]' } }));
    assert.equal(v.verdict, 'partial');
    assert.equal(v.label, 'partial: not a qualification');
    assert.equal(v.partial, true);
    assert.equal(v.counts.notRun, 1);
    assert.deepEqual(v.disqualifying, []);
    // a failure still says not qualified, whatever the coverage
    const failed = computeVerdict(input([[A, { status: 'skip', reason: 'x' }]], { filter: { grep: 'p/a' } }));
    assert.equal(failed.verdict, 'not-qualified');
  });

  it('a filter that happens to cover every required case is a whole run', () => {
    assert.equal(computeVerdict(input(faithful(), { filter: { grep: '.' } })).verdict, 'qualified');
  });

  it('a simulated run is never qualified: stamped simulated, or not qualified when something failed', () => {
    const v = computeVerdict(input(faithful(), { simulated: true }));
    assert.equal(v.verdict, 'simulated');
    assert.equal(v.label, 'simulated: not a qualification');
    const skipped = faithful().map(([c, o]): [Case, Outcome] => [c, c === R ? { status: 'skip', reason: 'plugin-twin enforces no contract' } : o]);
    assert.equal(computeVerdict(input(skipped, { simulated: true })).verdict, 'not-qualified');
  });

  describe('graph mode that cannot run on the host', () => {
    const G = { ...kase('p/g'), tags: ['graph'] };
    const graph: Case = { ...G, call: { ...G.call, mode: 'graph' } };
    const WITH_GRAPH = [...ALL, graph];
    const NO_TORCHAIR: Outcome = { status: 'skip', reason: "graph mode unavailable: torchair does not import: ModuleNotFoundError: No module named 'torchair'" };
    const withGraph = (o: Outcome, over: Partial<VerdictInput> = {}): VerdictInput => {
      const { required, notRequired } = requiredCases(WITH_GRAPH);
      return input([...faithful(), [graph, o]], { required, notRequired, ...over });
    };

    it('graph-mode cases skipped because torchair does not import leave a qualification for eager mode, listing them', () => {
      const v = computeVerdict(withGraph(NO_TORCHAIR));
      assert.equal(v.verdict, 'qualified-eager-only');
      assert.equal(v.label, 'qualified for eager mode');
      assert.deepEqual(v.disqualifying, []);
      assert.deepEqual(v.graphNotRun.map((d) => [d.caseId, d.status, d.reason]), [['p/g', 'skip', `skipped: ${NO_TORCHAIR.reason}`]]);
      assert.equal(v.counts.graphNotRun, 1);
      assert.equal(v.counts.qualifying, 4);
    });

    it('where graph mode ran it is required like any other case', () => {
      assert.equal(computeVerdict(withGraph(PASS)).verdict, 'qualified');
      const failed = computeVerdict(withGraph({ status: 'fail', reason: 'graph differs from eager', metrics: null, worst: [] } as Outcome));
      assert.equal(failed.verdict, 'not-qualified');
      assert.deepEqual(failed.disqualifying.map((d) => d.caseId), ['p/g']);
      assert.deepEqual(failed.graphNotRun, []);
    });

    it('one graph case failing while the others are skipped for torchair is not qualified', () => {
      const G2 = { ...graph, id: 'p/g2' };
      const { required, notRequired } = requiredCases([...WITH_GRAPH, G2]);
      const v = computeVerdict(input([...faithful(), [graph, NO_TORCHAIR], [G2, { status: 'error', message: 'worker died' } as Outcome]], { required, notRequired }));
      assert.equal(v.verdict, 'not-qualified');
      assert.deepEqual(v.disqualifying.map((d) => d.caseId), ['p/g2']);
      assert.deepEqual(v.graphNotRun.map((d) => d.caseId), ['p/g']);
    });

    it('other skips of a graph case, the same reason on an eager case, a version 1 bundle, or a simulated run do not qualify for eager mode', () => {
      assert.equal(computeVerdict(withGraph({ status: 'skip', reason: 'some other reason' })).verdict, 'not-qualified');
      const { required, notRequired } = requiredCases(ALL);
      const eagerSkip = faithful().map(([c, o]): [Case, Outcome] => [c, c === A ? NO_TORCHAIR : o]);
      assert.equal(computeVerdict(input(eagerSkip, { required, notRequired })).verdict, 'not-qualified');
      assert.equal(computeVerdict(withGraph(NO_TORCHAIR, { eagerOnly: false })).verdict, 'not-qualified');
      assert.equal(computeVerdict(withGraph(NO_TORCHAIR, { simulated: true })).verdict, 'simulated');
    });
  });
});
