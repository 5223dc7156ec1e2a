import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { LOCK_FILE, lockOutput } from '../../harness/run/lock';
import { readResults } from '../../harness/run/record';
import type { VerdictFile } from '../../harness/qualify/verdict-file';
import { STANDIN_PATH, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';
import { capture, MIXED_GREP, PLUGIN_TWIN, tmpDir, writeStrictTwin } from '../qualify/helpers';

const readVerdict = (dir: string): VerdictFile => JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as VerdictFile;

/** Runs `fn` with the torch_npu stand-in as the interpreter's torch_npu (the CLI reads process.env). */
async function withStandin<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { A8W8_PYTHON: process.env.A8W8_PYTHON, PYTHONPATH: process.env.PYTHONPATH, A8W8_STANDIN_SOC: process.env.A8W8_STANDIN_SOC };
  process.env.A8W8_PYTHON = SYSTEM_PYTHON;
  process.env.PYTHONPATH = STANDIN_PATH;
  delete process.env.A8W8_STANDIN_SOC;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('cli: qualify', function () {
  this.timeout(180_000);

  describe('refuses a simulated backend before running anything (exit 2)', () => {
    const refused = async (args: string[], pattern: RegExp): Promise<void> => {
      const out = path.join(tmpDir(), 'bundle');
      const ctx = capture();
      assert.equal(await main(['qualify', '--product', 'atlas-a2', '--out', out, ...args], ctx), 2, ctx.text());
      assert.match(ctx.errors.join('\n'), pattern);
      assert.match(ctx.errors.join('\n'), /--allow-simulated writes a bundle stamped "simulated: not a qualification"/);
      assert.equal(fs.existsSync(out), false, 'nothing may be written');
    };
    it('onnxruntime', () => refused(['--backend', 'onnxruntime'], /refused: backend onnxruntime is simulated: it runs an int8 matmul on the host CPU/));
    it('a plugin', () => refused(['--backend', PLUGIN_TWIN], /refused: backend .*plugin-twin\.js is a plugin: it is not torch_npu on a real Ascend NPU/));
    it('the torch_npu stand-in (found simulated once the device is open)', () => withStandin(
      () => refused(['--backend', 'torch-npu'], /refused: backend torch-npu is simulated on npu:0: torch_npu is the a8w8 stand-in/)));
  });

  it('takes no --retries, no --expectations, and no auto product (exit 2)', async () => {
    for (const args of [['--retries', '2'], ['--expectations', 'x.yml']]) {
      const ctx = capture();
      assert.equal(await main(['qualify', '--product', 'atlas-a2', '--backend', 'onnxruntime', ...args], ctx), 2);
      assert.match(ctx.errors.join('\n'), /unknown option/);
    }
    const ctx = capture();
    assert.equal(await main(['qualify', '--product', 'auto', '--backend', 'onnxruntime'], ctx), 2);
    assert.match(ctx.errors.join('\n'), /auto is not accepted/);
  });

  it('refuses a non-empty --out: a bundle holds only its own files', async () => {
    const out = tmpDir();
    fs.writeFileSync(path.join(out, 'stray.txt'), 'x');
    const ctx = capture();
    assert.equal(await main(['qualify', '--product', 'atlas-inference', '--backend', PLUGIN_TWIN, '--allow-simulated', '--grep', MIXED_GREP, '--out', out], ctx), 2);
    assert.match(ctx.errors.join('\n'), /not an empty directory/);
    assert.equal(fs.existsSync(path.join(out, LOCK_FILE)), false, 'the lock is released');
  });

  it('refuses a bundle directory another run holds (exit 2), naming it; the bundle it writes holds no lock', async () => {
    const out = path.join(tmpDir(), 'bundle');
    const held = lockOutput(out, 'a8w8 run --out bundle');
    try {
      const ctx = capture();
      assert.equal(await main(['qualify', '--product', 'atlas-inference', '--backend', PLUGIN_TWIN, '--allow-simulated', '--grep', MIXED_GREP, '--out', out], ctx), 2);
      assert.match(ctx.errors.join('\n'), /output directory .*bundle is in use: another run holds it: pid \d+ .*\(a8w8 run --out bundle, started /);
    } finally {
      held.release();
    }
    const ctx = capture();
    assert.equal(await main(['qualify', '--product', 'atlas-inference', '--backend', PLUGIN_TWIN, '--allow-simulated', '--grep', MIXED_GREP, '--out', out, '--no-progress'], ctx), 1, ctx.text());
    assert.equal(fs.existsSync(path.join(out, LOCK_FILE)), false);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'MANIFEST.json'), 'utf8')) as { files: { path: string }[] };
    assert.ok(!manifest.files.some((f) => f.path === LOCK_FILE));
  });

  it('--allow-simulated with plugin-twin: a bundle stamped simulated, not qualified (a skip is not a pass)', async () => {
    const out = path.join(tmpDir(), 'bundle');
    const ctx = capture();
    const code = await main(['qualify', '--product', 'atlas-inference', '--backend', PLUGIN_TWIN, '--allow-simulated', '--grep', MIXED_GREP, '--out', out, '--no-progress'], ctx);
    assert.equal(code, 1, ctx.text());
    const v = readVerdict(out);
    assert.equal(v.verdict, 'not-qualified');
    assert.equal(v.simulated, true);
    assert.deepEqual(v.stamps, ['simulated: not a qualification', 'partial: not a qualification']);
    assert.match(v.simulatedWhy ?? '', /is a plugin/);
    const skips = v.disqualifying.filter((d) => d.status === 'skip');
    assert.ok(skips.length >= 2, JSON.stringify(v.disqualifying));
    assert.ok(skips.every((d) => /rank|outside-table/.test(d.caseId) && /skipped: plugin-twin enforces no contract/.test(d.reason)));
    assert.match(ctx.lines.join('\n'), /^verdict for atlas-inference: not qualified \[simulated: not a qualification\] \[partial: not a qualification\]/m);
    assert.match(ctx.lines.join('\n'), /SKIP linear-a8w8-quant\/atlas-inference\/rule\/rank\//);
    for (const f of ['results.jsonl', 'run.json', 'verdict.json', 'MANIFEST.json', 'required.txt', 'not-required.txt', 'specs/linear-a8w8-quant.yml']) {
      assert.ok(fs.existsSync(path.join(out, f)), f);
    }
  });

  it('--allow-simulated with a plugin that rejects what the doc rejects: partial, divergences listed, strict policy applied', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'bundle');
    const ctx = capture();
    const code = await main(['qualify', '--product', 'atlas-inference', '--backend', writeStrictTwin(dir), '--allow-simulated', '--grep', MIXED_GREP, '--out', out, '--no-progress'], ctx);
    assert.equal(code, 1, ctx.text());
    const v = readVerdict(out);
    assert.equal(v.verdict, 'partial', JSON.stringify(v.disqualifying));
    assert.equal(v.label, 'partial: not a qualification');
    assert.deepEqual(v.disqualifying, []);
    assert.deepEqual(v.filter, { grep: MIXED_GREP });
    assert.deepEqual(v.policy, { name: 'strict', version: 1, retries: 0, expectations: 'ignored', profile: 'full', allowSimulated: true });
    assert.ok(v.counts.notRun > 1000 && v.counts.qualifying === v.counts.requiredRun, JSON.stringify(v.counts));
    assert.ok((v.counts.byStatus.rejected ?? 0) >= 2 && (v.counts.byStatus.pass ?? 0) >= 10, JSON.stringify(v.counts));
    assert.deepEqual(v.divergences.map((d) => [d.id, d.library]), [['pertoken-on-310p-with-newer-cann', 'accept']]);
    assert.ok(v.divergences[0]!.cases.length >= 1 && v.divergences[0]!.cases.every((id) => id.includes('/outside-table/')), JSON.stringify(v.divergences));
    assert.equal(v.environment.product, 'atlas-inference');
    assert.equal(v.environment.profile, 'full');
    assert.match(v.environment.specHash, /^[0-9a-f]{64}$/);
    const records = readResults(path.join(out, 'results.jsonl'));
    assert.equal(records.length, v.counts.records);
    for (const r of records) {
      assert.equal(r.attempts, 1);
      assert.equal(r.expectation, null);
      assert.equal(r.simulated, true);
    }
    if (v.reports.written) {
      assert.ok(v.reports.files.length > 0 && v.reports.files.every((f) => fs.existsSync(path.join(out, 'reports', f))));
    } else {
      assert.match(v.reports.reason, /report/);
    }
    assert.match(ctx.lines.join('\n'), /bundle: .* \(MANIFEST\.json sha256 [0-9a-f]{64}\); check it with: npx a8w8 verify-bundle /);
  });

  it('--allow-simulated on the torch_npu stand-in: stamped simulated, the environment stamped from the worker', () => withStandin(async () => {
    const out = path.join(tmpDir(), 'bundle');
    const ctx = capture();
    const code = await main(['qualify', '--product', 'atlas-a2', '--backend', 'torch-npu', '--allow-simulated', '--grep', '^linear-a8w8-quant/atlas-a2/table2-r2/[^/]+/base/full-range', '--out', out, '--no-progress'], ctx);
    assert.equal(code, 1, ctx.text());
    const v = readVerdict(out);
    assert.equal(v.verdict, 'partial', JSON.stringify(v.disqualifying));
    assert.ok(v.stamps.includes('simulated: not a qualification'));
    assert.match(v.simulatedWhy ?? '', /stand-in/);
    assert.equal(v.environment.backend, 'torch-npu');
    assert.equal(v.environment.socName, 'Ascend910B2');
    for (const k of ['torch', 'torch_npu', 'cann', 'driver'] as const) assert.equal(typeof v.environment[k], 'string', k);
    assert.ok(v.counts.requiredRun > 0);
  }));
});
