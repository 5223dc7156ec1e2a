import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { writeManifest } from '../../harness/qualify/manifest';
import type { VerdictFile } from '../../harness/qualify/verdict-file';
import { verifyBundle } from '../../harness/qualify/verify';
import { loadSpecs } from '../../harness/spec/load';
import { capture, tmpDir } from '../helpers/cli';

/**
 * qualify over every spec of specs/ (one table row each on atlas-a2, so a partial, simulated bundle):
 * each spec bundled with its required cases and its own verdict beside the overall one, and
 * verify-bundle checking every one of them.
 */
describe('cli: qualify with several specs', function () {
  this.timeout(240_000);
  const specs = loadSpecs();
  const ids = specs.map((s) => s.id);
  const bundle = path.join(tmpDir('a8w8-multispec-qualify-'), 'bundle');
  const ctx = capture();
  let code: number;

  before(async () => {
    code = await main(['qualify', '--product', 'atlas-a2', '--backend', 'onnxruntime', '--allow-simulated',
      '--grep', '/atlas-a2/table2-r1/', '--out', bundle, '--no-progress'], ctx);
  });

  it('bundles every spec, with a verdict per spec and overall', () => {
    assert.equal(code, 1, ctx.text());
    for (const id of ids) assert.ok(fs.existsSync(path.join(bundle, 'specs', `${id}.yml`)), id);
    assert.equal(fs.existsSync(path.join(bundle, 'spec.yml')), false);
    const v = JSON.parse(fs.readFileSync(path.join(bundle, 'verdict.json'), 'utf8')) as VerdictFile;
    assert.equal(v.version, 3);
    // onnxruntime skips what it cannot run, and a skip disqualifies: the bundle is not qualified where any spec is not
    assert.deepEqual(v.specs!.map((s) => [s.id, s.file, s.hash]), specs.map((s) => [s.id, `specs/${s.id}.yml`, s.hash]));
    assert.ok(v.specs!.every((s) => s.verdict === 'partial' || s.verdict === 'not-qualified'));
    assert.equal(v.verdict, v.specs!.some((s) => s.verdict === 'not-qualified') ? 'not-qualified' : 'partial');
    assert.deepEqual(v.disqualifying, v.specs!.flatMap((s) => s.disqualifying), 'the bundle\u2019s disqualifying cases are the specs\u2019');
    for (const k of ['required', 'notRequired', 'records', 'requiredRun', 'qualifying'] as const) {
      assert.equal(v.specs!.reduce((n, s) => n + s.counts[k], 0), v.counts[k], `${k}: the specs' counts add up to the bundle's`);
    }
    const required = fs.readFileSync(path.join(bundle, 'required.txt'), 'utf8').split('\n').filter(Boolean);
    for (const s of v.specs!) assert.equal(required.filter((id) => id.startsWith(`${s.id}/`)).length, s.counts.required);
    for (const s of v.specs!) assert.match(ctx.lines.join('\n'), new RegExp(`^  spec ${s.id}: ${s.label}; required ${s.counts.required}, run ${s.counts.requiredRun}`, 'm'));
  });

  it('verify-bundle checks each spec: intact, then an edited spec and a spec verdict that lies', async () => {
    const ok = capture();
    assert.equal(await main(['verify-bundle', bundle], ok), 0, ok.text());
    assert.match(ok.lines.join('\n'), /OK, verdict (partial|not-qualified)/);

    const edited = copy(bundle);
    const file = `specs/${ids[1]}.yml`;
    fs.appendFileSync(path.join(edited, file), '\n# edited\n');
    writeManifest(edited);
    assert.deepEqual(verifyBundle(edited).problems.map((p) => `${p.kind} ${p.path}`), [`spec ${file}`]);

    const lying = copy(bundle);
    const vf = path.join(lying, 'verdict.json');
    const v = JSON.parse(fs.readFileSync(vf, 'utf8')) as VerdictFile;
    const was = v.specs![2]!.verdict;
    v.specs![2]!.verdict = 'qualified';
    fs.writeFileSync(vf, JSON.stringify(v, null, 2) + '\n');
    writeManifest(lying);
    assert.match(verifyBundle(lying).problems.map((p) => p.detail).join('\n'), new RegExp(`spec ${ids[2]}: verdict.json says "qualified", its records give "${was}"`));

    const dropped = copy(bundle);
    fs.rmSync(path.join(dropped, `specs/${ids[0]}.yml`));
    writeManifest(dropped);
    assert.deepEqual(verifyBundle(dropped).problems.map((p) => `${p.kind} ${p.path}`), [`missing specs/${ids[0]}.yml`]);
  });
});

function copy(dir: string): string {
  const to = tmpDir('a8w8-multispec-qualify-copy-');
  fs.cpSync(dir, to, { recursive: true });
  return to;
}
