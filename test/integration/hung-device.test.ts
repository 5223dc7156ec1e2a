import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { readResults } from '../../harness/run/record';
import { HUNG_AFTER_TIMEOUTS } from '../../harness/run/runner';
import { STANDIN_PATH, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';
import { capture, tmpDir } from '../helpers/cli';
import { GREP } from '../helpers/plugins';

describe('cli: a hung device on the torch-npu worker (stand-in torch_npu)', function () {
  this.timeout(300_000);
  const vars = ['A8W8_PYTHON', 'PYTHONPATH', 'A8W8_STANDIN_SOC', 'A8W8_STANDIN_FAULT'] as const;
  const saved: Partial<Record<(typeof vars)[number], string>> = {};
  before(function () {
    if (!fs.existsSync(SYSTEM_PYTHON)) this.skip();
    for (const v of vars) saved[v] = process.env[v];
    Object.assign(process.env, { A8W8_PYTHON: SYSTEM_PYTHON, PYTHONPATH: STANDIN_PATH, A8W8_STANDIN_FAULT: 'hang@m=1' });
    delete process.env.A8W8_STANDIN_SOC;
  });
  after(() => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  it(`a kernel that hangs whenever m = 1: declared hung after ${HUNG_AFTER_TIMEOUTS} timeouts, the case left is named (exit 1)`, async () => {
    const out = tmpDir();
    const ctx = capture();
    const code = await main(['run', '--backend', 'torch-npu', '--product', 'atlas-a2', '--profile', 'smoke', '--grep', GREP,
      '--timeout', '3000', '--out', out, '--no-progress'], ctx);
    assert.equal(code, 1, ctx.text());
    const records = readResults(path.join(out, 'results.jsonl'));
    assert.deepEqual(records.map((r) => [r.case.shapeClass, r.outcome.status]),
      [['tiny-1x2x1', 'timeout'], ['m1', 'timeout'], ['doc-example', 'timeout']]);
    const hung = ctx.errors.filter((l) => l.startsWith('ERROR device'));
    assert.equal(hung.length, 1, ctx.text());
    assert.match(hung[0]!, /^ERROR device npu:0 hung: 3 cases in a row timed out \(.*\); 1 case\(s\) not run: linear-a8w8-quant\/atlas-a2\/table2-r2\/\S+\/rank5\/\S+ \(--resume runs them/);
  });
});
