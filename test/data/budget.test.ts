import assert from 'node:assert/strict';
import { constants as bufferConstants } from 'buffer';
import {
  BACKEND_INPUT_COPIES, DEFAULT_BUDGET_FRACTION, estimateCaseMemory, formatBytes, generateWithinBudget, memoryBudget,
  MEMORY_BUDGET_ENV, overBudget,
} from '../../harness/data/budget';
import { ErrorCode, HarnessError } from '../../harness/errors';
import type { Case } from '../../harness/expand/case';
import { realCases, realSpec } from '../helpers/spec';

const GiB = 2 ** 30;
const LONG_K = 'linear-a8w8-quant/atlas-a2/perf/long-k-16x65535x4096/s-i64_o-none_b-i32_p-none_y-i8/full-range+int8';

function caseById(id: string): Case {
  const c = realCases('full').find((x) => x.id === id);
  assert.ok(c, id);
  return c;
}

describe('data/budget', () => {
  it('every case of the full profile fits the default budget of a 24 GiB host', () => {
    const budget = memoryBudget({}, 24 * GiB);
    const over = realCases('full').flatMap((c) => {
      const reason = overBudget(estimateCaseMemory(realSpec(), c), budget);
      return reason === null ? [] : [`${c.id}: ${reason}`];
    });
    assert.deepEqual(over, []);
  });

  it('the long-k case counts its weight once as input, once for the reference engine and as backend copies', () => {
    const e = estimateCaseMemory(realSpec(), caseById(LONG_K));
    const weight = 4096 * 65535, x1 = 16 * 65535;
    assert.equal(e.inputs, x1 + weight + 4096 * 8 + 4096 * 4 /* int64 scale and its fp32 source */ + 4096 * 4 /* int32 bias */);
    assert.ok(e.reference >= x1 + weight && e.reference < x1 + weight + 16 * 4096 * 64, String(e.reference));
    assert.equal(e.backend, BACKEND_INPUT_COPIES * (x1 + weight) + 4 * (x1 + weight));
    assert.ok(e.generation < 2 ** 20, `no whole-tensor float64 copy: ${e.generation}`);
    assert.equal(e.total, e.inputs + e.generation + e.output + e.reference + e.backend);
    assert.equal(e.largestArray, weight);
    // 2.3 GiB in all: the case that ran out of a 5 GiB heap before its inputs were even built
    assert.ok(e.total > 2 * GiB && e.total < 3 * GiB, formatBytes(e.total));
  });

  it('a low-mantissa weight holds its whole tensor as float64, and the estimate says so', () => {
    const spec = realSpec();
    const c = caseById(LONG_K);
    const plain = estimateCaseMemory(spec, c);
    const lowBits = { ...spec, distributions: spec.distributions.map((d) => (d.id === c.distribution
      ? { ...d, weight: { kind: 'low-mantissa' as const, target: 1 } } : d)) };
    assert.equal(estimateCaseMemory(lowBits, c).generation - plain.generation, 8 * 4096 * 65535);
  });

  it('a case over the budget is skipped with its estimate, before anything is generated', () => {
    const c = caseById(LONG_K);
    const spec = { ...realSpec(), distributions: [] }; // generating would throw: unknown distribution
    assert.throws(() => generateWithinBudget(spec, c, { bytes: 10 * GiB, source: 'test' }), /unknown distribution/);
    const budget = { bytes: GiB, source: `${MEMORY_BUDGET_ENV}=1GiB` };
    const r = generateWithinBudget({ ...realSpec(), distributions: realSpec().distributions.filter((d) => d.id === c.distribution) }, c, budget);
    assert.equal(r.status, 'skip');
    assert.match(r.status === 'skip' ? r.reason : '', /^memory: the case needs an estimated 2\.\d GiB \(inputs .*backend .*\), over the budget of 1\.0 GiB \(A8W8_MEMORY_BUDGET=1GiB; set A8W8_MEMORY_BUDGET to change it\)$/);
  });

  it('a case within the budget gets its inputs', () => {
    const c = realCases('smoke')[0]!;
    const r = generateWithinBudget(realSpec(), c, memoryBudget({}, 24 * GiB));
    assert.equal(r.status, 'ok');
    assert.equal(r.status === 'ok' && r.inputs.x1.shape, c.shapes.x1);
  });

  it('an array larger than a typed array can hold is a skip whatever the budget', () => {
    const e = { inputs: 0, generation: 0, output: 0, reference: 0, backend: 0, total: 0, largestArray: bufferConstants.MAX_LENGTH + 1 };
    assert.match(overBudget(e, { bytes: Number.MAX_SAFE_INTEGER, source: 'test' }) ?? '', /^memory: one array of the case needs .* a typed array can hold$/);
  });

  describe('memoryBudget', () => {
    it('defaults to a fraction of host memory', () => {
      assert.deepEqual(memoryBudget({}, 24 * GiB), { bytes: DEFAULT_BUDGET_FRACTION * 24 * GiB, source: '50% of 24.0 GiB host memory' });
      assert.equal(memoryBudget({ [MEMORY_BUDGET_ENV]: ' ' }, 8 * GiB).bytes, 4 * GiB);
    });

    it(`reads ${MEMORY_BUDGET_ENV} as a size with a binary unit or a percentage of host memory`, () => {
      const bytes = (v: string): number => memoryBudget({ [MEMORY_BUDGET_ENV]: v }, 16 * GiB).bytes;
      assert.equal(bytes('12GiB'), 12 * GiB);
      assert.equal(bytes('12g'), 12 * GiB);
      assert.equal(bytes('800M'), 800 * 2 ** 20);
      assert.equal(bytes('1.5 GB'), 1.5 * GiB);
      assert.equal(bytes('4096'), 4096);
      assert.equal(bytes('75%'), 12 * GiB);
      assert.equal(memoryBudget({ [MEMORY_BUDGET_ENV]: '2T' }).source, `${MEMORY_BUDGET_ENV}=2T`);
    });

    for (const bad of ['lots', '-1G', '0', '12 parsecs', '%', '1e9', 'G']) {
      it(`refuses ${JSON.stringify(bad)} with ${ErrorCode.BAD_ARGUMENT}`, () => {
        assert.throws(() => memoryBudget({ [MEMORY_BUDGET_ENV]: bad }, GiB), (e: unknown) =>
          e instanceof HarnessError && e.code === ErrorCode.BAD_ARGUMENT && e.message.startsWith(`${MEMORY_BUDGET_ENV}=`));
      });
    }
  });
});
