/**
 * The largest case of the spec, end to end under a memory cap: the 16x65535x4096 long-k case (a 256 MiB
 * int8 weight) once ran its process out of a 5 GiB heap while generating its inputs. Each check runs in
 * a child process with a small V8 heap and reports the child's own peak RSS.
 *
 * Slow (minutes on a loaded 2-core host): an integration test, not a unit test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';
import { tmpDir } from '../helpers/cli';

const LONG_K = 'linear-a8w8-quant/atlas-a2/perf/long-k-16x65535x4096/s-i64_o-none_b-i32_p-none_y-i8/full-range+int8';
const MiB = 2 ** 20;
/** the V8 heap of the child: typed arrays live outside it, so the case needs no large heap */
const HEAP_MB = 512;
/** x1 and the weight, hashed as the generator built them before it wrote them chunk by chunk */
const OLD_GENERATOR_SHA256 = '2bee029623f66c9060bb1d31d63c7e96f32eda7f72b471f4d904d2d3b7c4f56f';

/** Runs `script` in a child node under the heap cap; returns what it printed last (JSON) and its peak RSS. */
function inChild(script: string, env: NodeJS.ProcessEnv = {}): { result: Record<string, unknown>; maxRssBytes: number } {
  const wrapped = `${script}
    .then((result) => { process.stdout.write('\\n' + JSON.stringify({ result, maxRSS: process.resourceUsage().maxRSS })); })
    .catch((e) => { console.error(e); process.exit(3); });`;
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '-e', wrapped], {
    cwd: packageRoot(), env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * MiB,
  });
  assert.equal(r.status, 0, `child exited ${r.status} (${r.signal ?? 'no signal'}):\n${r.stderr}\n${r.stdout}`);
  const last = r.stdout.trim().split('\n').pop()!;
  const { result, maxRSS } = JSON.parse(last) as { result: Record<string, unknown>; maxRSS: number };
  return { result, maxRssBytes: maxRSS * 1024 };
}

const dist = (rel: string): string => JSON.stringify(path.join(packageRoot(), 'dist', rel));

describe('integration: long-k case under a memory cap', function () {
  this.timeout(60 * 60 * 1000);
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates its inputs bit for bit as before, holding little more than the inputs', () => {
    const { result, maxRssBytes } = inChild(`(async () => {
      const { createHash } = require('crypto');
      const { loadSpec } = require(${dist('harness/spec/load')});
      const { expandCases } = require(${dist('harness/expand')});
      const { estimateCaseMemory } = require(${dist('harness/data/budget')});
      const { generateInputs } = require(${dist('harness/data/generate')});
      const spec = loadSpec();
      const c = expandCases(spec, { profile: 'full', seed: 0, products: ['atlas-a2'] }).find((x) => x.id === ${JSON.stringify(LONG_K)});
      // the pinned hash was taken when case ids had no spec prefix: the seed of that id rebuilds the same bytes
      const { hashSeed } = require(${dist('harness/seed')});
      const inputs = generateInputs(spec, { ...c, seed: hashSeed(0, ${JSON.stringify(LONG_K.slice(LONG_K.indexOf('/') + 1))}) });
      const h = createHash('sha256');
      for (const name of ['x1', 'weight']) {
        const t = inputs[name];
        h.update(name + ':' + t.dtype + '[' + t.shape.join(',') + ']');
        h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      }
      return { sha256: h.digest('hex'), inputs: estimateCaseMemory(spec, c).inputs };
    })()`);
    assert.equal(result.sha256, OLD_GENERATOR_SHA256);
    const inputs = result.inputs as number;
    // the inputs, plus Node, the spec and the native addon: no float64 copy of the weight (2 GiB)
    assert.ok(maxRssBytes < inputs + 400 * MiB, `peak RSS ${Math.round(maxRssBytes / MiB)} MiB for ${Math.round(inputs / MiB)} MiB of inputs`);
  });

  it('runs on onnxruntime and passes, within its memory estimate', () => {
    const out = tmpDir('a8w8-long-k-');
    dirs.push(out);
    const argv = ['run', '--backend', 'onnxruntime', '--profile', 'full', '--product', 'atlas-a2', '--case', LONG_K,
      '--out', out, '--no-progress', '--timeout', String(30 * 60 * 1000), '--backend-opt', 'timing=never'];
    const { result, maxRssBytes } = inChild(`(async () => {
      const { loadSpec } = require(${dist('harness/spec/load')});
      const { expandCases } = require(${dist('harness/expand')});
      const { estimateCaseMemory } = require(${dist('harness/data/budget')});
      const { main } = require(${dist('harness/cli/main')});
      const lines = [];
      const ctx = { out: (l) => lines.push(l), err: (l) => lines.push(l), exitCode: 0 };
      const code = await main(${JSON.stringify(argv)}, ctx);
      const spec = loadSpec();
      const c = expandCases(spec, { profile: 'full', seed: 0, products: ['atlas-a2'] }).find((x) => x.id === ${JSON.stringify(LONG_K)});
      return { code, lines, estimate: estimateCaseMemory(spec, c) };
    })()`);
    const records = fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { caseId: string; outcome: { status: string } });
    assert.deepEqual(records.map((r) => [r.caseId, r.outcome.status]), [[LONG_K, 'pass']], (result.lines as string[]).join('\n'));
    assert.equal(result.code, 0);
    const estimate = result.estimate as { total: number };
    // the estimate is an upper bound of what the run holds (it allows for a float baseline not run here)
    assert.ok(maxRssBytes < estimate.total, `peak RSS ${Math.round(maxRssBytes / MiB)} MiB, estimate ${Math.round(estimate.total / MiB)} MiB`);
  });
});
