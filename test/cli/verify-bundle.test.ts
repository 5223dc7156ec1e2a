import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { writeManifest } from '../../harness/qualify/manifest';
import { capture, copyDir, MIXED_GREP, tmpDir, writeStrictTwin } from '../qualify/helpers';

/** verify-bundle on dir: the exit code and everything it printed. */
async function verify(dir: string): Promise<{ code: number; text: string }> {
  const ctx = capture();
  const code = await main(['verify-bundle', dir], ctx);
  return { code, text: ctx.text() };
}

describe('cli: verify-bundle', function () {
  this.timeout(180_000);
  let bundle: string;

  before(async () => {
    const dir = tmpDir();
    bundle = path.join(dir, 'bundle');
    const ctx = capture();
    const code = await main(['qualify', '--product', 'atlas-inference', '--backend', writeStrictTwin(dir), '--allow-simulated', '--grep', MIXED_GREP, '--out', bundle, '--no-progress'], ctx);
    assert.equal(code, 1, ctx.text());
  });

  it('passes on the bundle qualify wrote (exit 0), quoting the manifest hash', async () => {
    const { code, text } = await verify(bundle);
    assert.equal(code, 0, text);
    assert.match(text, /: OK, verdict partial \(MANIFEST\.json sha256 [0-9a-f]{64}\)/);
  });

  it('--require-qualified fails a sound bundle that is not qualified; --manifest-sha256 pins the manifest', async () => {
    const plain = await verify(bundle);
    const sha = /MANIFEST\.json sha256 ([0-9a-f]{64})/.exec(plain.text)![1]!;
    const gate = capture();
    assert.equal(await main(['verify-bundle', bundle, '--require-qualified'], gate), 1);
    assert.match(gate.text(), /^NOT-QUALIFIED verdict\.json: the bundle is sound but its verdict is partial/m);
    assert.equal(await main(['verify-bundle', bundle, '--manifest-sha256', sha], capture()), 0);
    const wrong = capture();
    assert.equal(await main(['verify-bundle', bundle, '--manifest-sha256', '0'.repeat(64)], wrong), 1);
    assert.match(wrong.text(), /^MODIFIED MANIFEST\.json: sha256 [0-9a-f]{64}, expected 0{64}/m);
  });

  it('detects a modified file', async () => {
    const dir = copyDir(bundle);
    const file = path.join(dir, 'results.jsonl');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"status":"pass"', '"status":"fail"'));
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /^MODIFIED results\.jsonl: sha256 [0-9a-f]{64} \(\d+ bytes\), manifest says/m);
  });

  it('detects a deleted file', async () => {
    const dir = copyDir(bundle);
    fs.rmSync(path.join(dir, 'run.json'));
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /^MISSING run\.json: listed in the manifest, not in the bundle/m);
  });

  it('detects an added file', async () => {
    const dir = copyDir(bundle);
    fs.writeFileSync(path.join(dir, 'waiver.txt'), 'please ignore the failures\n');
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /^EXTRA waiver\.txt: in the bundle, not in the manifest/m);
  });

  it('detects a verdict.json edited to "qualified", even with the manifest re-hashed', async () => {
    const dir = copyDir(bundle);
    const file = path.join(dir, 'verdict.json');
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...v, verdict: 'qualified', label: 'qualified' }, null, 2) + '\n');
    const edited = await verify(dir);
    assert.equal(edited.code, 1);
    assert.match(edited.text, /^MODIFIED verdict\.json/m);
    assert.match(edited.text, /^INCONSISTENT verdict\.json: verdict\.json says "qualified", the records give "partial"/m);
    assert.match(edited.text, /^SIMULATED verdict\.json: a qualified bundle must not be simulated/m);
    writeManifest(dir);
    const rehashed = await verify(dir);
    assert.equal(rehashed.code, 1);
    assert.doesNotMatch(rehashed.text, /MODIFIED/);
    assert.match(rehashed.text, /^SIMULATED verdict\.json: a qualified bundle must not be simulated/m);
  });

  it('detects a partial run passed off as whole (the filter removed from verdict.json)', async () => {
    const dir = copyDir(bundle);
    const file = path.join(dir, 'verdict.json');
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...v, filter: null }, null, 2) + '\n');
    writeManifest(dir);
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /the records give "not-qualified"/);
  });

  it('reads only regular files inside the bundle: links out, a FIFO and a link to /dev/zero are all named, none followed or opened', async () => {
    const dir = copyDir(bundle);
    const outside = path.join(tmpDir(), 'outside');
    fs.mkdirSync(outside);
    // the same results, outside the bundle: a verifier that follows the link would find them intact
    fs.renameSync(path.join(dir, 'results.jsonl'), path.join(outside, 'results.jsonl'));
    fs.symlinkSync(path.join(outside, 'results.jsonl'), path.join(dir, 'results.jsonl'));
    fs.renameSync(path.join(dir, 'reports'), path.join(outside, 'reports'));
    fs.symlinkSync(path.join(outside, 'reports'), path.join(dir, 'reports'));
    fs.rmSync(path.join(dir, 'required.txt'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'required.txt'));
    fs.rmSync(path.join(dir, 'not-required.txt'));
    execFileSync('mkfifo', [path.join(dir, 'not-required.txt')]);
    const t0 = Date.now();
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /^NOT-REGULAR results\.jsonl: a symbolic link to ".*outside\/results\.jsonl"; a bundle holds only regular files and directories/m);
    assert.match(text, /^NOT-REGULAR reports: a symbolic link to ".*outside\/reports"/m);
    assert.match(text, /^NOT-REGULAR required\.txt: a symbolic link to "\/dev\/zero"/m);
    assert.match(text, /^NOT-REGULAR not-required\.txt: a FIFO/m);
    assert.match(text, /^MISSING reports\/junit\.xml: listed in the manifest, not in the bundle/m);
    assert.doesNotMatch(text, /^MODIFIED/m);
    assert.ok(Date.now() - t0 < 30_000, 'verify-bundle reads nothing unbounded');
  });

  it('a FIFO in place of results.jsonl does not hang it', async () => {
    const dir = copyDir(bundle);
    fs.rmSync(path.join(dir, 'results.jsonl'));
    execFileSync('mkfifo', [path.join(dir, 'results.jsonl')]);
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /^NOT-REGULAR results\.jsonl: a FIFO/m);
  });

  it('refuses a file over its size limit without reading it', async () => {
    const dir = copyDir(bundle);
    const file = path.join(dir, 'required.txt');
    fs.truncateSync(file, 16 * 1024 * 1024 + 1); // sparse
    const { code, text } = await verify(dir);
    assert.equal(code, 1);
    assert.match(text, /^TOO-LARGE required\.txt: 16 MiB \(16777217 bytes\), over the limit of 16 MiB for this file/m);
  });

  it('exits 1 for a directory that is no bundle, 2 without an argument', async () => {
    const empty = await verify(tmpDir());
    assert.equal(empty.code, 1);
    assert.match(empty.text, /UNREADABLE MANIFEST\.json/);
    assert.match(empty.text, /MISSING verdict\.json/);
    assert.equal((await verify(path.join(tmpDir(), 'nope'))).code, 1);
    assert.equal(await main(['verify-bundle'], capture()), 2);
  });
});
