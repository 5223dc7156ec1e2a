import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT, SYSTEM_PYTHON } from './helpers';

const WORKER_DIR = path.join(REPO_ROOT, 'harness', 'backends', 'torch-npu');

/** Runs a Python snippet with the worker's modules importable; returns its stdout. */
function python(code: string): string {
  return execFileSync(SYSTEM_PYTHON, ['-c', code], {
    encoding: 'utf8', env: { ...process.env, PYTHONPATH: WORKER_DIR }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('torch-npu worker internals (Python)', function () {
  this.timeout(60_000);

  it('timing: event pairs recorded back to back, one synchronize after the timed calls, per-call samples', () => {
    // a fake device clock: each call takes 10 us of "device" time; the log shows the order of operations
    const out = python(`
import json, torch, timing
log, clock = [], [0.0]
class Event:
    def __init__(self, enable_timing=False): self.t = None
    def record(self): self.t = clock[0]; log.append('record')
    def synchronize(self): log.append('event.synchronize')
    def elapsed_time(self, end): return (end.t - self.t) / 1000.0
class Npu:
    Event = Event
    @staticmethod
    def synchronize(): log.append('sync')
torch.npu = Npu
def fn():
    clock[0] += 10.0; log.append('call')
stats = timing._time(fn, 2, 4)
print(json.dumps({'stats': stats, 'log': log}))
`);
    const { stats, log } = JSON.parse(out) as { stats: Record<string, number>; log: string[] };
    assert.deepEqual(log, ['call', 'call', 'sync', ...Array(4).fill(['record', 'call', 'record']).flat(), 'sync']);
    assert.deepEqual(stats, { medianUs: 10, p10Us: 10, p90Us: 10 });
  });

  it('binding: a call torch_npu\'s parser refuses is a StageError; the library\'s own TypeError is not', () => {
    const out = python(`
import torch, run_case
def kinds(fn):
    try:
        fn()
    except run_case.StageError as exc:
        return 'stage: ' + str(exc)
    except TypeError as exc:
        return 'type: ' + str(exc)
t = torch.ones(2, 2)
def lib(a, *, b=None):
    raise TypeError('lib() takes 1 positional argument')  # raised inside the library: its verdict
print(kinds(lambda: run_case._call('matmul', torch.matmul, t, t, pertoken_scale=t)))
print(kinds(lambda: run_case._invoke('lib', lib, t, pertoken_scale=t)))
print(kinds(lambda: run_case._call('lib', lib, t)))
`).trim().split('\n');
    assert.match(out[0]!, /^stage: matmul: this torch_npu does not take the call: .*unexpected keyword argument 'pertoken_scale'/);
    assert.match(out[1]!, /^stage: lib: this torch_npu does not take the call: .*pertoken_scale/);
    assert.match(out[2]!, /^type: lib\(\) takes 1 positional argument/);
  });
});
