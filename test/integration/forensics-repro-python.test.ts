/**
 * repro.py, run for real: scripts generated for a few kinds of case are run with python3 against the
 * stand-in torch_npu, and their verdict must be the harness's own verdict on the same case, on a clean
 * stand-in (PASS) and with planted faults (FAIL, with the worst elements printed).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { TorchNpuBackend } from '../../harness/backends/torch-npu';
import type { Case } from '../../harness/expand/case';
import { reproduce } from '../../harness/forensics/reproduce';
import { getReferenceImpl } from '../../harness/reference';
import { referenceOptionsFor } from '../../harness/run/reference-options';
import type { CaseRunContext, Slot } from '../../harness/run/runner';
import { standinEnv, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';
import { tmpDir } from '../helpers/cli';
import { realCases, realSpec } from '../helpers/spec';

/** The last row and column left 0 (values wrong), and no contract checks (a rejected call runs). */
const FAULTS = 'tail-unwritten,accept-all';

function runScript(script: string, fault: string | null): { status: number | null; out: string } {
  const r = spawnSync(SYSTEM_PYTHON, [script], { env: standinEnv(fault ? { A8W8_STANDIN_FAULT: fault } : {}), encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('forensics: repro.py against the stand-in torch_npu', function () {
  this.timeout(600_000);
  before(function () {
    if (!fs.existsSync(SYSTEM_PYTHON)) this.skip();
  });
  const spec = realSpec();
  const smoke = realCases('smoke').filter((c) => c.product === 'atlas-a2');
  const pick = (what: string, f: (c: Case) => boolean): Case => {
    const c = smoke.find(f);
    if (!c) throw new Error(`no smoke case: ${what}`);
    return c;
  };
  // small cases only: every one runs on the worker and in python3, twice
  const accepted = (c: Case): boolean => c.expect === 'accept' && c.divergence === null && !c.tags.includes('undefined-input')
    && c.call.mode === 'eager' && c.repeat === 1 && c.bytes < 100_000;
  const cases: [string, Case][] = [
    ['int8 output', pick('int8', (c) => accepted(c) && c.dtypes.output_dtype === 'int8' && c.dtypes.scale === 'float32')],
    ['fp16 output with bias', pick('fp16+bias', (c) => accepted(c) && c.dtypes.output_dtype === 'float16' && c.dtypes.bias !== null && c.dtypes.pertoken_scale === null)],
    ['bf16 output with pertoken', pick('bf16+pt', (c) => accepted(c) && c.dtypes.output_dtype === 'bfloat16' && c.dtypes.pertoken_scale !== null)],
    ['int64 scale with an offset packed', pick('int64', (c) => accepted(c) && c.dtypes.scale === 'int64' && c.dtypes.offset !== null)],
    ['the op, int64 scale packed with round mode 1', pick('op', (c) => accepted(c) && c.call.target === 'op' && c.call.scaleBuild?.roundMode === 1)],
    ['strided views', pick('strided', (c) => accepted(c) && c.call.strided)],
    ['NZ weight', pick('nz', (c) => accepted(c) && c.call.weightFormat === 'NZ')],
    ['rejected for its dtypes', pick('reject', (c) => c.expect === 'reject' && c.rejectedBy?.kind === 'dtype' && c.divergence === null
      && c.dtypes.output_dtype === 'float16' && c.dtypes.scale === 'bfloat16')],
  ];

  for (const fault of [null, FAULTS]) {
    describe(fault ? `planted faults ${fault}: FAIL, as the harness says` : 'clean stand-in: PASS, as the harness says', () => {
      const backend = new TorchNpuBackend({ python: SYSTEM_PYTHON, env: standinEnv(fault ? { A8W8_STANDIN_FAULT: fault } : {}) });
      let slot: Slot;
      let context: CaseRunContext;
      const out = tmpDir();
      before(async () => {
        const info = await backend.open({ timeoutMs: 60_000 });
        slot = { backend, info };
        const product = spec.products.find((p) => p.id === 'atlas-a2')!;
        context = {
          specs: [spec], timeoutMs: 60_000, retries: 0, reference: getReferenceImpl('twin'),
          referenceOptionsOf: () => referenceOptionsFor(product, info, {}), expectations: [], replay: (c) => c.id,
        };
      });
      after(() => backend.close());

      for (const [what, c] of cases) {
        it(`${what}: ${c.id}`, async () => {
          const res = await reproduce({
            spec, case: c, outDir: out, reference: context.reference, referenceOptions: context.referenceOptionsOf(spec),
            compare: 'exact', run: { slot, context },
          });
          const harness = res.record!;
          const script = fs.readFileSync(res.script, 'utf8');
          assert.doesNotMatch(script, /^\s*(from|import)\s+(harness|dist|a8w8)/m, 'the script imports nothing of the repository');
          const py = runScript(res.script, fault);
          assert.equal(py.status === 0, harness.asExpected, `harness: ${harness.outcome.status}; script (exit ${py.status}):\n${py.out}`);
          assert.equal(harness.asExpected, fault === null, `harness outcome ${harness.outcome.status}`);
          assert.match(py.out, fault === null ? /^PASS/m : /^FAIL/m);
          if (fault !== null && c.expect === 'accept') {
            // the tail fault zeroes the last row and column: the worst elements name them with their bits
            assert.match(py.out, /worst elements/);
            assert.match(py.out, /\(\d+(, \d+)*\): \S+ \[0x0+\] \/ \S+ \[0x[0-9a-f]+\]/);
          }
          if (c.expect === 'reject') assert.match(py.out, fault === null ? /raised, as the doc says/ : /the doc rejects it/);
        });
      }
    });
  }
});
