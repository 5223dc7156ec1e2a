import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { expandCases } from '../../harness/expand';
import { packageRoot } from '../../harness/paths';
import { loadSpec } from '../../harness/spec/load';
import { judgeCall, versionsHold } from '../../harness/spec/oracle';
import { tempSpec } from './fixtures';
import { main } from '../../harness/cli/main';
import { capture, tmpDir } from '../helpers/cli';

/**
 * A divergence holds only for the library versions it names: the oracle and the runner drop it for a
 * run whose stamp has another version, and keep it (both behaviours admitted) where the stamp has none.
 */
describe('spec: divergences by library version', () => {
  const text = fs.readFileSync(path.join(packageRoot(), 'specs', 'linear-a8w8-quant.yml'), 'utf8')
    .replace('  - id: fp16-float-bias-needs-pertoken\n', '  - id: fp16-float-bias-needs-pertoken\n    versions: { torch_npu: ["2.1.0"], cann: all }\n');
  const spec = loadSpec(tempSpec('versioned.yml', text));
  const call = {
    product: 'atlas-a2',
    dtypes: { x1: 'int8', weight: 'int8', scale: 'float32', offset: null, bias: 'float16', pertoken_scale: null, output_dtype: 'float16' } as const,
    shapes: { x1: [16, 64], weight: [32, 64], scale: [32], offset: null, bias: [32], pertoken_scale: null },
  };

  it('holds by prefix, for every version when `all`, and when the run does not know the version', () => {
    const d = { versions: { torch_npu: ['2.1.0'], cann: 'all' as const } };
    assert.equal(versionsHold(d, { torch_npu: '2.1.0.post8', cann: '8.0.RC3' }), true);
    assert.equal(versionsHold(d, { torch_npu: '2.5.1', cann: '8.0.RC3' }), false);
    assert.equal(versionsHold(d, { torch_npu: null, cann: null }), true);
    assert.equal(versionsHold(d, undefined), true);
    assert.equal(versionsHold({ versions: { torch_npu: 'all', cann: ['8.2'] } }, { cann: '8.1.RC1' }), false);
  });

  it('the oracle applies the divergence only where the versions match', () => {
    assert.equal(judgeCall(spec, { ...call, versions: { torch_npu: '2.1.0.post3' } }).divergence?.id, 'fp16-float-bias-needs-pertoken');
    assert.equal(judgeCall(spec, { ...call, versions: { torch_npu: '2.6.0' } }).divergence, null);
    assert.equal(judgeCall(spec, call).divergence?.id, 'fp16-float-bias-needs-pertoken');
  });

  it('cases carry the versions so the run can judge them against its stamp', () => {
    const cases = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter((c) => c.divergence?.id === 'fp16-float-bias-needs-pertoken');
    assert.ok(cases.length > 0);
    for (const c of cases) assert.deepEqual(c.divergence!.versions, { torch_npu: ['2.1.0'], cann: 'all' });
    const other = expandCases(spec, { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).find((c) => c.divergence?.id === 'vllm-3257-pertoken-rank3');
    assert.ok(other && other.divergence!.versions === undefined, 'a divergence for every version carries none');
  });
});

describe('run: a divergence judged against the device\'s version stamp', () => {
  const text = fs.readFileSync(path.join(packageRoot(), 'specs', 'linear-a8w8-quant.yml'), 'utf8')
    .replace('  - id: fp16-float-bias-needs-pertoken\n', '  - id: fp16-float-bias-needs-pertoken\n    versions: { torch_npu: ["2.1.0"], cann: all }\n');
  const file = tempSpec('versioned-run.yml', text);
  const plugin = path.join(packageRoot(), 'test', 'fixtures', 'plugins', 'versioned-e2.js');

  async function outcomes(torchNpu: string): Promise<{ status: string; code: number }> {
    const out = tmpDir();
    process.env.A8W8_TEST_TORCH_NPU = torchNpu;
    try {
      const code = await main(['run', '--spec', file, '--backend', plugin, '--product', 'atlas-a2', '--grep', 'table2-r4/s-f32_o-none_b-f(16|32)_p-none_y-f16/', '--out', out, '--no-progress'], capture());
      const records = fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: { status: string } });
      assert.ok(records.length > 0);
      return { status: [...new Set(records.map((r) => r.outcome.status))].join(','), code };
    } finally {
      delete process.env.A8W8_TEST_TORCH_NPU;
    }
  }

  it('the version it names: the refusal is the divergence', async () => {
    assert.deepEqual(await outcomes('2.1.0.post6'), { status: 'divergence', code: 0 });
  });

  it('an unknown version admits both behaviours', async () => {
    assert.deepEqual(await outcomes(''), { status: 'divergence', code: 0 });
  });

  it('another version: the doc\'s verdict alone, so the refusal is unexpected', async () => {
    assert.deepEqual(await outcomes('2.6.0'), { status: 'unexpected-reject', code: 1 });
  });
});
