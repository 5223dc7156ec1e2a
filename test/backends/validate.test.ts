import assert from 'node:assert/strict';
import { checkDeviceInfo, checkReply, replyProblem } from '../../harness/backends/validate';
import type { DeviceInfo } from '../../harness/backends/types';
import type { Case } from '../../harness/expand/case';
import { makeCase } from '../helpers/make-case';
import { f32, i32, randInt8, rng } from './torch-npu/helpers';

const rand = rng(1);
/** an accepted case: x1 (2,4,8) @ weight (3,8)^T -> (2,4,3) float16 */
function accepted(repeat = 1): Case {
  return makeCase({
    out: 'float16', repeat,
    inputs: { x1: randInt8([2, 4, 8], rand), weight: randInt8([3, 8], rand), scale: f32([1], [0.5]), offset: null, bias: i32([3], [1, 2, 3]), pertoken_scale: null },
  });
}
const out = (shape = [2, 4, 3], data: unknown = new Uint16Array(24), dtype = 'float16') => ({ dtype, shape, data });
const ok = (extra: Record<string, unknown> = {}) => ({ status: 'ok', output: out(), ...extra });

describe('backends: reply validation', () => {
  it('accepts well-formed replies of every status', () => {
    const c = accepted();
    assert.equal(replyProblem(c, ok()), null);
    assert.equal(replyProblem(c, ok({ timings: { repeats: 3, medianUs: 1, p10Us: 0.5, p90Us: 2, floatBaseline: { dtype: 'float16', label: 'x', medianUs: 1, p10Us: 1, p90Us: 1 } } })), null);
    assert.equal(replyProblem(c, { status: 'rejected', errorType: 'ValueError', message: 'no', errorClass: 'parameter' }), null);
    assert.equal(replyProblem(c, { status: 'skip', reason: 'graph mode' }), null);
    assert.equal(replyProblem(accepted(3), ok({ repeats: [out(), out()] })), null);
  });

  it('names the field of a malformed reply', () => {
    const c = accepted();
    const cases: [unknown, string][] = [
      [null, 'the reply is null, expected an object with a status'],
      [undefined, 'the reply is missing, expected an object with a status'],
      [{ output: out() }, 'status is missing, expected one of ok, rejected, skip'],
      [{ status: 'passed' }, 'status is "passed", expected one of ok, rejected, skip'],
      [ok({ output: null }), 'output is null, expected a tensor {dtype, shape, data}'],
      [ok({ output: out([2, 4, 4], new Uint16Array(32)) }), 'output.shape is [2,4,4], the case expects [2,4,3]'],
      [ok({ output: out([8, 3], new Uint16Array(24)) }), 'output.shape is [8,3], the case expects [2,4,3]'],
      [ok({ output: out([2, 4, 3], new Float32Array(24), 'float32') }), 'output.dtype is float32, the case expects float16'],
      [ok({ output: out([2, 4, 3], new Uint16Array(24), 'half') }), 'output.dtype is "half", expected one of int8, uint8, int32, int64, float16, bfloat16, float32'],
      [ok({ output: out([2, 4, 3], new Uint16Array(23)) }), 'output.data has 23 element(s), shape [2,4,3] needs 24'],
      [ok({ output: out([2, 4, 3], new Int16Array(24)) }), 'output.data is an Int16Array, float16 data must be a Uint16Array'],
      [ok({ output: out([2, 4, 3], [1, 2]) }), 'output.data is [1,2], float16 data must be a Uint16Array'],
      [ok({ output: out([2, -4, 3]) }), 'output.shape is [2,-4,3], expected an array of non-negative integers'],
      [ok({ timings: { repeats: 1, medianUs: NaN, p10Us: 1, p90Us: 1 } }), 'timings.medianUs is NaN, expected a finite number'],
      [ok({ timings: { repeats: 1, medianUs: 1, p10Us: 1, p90Us: Infinity } }), 'timings.p90Us is Infinity, expected a finite number'],
      [ok({ repeats: [out()] }), 'repeats has 1 tensor(s), the case asks for 1 run(s), so 0 repeat(s)'],
      [{ status: 'rejected', errorType: 'E', message: 'm', errorClass: 'fatal' }, 'errorClass is "fatal", expected one of parameter, inner, unknown'],
      [{ status: 'rejected', errorType: 7, message: 'm', errorClass: 'inner' }, 'errorType is 7, expected a string'],
      [{ status: 'skip' }, 'reason is missing, expected a string'],
    ];
    for (const [reply, problem] of cases) {
      assert.equal(replyProblem(c, reply), problem, JSON.stringify(reply));
      const checked = checkReply(c, reply);
      assert.ok(checked instanceof Error && checked.message === `backend reply: ${problem}`);
    }
  });

  it('repeats: exactly case.repeat - 1 of them, each like the output', () => {
    const c = accepted(3);
    assert.equal(replyProblem(c, ok()), 'repeats has 0 tensor(s), the case asks for 3 run(s), so 2 repeat(s)');
    assert.equal(replyProblem(c, ok({ repeats: [out()] })), 'repeats has 1 tensor(s), the case asks for 3 run(s), so 2 repeat(s)');
    assert.equal(replyProblem(c, ok({ repeats: [out(), out([2, 4, 3], new Uint16Array(2))] })), 'repeats[1].data has 2 element(s), shape [2,4,3] needs 24');
    assert.equal(replyProblem(c, ok({ repeats: 'x' })), 'repeats is "x", expected an array of tensors');
  });

  it('a case the doc rejects: any well-formed tensor (its shape may be undefined), so the judge sees the acceptance', () => {
    const c = { ...accepted(), expect: 'reject' as const };
    assert.equal(replyProblem(c, ok({ output: { dtype: 'int8', shape: [1], data: new Int8Array(1) } })), null);
    assert.equal(replyProblem(c, ok({ output: { dtype: 'int8', shape: [1], data: new Int8Array(2) } })), 'output.data has 2 element(s), shape [1] needs 1');
  });

  it('checks the DeviceInfo open() returns', () => {
    const good: DeviceInfo = { backend: 'x', product: null, socName: null, device: 'cpu', simulated: true, versions: { node: 'v20' }, enforcesContract: false, notes: [] };
    assert.deepEqual(checkDeviceInfo(good), good);
    const problems: [unknown, string][] = [
      [null, 'open() returned null, expected a DeviceInfo object'],
      [{ ...good, device: '' }, 'DeviceInfo.device is "", expected a non-empty string'],
      [{ ...good, product: 5 }, 'DeviceInfo.product is 5, expected a string or null'],
      [{ ...good, simulated: 'yes' }, 'DeviceInfo.simulated is "yes", expected true or false'],
      [{ ...good, versions: { torch: 2 } }, 'DeviceInfo.versions.torch is 2, expected a string'],
      [{ ...good, notes: 'n' }, 'DeviceInfo.notes is "n", expected an array of strings'],
    ];
    for (const [info, problem] of problems) {
      const r = checkDeviceInfo(info);
      assert.ok(r instanceof Error && r.message === problem, `${JSON.stringify(info)}: ${String(r instanceof Error ? r.message : 'accepted')}`);
    }
  });
});
