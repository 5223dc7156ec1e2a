import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../harness/cli/main';
import { readSavedCase } from '../../harness/forensics/save';
import { standinEnv, STANDIN_PATH, SYSTEM_PYTHON } from '../backends/torch-npu/helpers';
import { capture, PLUGIN_TWIN, tmpDir } from '../helpers/cli';

const TAIL_CASE = 'linear-a8w8-quant/atlas-a2/table2-r1/s-f32_o-none_b-i32_p-none_y-f16/tile-tail-33x257x129/full-range';
const SMALL_CASE = 'linear-a8w8-quant/atlas-a2/table2-r1/s-f32_o-none_b-i32_p-none_y-f16/tail-17x33x47/scale-low-bits';
const FAULT = 'tail-m-block';

/** Sets (or, for undefined, removes) environment variables around `fn`: the CLI reads process.env. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const apply = (v: Record<string, string | undefined>): void => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

/** The stand-in torch_npu as the interpreter's torch_npu, with a planted fault or none. */
const withStandin = <T>(fault: string | null, fn: () => Promise<T>): Promise<T> => withEnv({
  A8W8_PYTHON: SYSTEM_PYTHON, PYTHONPATH: STANDIN_PATH, A8W8_STANDIN_SOC: undefined, A8W8_STANDIN_FAULT: fault ?? undefined,
}, fn);

function python(script: string, fault: string | null): { status: number | null; out: string } {
  const r = spawnSync(SYSTEM_PYTHON, [script], { env: standinEnv(fault ? { A8W8_STANDIN_FAULT: fault } : {}), encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('cli: repro and shrink', function () {
  this.timeout(600_000);

  it('repro without a backend writes the case folder and repro.py from the recipe flags', async () => {
    const out = tmpDir();
    const ctx = capture();
    assert.equal(await main(['repro', SMALL_CASE, '--product', 'atlas-a2', '--profile', 'smoke', '--seed', '3', '--out', out], ctx), 0, ctx.text());
    const folder = ctx.lines.find((l) => l.startsWith('saved: '))!.slice('saved: '.length);
    const saved = readSavedCase(folder);
    assert.equal(saved.manifest.caseId, SMALL_CASE);
    assert.equal(saved.output, null);
    assert.equal(saved.manifest.outcome, null);
    assert.ok(saved.expected !== null);
    assert.ok(fs.existsSync(path.join(folder, 'repro.py')));
    assert.match(ctx.text(), /on the NPU host: python3 .*repro\.py/);
  });

  it('repro --from a results folder takes the record (and run.json\'s seed for a shrunk variant)', async () => {
    const run = tmpDir();
    const ran = capture();
    assert.equal(await main(['run', '--backend', PLUGIN_TWIN, '--product', 'atlas-a2', '--seed', '5', '--case', SMALL_CASE, '--out', run, '--no-progress'], ran), 0, ran.text());
    const out = tmpDir();
    const ctx = capture();
    assert.equal(await main(['repro', SMALL_CASE, '--from', run, '--out', out], ctx), 0, ctx.text());
    const saved = readSavedCase(path.join(out, 'cases', fs.readdirSync(path.join(out, 'cases'))[0]!));
    assert.equal(saved.manifest.outcome?.status, 'pass');
    const variant = `${SMALL_CASE}~shrunk:m=2,k=3`;
    const ctx2 = capture();
    assert.equal(await main(['repro', variant, '--from', run, '--out', out], ctx2), 0, ctx2.text());
    const v = readSavedCase(ctx2.lines.find((l) => l.startsWith('saved: '))!.slice('saved: '.length));
    assert.deepEqual(v.manifest.case.shapes.x1, [2, 3]);
    const fromRecipe = capture();
    assert.equal(await main(['repro', variant, '--product', 'atlas-a2', '--profile', 'smoke', '--seed', '5', '--out', tmpDir()], fromRecipe), 0);
    const r = readSavedCase(fromRecipe.lines.find((l) => l.startsWith('saved: '))!.slice('saved: '.length));
    assert.equal(r.manifest.case.seed, v.manifest.case.seed, 'the same variant from the same run seed has the same data');
  });

  it('bad usage is exit 2 with a clear message', async () => {
    const a = capture();
    assert.equal(await main(['repro', 'linear-a8w8-quant/atlas-a2/no/such/case', '--profile', 'smoke', '--out', tmpDir()], a), 2);
    assert.match(a.text(), /no case '(linear-a8w8-quant\/)?atlas-a2\/no\/such\/case' in profile smoke/);
    const b = capture();
    assert.equal(await main(['repro', SMALL_CASE, '--from', tmpDir(), '--seed', '1'], b), 2);
    assert.match(b.text(), /--from takes the recipe from the results/);
    const c = capture();
    assert.equal(await main(['repro', `${SMALL_CASE}~shrunk:q=1`, '--profile', 'smoke'], c), 2);
    assert.match(c.text(), /cannot read the move 'q=1'/);
  });

  it(`shrink: a fault in rows past the last full 16-row block (m = 33) shrinks to m = 17, and its repro.py fails the same way`, async function () {
    if (!fs.existsSync(SYSTEM_PYTHON)) this.skip();
    const out = tmpDir();
    const ctx = capture();
    const code = await withStandin(FAULT, () => main(['shrink', TAIL_CASE, '--product', 'atlas-a2', '--backend', 'torch-npu', '--out', out, '--json'], ctx));
    assert.equal(code, 1, ctx.text());
    const report = JSON.parse(ctx.lines[0]!) as {
      kind: string; version: number; calls: number; budget: number; exhausted: boolean; saved: string;
      original: { caseId: string; shapes: { x1: number[] }; outcome: { status: string }; commands: { replay: string; repro: string } };
      minimal: { caseId: string; shapes: { x1: number[]; weight: number[] }; outcome: { status: string }; commands: { replay: string; repro: string } };
    };
    assert.equal(report.kind, 'a8w8-shrink');
    assert.deepEqual(report.original.shapes.x1, [33, 257]);
    assert.equal(report.minimal.shapes.x1[0], 17);
    assert.equal(report.minimal.outcome.status, 'fail');
    assert.ok(report.calls <= report.budget && !report.exhausted);
    assert.match(report.minimal.caseId, /~shrunk:m=17/);
    assert.match(report.original.commands.replay, /^npx a8w8 run .*--case /);
    assert.match(report.minimal.commands.replay, /^npx a8w8 repro '.*~shrunk:.*' .*--backend torch-npu/);
    assert.match(report.minimal.commands.repro, /^npx a8w8 repro /);
    // the minimal case's repro.py: FAIL on the faulty stand-in, at row 16; PASS on a clean one
    const script = path.join(report.saved, 'repro.py');
    const bad = python(script, FAULT);
    assert.equal(bad.status, 1, bad.out);
    assert.match(bad.out, /^FAIL: [1-9]\d* of \d+ elements differ/m);
    assert.match(bad.out, /\(16, \d+\): 0\.0 \[0x0000\] \/ /);
    const good = python(script, null);
    assert.equal(good.status, 0, good.out);
    assert.equal(readSavedCase(report.saved).manifest.outcome?.status, 'fail');
    assert.ok(readSavedCase(report.saved).output !== null, 'the kernel\'s output on the minimal case is saved');
  });

  it('shrink stops at its budget and says so; a case that does not fail has nothing to shrink (exit 0)', async function () {
    if (!fs.existsSync(SYSTEM_PYTHON)) this.skip();
    const ctx = capture();
    assert.equal(await withStandin(FAULT, () => main(['shrink', TAIL_CASE, '--product', 'atlas-a2', '--backend', 'torch-npu', '--budget', '3', '--out', tmpDir()], ctx)), 1, ctx.text());
    assert.match(ctx.text(), /3 kernel call\(s\) of a budget of 3 \(budget spent/);
    const clean = capture();
    assert.equal(await withStandin(null, () => main(['shrink', SMALL_CASE, '--product', 'atlas-a2', '--profile', 'smoke', '--backend', 'torch-npu', '--out', tmpDir()], clean)), 0, clean.text());
    assert.match(clean.text(), /pass as expected on torch-npu; nothing to shrink/);
  });

  it('run --shrink shrinks the run\'s unexpected case after it, on the same backend, into <out>/shrunk.json', async function () {
    if (!fs.existsSync(SYSTEM_PYTHON)) this.skip();
    const out = tmpDir();
    const ctx = capture();
    const grep = `^${TAIL_CASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const code = await withStandin(FAULT, () => main(['run', '--backend', 'torch-npu', '--product', 'atlas-a2', '--profile', 'full', '--grep', grep,
      '--out', out, '--save', 'none', '--shrink', '--shrink-budget', '60', '--no-progress'], ctx));
    assert.equal(code, 1, ctx.text());
    const report = JSON.parse(fs.readFileSync(path.join(out, 'shrunk.json'), 'utf8')) as {
      kind: string; version: number; count: number; budget: number; unexpected: number; notShrunk: unknown[];
      shrunk: { calls: number; budget: number; saved: string; original: { caseId: string; commands: { replay: string } };
        minimal: { caseId: string; shapes: { x1: number[] }; outcome: { status: string }; commands: { replay: string; repro: string } } }[];
    };
    assert.equal(report.kind, 'a8w8-run-shrink');
    assert.equal(report.version, 1);
    assert.equal(report.unexpected, 1);
    assert.equal(report.shrunk.length, 1);
    const s = report.shrunk[0]!;
    assert.equal(s.original.caseId, TAIL_CASE);
    assert.ok(s.calls <= 60 && s.budget === 60);
    assert.equal(s.minimal.shapes.x1[0], 17);
    assert.match(s.minimal.caseId, /~shrunk:m=17/);
    assert.equal(s.minimal.outcome.status, 'fail');
    assert.match(s.original.commands.replay, /^npx a8w8 run .*--case /);
    assert.ok(s.minimal.commands.replay.startsWith(`npx a8w8 repro '${s.minimal.caseId}' --from ${out} --backend torch-npu`), s.minimal.commands.replay);
    assert.ok(s.minimal.commands.repro.startsWith(`npx a8w8 repro '${s.minimal.caseId}' --from ${out}`), s.minimal.commands.repro);
    assert.equal(readSavedCase(path.join(out, s.saved)).manifest.caseId, s.minimal.caseId);
    // the report is printed at the end too, as shrink prints it
    assert.match(ctx.text(), /minimal: +\S*~shrunk:m=17/);
    assert.match(ctx.text(), /minimal case saved: /);
    // results.jsonl holds the run's cases only, not the shrink's candidates
    assert.equal(fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').length, 1);
  });

  it('run --shrink takes a positive count and budget', async () => {
    const ctx = capture();
    assert.equal(await main(['run', '--backend', PLUGIN_TWIN, '--case', SMALL_CASE, '--out', tmpDir(), '--shrink', '0', '--no-progress'], ctx), 2);
    assert.match(ctx.text(), /--shrink expects an integer >= 1, got '0'/);
  });
});
