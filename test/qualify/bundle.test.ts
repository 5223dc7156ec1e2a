import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import { writeBundle } from '../../harness/qualify/bundle';
import { writeManifest } from '../../harness/qualify/manifest';
import { strictPolicy } from '../../harness/qualify/policy';
import { requiredCases } from '../../harness/qualify/required';
import { verifyBundle } from '../../harness/qualify/verify';
import { harnessVersion, specInfo, writeEnvironment, type RunEnvironment } from '../../harness/run/environment';
import type { ResultRecord } from '../../harness/run/record';
import { loadSpec } from '../../harness/spec/load';
import { main } from '../../harness/cli/main';
import type { Outcome } from '../../harness/judge/outcome';
import { capture, copyDir, faithfulOutcome, record, tmpDir } from './helpers';

const PRODUCT = 'atlas-inference';

/** run.json of a real-device run (hand-made: no NPU here), as executeRun writes it. */
function realEnv(): RunEnvironment {
  const spec = loadSpec();
  return {
    version: 1, harness: { version: harnessVersion(), node: process.version }, spec: specInfo(spec), backend: 'torch-npu',
    backendWhy: '--backend', product: PRODUCT, productWhy: '--product', profile: 'full', seed: 0,
    devices: [{
      backend: 'torch-npu', product: PRODUCT, socName: 'Ascend310P3', device: 'npu:0', simulated: false,
      versions: { torch: '2.1.0', torch_npu: '2.1.0.post10', cann: '8.0.0', driver: '24.1.0', python: '3.10.12' },
      enforcesContract: true, notes: [],
    }],
    reference: { impl: 'native', engine: 'onednn/avx2', why: 'native addon' }, simulated: false, argv: ['qualify', '--product', PRODUCT],
    startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T01:00:00.000Z',
  };
}

function writeResults(dir: string, records: ResultRecord[]): void {
  fs.writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
}

/** Rewrites one file with `edit`, then (optionally) re-hashes the manifest so only the consistency checks can tell. */
function tamper(dir: string, file: string, edit: (text: string) => string, rehash: boolean): void {
  const abs = path.join(dir, file);
  fs.writeFileSync(abs, edit(fs.readFileSync(abs, 'utf8')));
  if (rehash) writeManifest(dir);
}

/**
 * Puts a bundle in the layout of verdict.json version 2 (one spec as spec.yml, no verdict per spec), as
 * qualify wrote it before bundles held several specs; verify-bundle still reads such bundles.
 */
function legacyLayout(dir: string): void {
  const specsDir = path.join(dir, 'specs');
  const [only] = fs.readdirSync(specsDir);
  fs.renameSync(path.join(specsDir, only!), path.join(dir, 'spec.yml'));
  fs.rmdirSync(specsDir);
  tamper(dir, 'verdict.json', (t) => {
    const { specs: _specs, ...rest } = JSON.parse(t) as Record<string, unknown>;
    return JSON.stringify({ ...rest, version: 2 }, null, 2) + '\n';
  }, true);
}

function editRecords(text: string, edit: (r: ResultRecord, i: number) => ResultRecord): string {
  return text.split('\n').filter((l) => l !== '').map((l, i) => JSON.stringify(edit(JSON.parse(l) as ResultRecord, i)) + '\n').join('');
}

describe('qualify: bundle and verifier on a hand-made real-device run', function () {
  this.timeout(120_000);
  let cases: Case[];
  let qualified: string;

  before(async () => {
    cases = expandCases(loadSpec(), { profile: 'full', seed: 0, products: [PRODUCT] });
    qualified = tmpDir('a8w8-bundle-');
    const env = realEnv();
    writeEnvironment(qualified, env);
    writeResults(qualified, cases.map((c) => record(c, faithfulOutcome(c))));
    await writeBundle({ dir: qualified, env, expanded: cases, policy: strictPolicy(false), filter: null, simulatedWhy: null, specs: [loadSpec()] });
  });

  it('writes a qualified bundle with the environment stamped, and verifies it', () => {
    const v = JSON.parse(fs.readFileSync(path.join(qualified, 'verdict.json'), 'utf8')) as Record<string, any>;
    assert.equal(v.format, 'a8w8-qualification-verdict');
    assert.equal(v.version, 3);
    assert.equal(v.verdict, 'qualified');
    assert.deepEqual(v.graphNotRun, []);
    assert.deepEqual(v.stamps, []);
    const { required, notRequired } = requiredCases(cases);
    assert.ok(required.length > 1000 && notRequired.length > 0, `${required.length} required, ${notRequired.length} not`);
    assert.equal(v.counts.required, required.length);
    assert.equal(v.counts.notRequired, notRequired.length);
    assert.equal(v.counts.qualifying, required.length);
    assert.deepEqual(
      [v.environment.socName, v.environment.driver, v.environment.cann, v.environment.torch, v.environment.torch_npu, v.environment.specHash, v.environment.harnessVersion, v.environment.product, v.environment.profile],
      ['Ascend310P3', '24.1.0', '8.0.0', '2.1.0', '2.1.0.post10', loadSpec().hash, harnessVersion(), PRODUCT, 'full'],
    );
    assert.equal(fs.readFileSync(path.join(qualified, 'required.txt'), 'utf8'), required.map((id) => id + '\n').join(''));
    assert.equal(fs.readFileSync(path.join(qualified, 'not-required.txt'), 'utf8'), notRequired.map((id) => id + '\n').join(''));
    const check = verifyBundle(qualified);
    assert.deepEqual(check.problems, []);
    assert.equal(check.ok, true);
    assert.equal(check.verdict, 'qualified');
    assert.match(check.manifestSha256 ?? '', /^[0-9a-f]{64}$/);
  });

  it('a simulated record in a qualified bundle is found even with the manifest re-hashed', () => {
    const dir = copyDir(qualified);
    tamper(dir, 'results.jsonl', (t) => editRecords(t, (r, i) => (i === 3 ? { ...r, simulated: true } : r)), true);
    const check = verifyBundle(dir);
    assert.equal(check.ok, false);
    const text = check.problems.map((p) => `${p.kind} ${p.path}: ${p.detail}`).join('\n');
    assert.match(text, /simulated verdict\.json: a qualified bundle must not be simulated/);
    assert.match(text, /verdict\.json says "qualified", the records give "simulated"/);
  });

  it('a failing record behind a qualified verdict is found', () => {
    const dir = copyDir(qualified);
    tamper(dir, 'results.jsonl', (t) => editRecords(t, (r, i) => (i === 0 ? { ...r, outcome: { status: 'fail', reason: 'wrong', metrics: null, worst: [] } } : r)), true);
    assert.match(verifyBundle(dir).problems.map((p) => p.detail).join('\n'), /the records give "not-qualified"/);
  });

  it('a required case dropped from required.txt (and its record) is found by re-deriving the list from the bundled spec', () => {
    const dir = copyDir(qualified);
    const dropped = requiredCases(cases).required[0]!;
    const status = faithfulOutcome(cases.find((c) => c.id === dropped)!).status;
    tamper(dir, 'required.txt', (t) => t.split('\n').filter((id) => id !== dropped).join('\n'), false);
    tamper(dir, 'results.jsonl', (t) => t.split('\n').filter((l) => !l.includes(`"caseId":${JSON.stringify(dropped)}`)).join('\n'), false);
    tamper(dir, 'verdict.json', (t) => {
      type Counts = { required: number; records: number; requiredRun: number; qualifying: number; byStatus: Record<string, number> };
      const v = JSON.parse(t) as { counts: Counts; specs: { counts: Counts }[] };
      // the overall counts and the spec's own
      for (const c of [v.counts, v.specs[0]!.counts]) {
        c.required--; c.records--; c.requiredRun--; c.qualifying--;
        c.byStatus[status] = c.byStatus[status]! - 1;
      }
      return JSON.stringify(v, null, 2) + '\n';
    }, true);
    const check = verifyBundle(dir);
    assert.deepEqual(check.problems.map((p) => `${p.kind} ${p.path}`), ['spec required.txt']);
  });

  it('an edited spec, environment stamp or policy is found', () => {
    const spec = copyDir(qualified);
    tamper(spec, 'specs/linear-a8w8-quant.yml', (t) => t + '\n# edited\n', true);
    assert.deepEqual(verifyBundle(spec).problems.map((p) => `${p.kind} ${p.path}`), ['spec specs/linear-a8w8-quant.yml']);
    // a bundle of one spec as version 2 wrote it: read, its spec.yml checked as before
    const legacy = copyDir(qualified);
    legacyLayout(legacy);
    assert.deepEqual(verifyBundle(legacy).problems, []);
    tamper(legacy, 'spec.yml', (t) => t + '\n# edited\n', true);
    assert.deepEqual(verifyBundle(legacy).problems.map((p) => `${p.kind} ${p.path}`), ['spec spec.yml']);
    const stamp = copyDir(qualified);
    tamper(stamp, 'verdict.json', (t) => t.replace('"cann": "8.0.0"', '"cann": "8.1.0"'), true);
    assert.match(verifyBundle(stamp).problems.map((p) => p.detail).join('\n'), /environment stamp differs from run\.json/);
    const policy = copyDir(qualified);
    tamper(policy, 'verdict.json', (t) => t.replace('"retries": 0', '"retries": 2'), true);
    assert.deepEqual(verifyBundle(policy).problems.map((p) => p.kind), ['policy']);
  });
});

describe('qualify: a real-device run where graph mode cannot run (torchair does not import)', function () {
  this.timeout(120_000);
  const NO_TORCHAIR: Outcome = { status: 'skip', reason: "graph mode unavailable: torchair does not import: ModuleNotFoundError: No module named 'torchair'" };
  let cases: Case[];
  let graphIds: string[];

  /** A bundle of the full profile: faithful outcomes, graph-mode cases as `graph` says. */
  async function bundleWith(graph: (c: Case, i: number) => Outcome): Promise<string> {
    const dir = tmpDir('a8w8-bundle-');
    const env = realEnv();
    writeEnvironment(dir, env);
    let i = 0;
    writeResults(dir, cases.map((c) => record(c, c.call.mode === 'graph' ? graph(c, i++) : faithfulOutcome(c))));
    await writeBundle({ dir, env, expanded: cases, policy: strictPolicy(false), filter: null, simulatedWhy: null, specs: [loadSpec()] });
    return dir;
  }
  const gate = async (dir: string, ...flags: string[]): Promise<{ code: number; text: string }> => {
    const ctx = capture();
    return { code: await main(['verify-bundle', dir, ...flags], ctx), text: ctx.text() };
  };

  before(() => {
    cases = expandCases(loadSpec(), { profile: 'full', seed: 0, products: [PRODUCT] });
    graphIds = requiredCases(cases.filter((c) => c.call.mode === 'graph')).required;
    assert.ok(graphIds.length > 0);
  });

  it('graph-mode cases skipped for torchair: qualified for eager mode, the graph cases listed as not run; --require-qualified needs --allow-eager-only', async () => {
    const dir = await bundleWith(() => NO_TORCHAIR);
    const v = JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as Record<string, any>;
    assert.equal(v.version, 3);
    assert.equal(v.verdict, 'qualified-eager-only');
    assert.deepEqual((v.specs as { id: string; verdict: string }[]).map((s) => [s.id, s.verdict]), [['linear-a8w8-quant', 'qualified-eager-only']]);
    assert.equal(v.label, 'qualified for eager mode');
    assert.deepEqual(v.disqualifying, []);
    assert.deepEqual((v.graphNotRun as { caseId: string }[]).map((d) => d.caseId), graphIds);
    assert.equal(v.counts.graphNotRun, graphIds.length);
    const check = verifyBundle(dir);
    assert.deepEqual(check.problems, []);
    assert.equal(check.verdict, 'qualified-eager-only');
    assert.equal((await gate(dir)).code, 0);
    const strict = await gate(dir, '--require-qualified');
    assert.equal(strict.code, 1, strict.text);
    assert.match(strict.text, /^NOT-QUALIFIED verdict\.json: the bundle is sound but its verdict is qualified-eager-only, not qualified \(--require-qualified; --allow-eager-only accepts/m);
    const eager = await gate(dir, '--require-qualified', '--allow-eager-only');
    assert.equal(eager.code, 0, eager.text);
    assert.match(eager.text, /OK, verdict qualified-eager-only/);

    // the same bundle as a version 1 verdict.json would have put it (before the eager-only verdict): checked by its own rules
    const legacy = copyDir(dir);
    legacyLayout(legacy);
    tamper(legacy, 'verdict.json', (t) => {
      const old = JSON.parse(t) as Record<string, any>;
      const { graphNotRun, ...rest } = old;
      const { graphNotRun: n, ...counts } = old.counts as Record<string, number>;
      return JSON.stringify({ ...rest, version: 1, verdict: 'not-qualified', label: 'not qualified', disqualifying: graphNotRun,
        counts: { ...counts, disqualifying: n, qualifying: counts.qualifying } }, null, 2) + '\n';
    }, true);
    assert.deepEqual(verifyBundle(legacy).problems, []);
    assert.equal((await gate(legacy, '--require-qualified', '--allow-eager-only')).code, 1);
  });

  it('one graph case failing among graph cases skipped for torchair: not qualified, even with --allow-eager-only', async () => {
    const dir = await bundleWith((c, i) => (i === 0 ? { status: 'fail', reason: 'graph mode differs', metrics: null, worst: [] } as unknown as Outcome : NO_TORCHAIR));
    const check = verifyBundle(dir);
    assert.deepEqual(check.problems, []);
    assert.equal(check.verdict, 'not-qualified');
    const v = JSON.parse(fs.readFileSync(path.join(dir, 'verdict.json'), 'utf8')) as { disqualifying: { caseId: string }[]; graphNotRun: unknown[] };
    assert.deepEqual(v.disqualifying.map((d) => d.caseId), [graphIds[0]]);
    assert.equal(v.graphNotRun.length, graphIds.length - 1);
    assert.equal((await gate(dir, '--require-qualified', '--allow-eager-only')).code, 1);
  });
});
