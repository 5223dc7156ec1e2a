import assert from 'node:assert/strict';
import * as fs from 'fs';
import { createBackend as createTorchNpu } from '../../harness/backends/torch-npu';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import type { OutcomeStatus } from '../../harness/judge/outcome';
import { referenceOptionsFor } from '../../harness/run/reference-options';
import { runCase, type CaseRunContext, type Slot } from '../../harness/run/runner';
import { chooseReference } from '../../harness/run/setup';
import { STANDIN_PATH, SYSTEM_PYTHON, standinEnv } from '../backends/torch-npu/helpers';
import { realSpec } from '../helpers/spec';

/** Runs cases on the stand-in with a planted fault; returns the outcome of each. */
async function runWithFault(fault: string, cases: Case[], timeoutMs = 20_000): Promise<Map<string, OutcomeStatus>> {
  const backend = createTorchNpu({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_FAULT: fault }) });
  const info = await backend.open({ timeoutMs, options: { product: 'atlas-a2' } });
  const slot: Slot = { backend, info };
  const product = realSpec().products.find((p) => p.id === 'atlas-a2')!;
  const ctx: CaseRunContext = {
    specs: [realSpec()], timeoutMs, retries: 0, reference: chooseReference(undefined).impl,
    referenceOptionsOf: () => referenceOptionsFor(product, info, {}), expectations: [], replay: (c) => c.id,
  };
  const out = new Map<string, OutcomeStatus>();
  try {
    for (const c of cases) out.set(c.id, (await runCase(ctx, slot, c)).outcome.status);
  } finally {
    await backend.close();
  }
  return out;
}

const UNEXPECTED: OutcomeStatus[] = ['fail', 'unexpected-accept', 'unexpected-reject', 'error', 'timeout'];

describe('conformance: every planted fault of the stand-in is caught', function () {
  this.timeout(240_000);
  before(function () {
    if (!fs.existsSync(SYSTEM_PYTHON) || !fs.existsSync(STANDIN_PATH)) this.skip();
  });
  const all = () => expandCases(realSpec(), { profile: 'smoke', seed: 0, products: ['atlas-a2'] });
  // perf and large cases are left out: timed repeats and big shapes cost minutes and catch nothing more here
  const accepted = () => all().filter((c) => c.expect === 'accept' && c.call.mode === 'eager' && !c.divergence
    && !c.tags.includes('perf') && !c.tags.includes('large'));

  // Each numeric fault must turn at least one accepted case into an unexpected outcome, and the class
  // of cases built for it must catch it (the bias-path, scale-rounding,
  // tail and tiny tags of docs/glossary.md).
  const numeric: [string, (c: Case) => boolean][] = [
    ['bias-after-scale', (c) => c.dtypes.bias === 'int32' && c.dtypes.output_dtype !== 'int32'],
    ['pertoken-ignored', (c) => c.dtypes.pertoken_scale !== null],
    ['truncate', (c) => c.dtypes.output_dtype === 'int8' || c.dtypes.output_dtype === 'bfloat16'],
    ['tail-unwritten', () => true],
    ['garbage', () => true],
    // the library's npu_trans_quant_param, which the worker now calls for int64 scales (the `scale-rounding` tag)
    ['bad-pack', (c) => c.dtypes.scale === 'int64' && (c.call.scaleBuild?.roundMode === 1 || c.dtypes.offset !== null)],
  ];
  for (const [fault, targeted] of numeric) {
    it(`catches ${fault}`, async () => {
      const cases = accepted().filter(targeted);
      assert.ok(cases.length > 0, `cases targeting ${fault}`);
      const outcomes = await runWithFault(fault, cases);
      const caught = [...outcomes.values()].filter((s) => UNEXPECTED.includes(s)).length;
      assert.ok(caught >= Math.ceil(cases.length / 2), `${fault}: only ${caught} of ${cases.length} targeted cases caught`);
    });
  }

  it('catches a kernel that accepts what the doc rejects (accept-all)', async () => {
    // dtype rejections the op checks (an fp16 scale is refused earlier, by the module's own guard, which
    // accept-all leaves in place as the real module has it)
    const cases = all().filter((c) => c.rejectedBy?.kind === 'dtype' && !c.divergence && c.dtypes.scale !== 'float16')
      .filter((_, i) => i % 4 === 0);
    const outcomes = await runWithFault('accept-all', cases);
    for (const [id, s] of outcomes) assert.equal(s, 'unexpected-accept', id);
  });

  it('fails a rejection that comes as an inner error instead of a parameter error', async () => {
    const cases = all().filter((c) => c.expect === 'reject' && c.rejectedBy?.kind === 'dtype').slice(0, 10);
    const outcomes = await runWithFault('inner-error', cases);
    assert.ok([...outcomes.values()].every((s) => s === 'fail'), JSON.stringify([...outcomes.entries()]));
  });

  for (const fault of ['crash', 'hang']) {
    it(`a ${fault} costs one case and the run goes on`, async () => {
      const cases = accepted().filter((c) => c.shapes.x1.length === 2).slice(0, 12);
      const victim = cases[5]!;
      const m = victim.shapes.x1[0]!;
      const onlyVictim = cases.filter((c) => c.shapes.x1[0] !== m || c === victim);
      // the case after the victim waits for a new worker to import torch, which takes seconds on a busy machine
      const outcomes = await runWithFault(`${fault}@m=${m}`, onlyVictim, 10_000);
      assert.equal(outcomes.get(victim.id), fault === 'crash' ? 'error' : 'timeout');
      for (const c of onlyVictim.filter((x) => x !== victim)) assert.equal(outcomes.get(c.id), 'pass', c.id);
    });
  }
});
