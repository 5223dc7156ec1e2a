import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DEFECT_CLASSES } from '../../harness/coverage/compute';
import { STANDIN_PATH, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';
import { realSpec } from '../helpers/spec';
import { loadStandinFaults, STANDIN_SOC } from '../conformance/standin-faults';
import { runStandinSmoke } from '../conformance/standin-run';

/** The stand-in's Python sources, where each fault acts on its id. */
function standinSources(): string {
  const dir = path.join(STANDIN_PATH, 'torch_npu');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.py')) files.push(path.join(d, e.name));
    }
  };
  walk(dir);
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

describe('mutants: the stand-in fault registry', () => {
  const faults = loadStandinFaults();
  const products = realSpec().products.map((p) => p.id);

  it('names only known products, and says why a fault is scored nowhere or not everywhere', () => {
    for (const f of faults) {
      for (const p of f.products) assert.ok(products.includes(p), `${f.id}: unknown product ${p}`);
      if (f.products.length < products.length) assert.ok(f.why, `${f.id}: scored on ${f.products.length} product(s) without a why`);
    }
    assert.deepEqual(Object.keys(STANDIN_SOC).sort(), [...products].sort());
  });

  it('is implemented: every fault id is acted on in the stand-in code', () => {
    const src = standinSources();
    for (const f of faults.filter((x) => x.id !== 'graph-unmodelled')) assert.ok(src.includes(`'${f.id}'`), `${f.id}: not found in the stand-in`);
  });

  it('stands for every defect class coverage lists, scored on some product (graph: no stand-in for it)', () => {
    for (const cls of DEFECT_CLASSES) {
      const own = faults.filter((f) => f.defectClass === cls);
      assert.ok(own.length, `defect class ${cls}: no fault`);
      if (cls !== 'graph') assert.ok(own.some((f) => f.products.length), `defect class ${cls}: no scored fault`);
    }
  });
});

/**
 * No false failures, the fast version of `npm run mutants`' clean baseline (which runs seeds 0..9 of the
 * whole smoke profile on every product): two other seeds on the accepted, judged, small cases of A2.
 */
describe('mutants: the correct stand-in gives no unexpected outcome on other seeds', function () {
  this.timeout(300_000);
  before(function () {
    if (!fs.existsSync(SYSTEM_PYTHON) || !fs.existsSync(STANDIN_PATH)) this.skip();
  });
  for (const seed of [3, 7]) {
    it(`seed ${seed}, atlas-a2`, async () => {
      const r = await runStandinSmoke({
        product: 'atlas-a2', seed, fault: null, stopAtFirst: false,
        filter: (c) => c.expect === 'accept' && !['perf', 'large', 'undefined-input', 'repeat'].some((t) => c.tags.includes(t)),
      });
      assert.ok(r.run > 50, `only ${r.run} cases`);
      assert.deepEqual(r.unexpected.map((u) => `${u.caseId}: ${u.outcome.status}`), []);
    });
  }
});
