import assert from 'node:assert/strict';
import type { BackendRun } from '../../harness/backends/types';
import type { Case } from '../../harness/expand/case';
import { judgeCase, type RunEvent } from '../../harness/judge/judge';
import type { ReferenceOutput } from '../../harness/reference/types';
import { realCases } from '../helpers/spec';

const out = { dtype: 'int8' as const, shape: [1, 2], data: Int8Array.from([3, 4]) };
const reference = (): ReferenceOutput => ({
  path: 'int8-requant', shape: [1, 2], expected: out, alternatives: [], ideal: Float64Array.from([3, 4]),
  acc: new Int32Array(2), scaleGap: 0,
});
const noReference = (): ReferenceOutput => { throw new Error('the reference must not be needed here'); };
const cmp = { mode: 'exact' as const, bf16Tolerance: 1e-3 };
const ran = (run: BackendRun): RunEvent => ({ kind: 'ran', run });
const ok = (data = [3, 4], repeats?: number[][]): RunEvent => ran({
  status: 'ok', output: { ...out, data: Int8Array.from(data) },
  ...(repeats ? { repeats: repeats.map((r) => ({ ...out, data: Int8Array.from(r) })) } : {}),
});
const rejected = (errorClass: 'parameter' | 'inner' | 'unknown' = 'parameter'): RunEvent =>
  ran({ status: 'rejected', errorType: 'RuntimeError', message: 'nope', errorClass });

function pick(pred: (c: Case) => boolean): Case {
  const c = realCases('full').find(pred);
  assert.ok(c, 'a case of that kind exists');
  return c;
}

describe('judge: judgeCase', () => {
  const accept = () => pick((c) => c.expect === 'accept' && !c.divergence);
  const reject = () => pick((c) => c.expect === 'reject' && !c.divergence);

  it("a module-guard case must be refused by the module's own guard (its exception type), not by the op", () => {
    const guard = pick((c) => c.rejectedBy?.kind === 'module' && c.call.target === 'module');
    assert.equal(guard.rejectedBy!.raises, 'ValueError', 'the spec names the exception the guard raises');
    const refusal = (errorType: string): RunEvent => ran({ status: 'rejected', errorType, message: 'nope', errorClass: 'parameter' });
    assert.equal(judgeCase(guard, refusal('ValueError'), noReference, cmp).status, 'rejected');
    const missing = judgeCase(guard, refusal('RuntimeError'), noReference, cmp);
    assert.equal(missing.status, 'fail');
    assert.match(missing.status === 'fail' ? missing.reason : '', /expected the module's guard x1-weight-int8 to raise ValueError/);
    // the op has no module guard: any clean refusal is the doc's rejection
    const asOp: Case = { ...guard, call: { ...guard.call, target: 'op' } };
    assert.equal(judgeCase(asOp, refusal('RuntimeError'), noReference, cmp).status, 'rejected');
  });

  it('pass, fail, rejected, unexpected-accept, unexpected-reject', () => {
    assert.equal(judgeCase(accept(), ok(), reference, cmp).status, 'pass');
    assert.equal(judgeCase(accept(), ok([3, 5]), reference, cmp).status, 'fail');
    assert.equal(judgeCase(accept(), rejected(), noReference, cmp).status, 'unexpected-reject');
    assert.equal(judgeCase(reject(), rejected(), noReference, cmp).status, 'rejected');
    assert.equal(judgeCase(reject(), ok(), noReference, cmp).status, 'unexpected-accept');
  });

  it('error, timeout and skip come from the run event', () => {
    assert.equal(judgeCase(accept(), { kind: 'crashed', message: 'x' }, noReference, cmp).status, 'error');
    assert.deepEqual(judgeCase(accept(), { kind: 'timed-out', limitMs: 5 }, noReference, cmp), { status: 'timeout', limitMs: 5 });
    assert.deepEqual(judgeCase(accept(), ran({ status: 'skip', reason: 'r' }), noReference, cmp), { status: 'skip', reason: 'r' });
  });

  it('fails a rejection that is an inner error (a clean parameter error was due)', () => {
    const o = judgeCase(reject(), rejected('inner'), noReference, cmp);
    assert.equal(o.status, 'fail');
    assert.match((o as { reason: string }).reason, /inner error/);
  });

  it('fails nondeterministic repeats even when the first run is right (the `repeat` tag)', () => {
    const o = judgeCase(accept(), ok([3, 4], [[3, 4], [3, 5]]), reference, cmp);
    assert.equal(o.status, 'fail');
    assert.match((o as { reason: string }).reason, /nondeterministic: run 3/);
  });

  it('divergence: the library rejects where the doc accepts', () => {
    const c = pick((x) => x.divergence?.library === 'reject');
    const o = judgeCase(c, rejected(), noReference, cmp);
    assert.equal(o.status, 'divergence');
    // a device crash is never the divergence's clean refusal
    assert.equal(judgeCase(c, rejected('inner'), noReference, cmp).status, 'fail');
    // and doing what the doc says is still judged normally
    assert.equal(judgeCase(c, ok(), reference, cmp).status, 'pass');
  });

  it('divergence: the library accepts where the doc rejects, values judged', () => {
    const c = pick((x) => x.divergence?.library === 'accept');
    assert.equal(judgeCase(c, ok(), reference, cmp).status, 'divergence');
    assert.equal(judgeCase(c, ok([0, 0]), reference, cmp).status, 'fail');
    assert.equal(judgeCase(c, rejected(), noReference, cmp).status, 'rejected');
  });

  it('runs undefined-input cases for robustness only: values never judged, crashes still count', () => {
    const c = pick((x) => x.tags.includes('undefined-input') && x.expect === 'accept');
    assert.equal(judgeCase(c, ok([9, 9]), reference, cmp).status, 'pass');
    assert.equal(judgeCase(c, rejected(), noReference, cmp).status, 'rejected');
    assert.equal(judgeCase(c, { kind: 'crashed', message: 'x' }, noReference, cmp).status, 'error');
  });

  it('is an error when the backend returns fewer runs than the case asks for', () => {
    const c = { ...accept(), repeat: 3 };
    assert.equal(judgeCase(c, ok([3, 4]), reference, cmp).status, 'error');
    assert.equal(judgeCase(c, ok([3, 4], [[3, 4], [3, 4]]), reference, cmp).status, 'pass');
  });
});

