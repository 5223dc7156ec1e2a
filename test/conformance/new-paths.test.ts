/**
 * The family's new paths end to end (expansion, data, backend, reference, judge), on the stand-in
 * torch_npu and on onnxruntime, for the two specs that have them: an int4 (A4W4 per-channel) case and an
 * int32-output case of each spec pass; on the stand-in, also an A4W4 per-group case of the op (with
 * group_sizes), an A4W4 per-token case (a divergence: the library accepts what the doc's tables do not)
 * and LinearQuant's own guard.
 */
import { strict as assert } from 'assert';
import * as path from 'path';
import { createBackend as createOnnx } from '../../harness/backends/onnxruntime';
import type { Backend } from '../../harness/backends/types';
import { createBackend as createTorchNpu } from '../../harness/backends/torch-npu';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import { packageRoot } from '../../harness/paths';
import { referenceOptionsFor } from '../../harness/run/reference-options';
import { runCase, type CaseRunContext, type Slot } from '../../harness/run/runner';
import { chooseReference } from '../../harness/run/setup';
import { loadSpec } from '../../harness/spec/load';
import type { Spec } from '../../harness/spec/types';
import { SYSTEM_PYTHON, standinEnv } from '../backends/torch-npu/helpers';

/** The smallest smoke case of the spec on atlas-a2 that matches, so the test stays quick. */
function pick(cases: Case[], what: string, match: (c: Case) => boolean): Case {
  const found = cases.filter(match).sort((a, b) => a.bytes - b.bytes)[0];
  assert.ok(found, `no smoke case: ${what}`);
  return found;
}

const int4 = (c: Case) => c.dtypes.x1 === 'int32' && c.dtypes.weight === 'int32';
const plain = (c: Case) => c.call.mode === 'eager' && !c.call.strided && c.call.weightFormat === 'ND' && c.repeat === 1 && !c.tags.includes('perf');

/** The cases each backend runs for a spec: [label, case, the outcome it must end with]. */
function casesOf(spec: Spec, standin: boolean): [string, Case, string][] {
  const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter(plain);
  const out: [string, Case, string][] = [
    ['int4 (A4W4 per-channel)', pick(cases, 'int4 accepted', (c) => int4(c) && c.expect === 'accept' && c.path === 'fp16-fixpipe'), 'pass'],
    ['int32 output', pick(cases, 'int32 output accepted', (c) => c.expect === 'accept' && c.path === 'int32-acc'), 'pass'],
  ];
  if (!standin) return out;
  out.push(['A4W4 per-token (divergence)', pick(cases, 'a4w4 pertoken', (c) => c.divergence?.id.startsWith('a4w4-pertoken-') === true), 'divergence']);
  if (spec.id === 'npu-quant-matmul') {
    out.push(['A4W4 per-group with group_sizes', pick(cases, 'per-group accepted', (c) => c.path === 'group-dequant-bf16' && c.expect === 'accept' && c.call.groupSizes !== null), 'pass']);
  } else {
    out.push(['the module guard', pick(cases, 'module guard probe', (c) => c.rejectedBy?.kind === 'module' && c.dtypes.x1 === 'int8' && c.dtypes.weight === 'int32'), 'rejected']);
  }
  return out;
}

for (const [label, standin] of [['stand-in torch_npu', true], ['onnxruntime', false]] as const) {
  describe(`new paths end to end on ${label}`, function () {
    this.timeout(120_000);
    for (const id of ['npu-quant-matmul', 'linear-quant']) {
      it(`runs specs/${id}.yml's int4 and int32-output cases${standin ? ', per-token, per-group and the guard' : ''}`, async () => {
        const spec = loadSpec(path.join(packageRoot(), 'specs', `${id}.yml`));
        const backend: Backend = standin
          ? createTorchNpu({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_SOC: 'Ascend910B2' }) })
          : createOnnx();
        const info = await backend.open({ timeoutMs: 60_000, options: { product: 'atlas-a2', timingWarmup: '1', timingRepeats: '3' } });
        const slot: Slot = { backend, info };
        const ctx: CaseRunContext = {
          specs: [spec], timeoutMs: 60_000, retries: 0, reference: chooseReference(undefined).impl,
          referenceOptionsOf: () => referenceOptionsFor(spec.products.find((p) => p.id === 'atlas-a2')!, info, {}),
          expectations: [], replay: (c) => c.id,
        };
        try {
          for (const [what, c, want] of casesOf(spec, standin)) {
            const r = await runCase(ctx, slot, c);
            assert.equal(r.outcome.status, want, `${what}: ${c.id}: ${JSON.stringify(r.outcome).slice(0, 600)}`);
            assert.ok(r.asExpected, `${what}: ${c.id} is not as expected`);
          }
        } finally {
          await backend.close();
        }
      });
    }
  });
}
