import assert from 'node:assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildManifest, checkManifest, readManifest, sha256File, writeManifest } from '../../harness/qualify/manifest';
import { tmpDir } from './helpers';

function bundle(): string {
  const dir = tmpDir('a8w8-manifest-');
  fs.writeFileSync(path.join(dir, 'results.jsonl'), '{"a":1}\n');
  fs.mkdirSync(path.join(dir, 'reports'));
  fs.writeFileSync(path.join(dir, 'reports', 'summary.md'), '# ok\n');
  writeManifest(dir);
  return dir;
}

describe('qualify: manifest', () => {
  it('lists every file but itself with size and sha256, and a format version', () => {
    const dir = bundle();
    const m = readManifest(dir);
    assert.equal(m.format, 'a8w8-bundle-manifest');
    assert.equal(m.version, 1);
    assert.deepEqual(m.files.map((f) => f.path), ['reports/summary.md', 'results.jsonl']);
    const sha = crypto.createHash('sha256').update('{"a":1}\n').digest('hex');
    assert.deepEqual(m.files[1], { path: 'results.jsonl', size: 8, sha256: sha });
    assert.equal(sha256File(path.join(dir, 'results.jsonl')), sha);
    assert.deepEqual(checkManifest(dir, m), []);
  });

  it('detects a modified, a missing and an extra file', () => {
    const dir = bundle();
    fs.writeFileSync(path.join(dir, 'results.jsonl'), '{"a":2}\n'); // same size: only the hash tells
    fs.rmSync(path.join(dir, 'reports', 'summary.md'));
    fs.writeFileSync(path.join(dir, 'reports', 'extra.html'), '<p>');
    const kinds = checkManifest(dir, readManifest(dir)).map((p) => `${p.kind} ${p.path}`).sort();
    assert.deepEqual(kinds, ['extra reports/extra.html', 'missing reports/summary.md', 'modified results.jsonl']);
  });

  it('refuses entries that point outside the bundle', () => {
    const dir = bundle();
    const m = buildManifest(dir);
    m.files.push({ path: '../outside', size: 0, sha256: 'x' }, { path: '/etc/passwd', size: 0, sha256: 'x' });
    assert.deepEqual(checkManifest(dir, m).map((p) => p.kind), ['malformed', 'malformed']);
  });

  it('rejects a manifest of another format or version', () => {
    const dir = bundle();
    const file = path.join(dir, 'MANIFEST.json');
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...m, version: 2 }));
    assert.throws(() => readManifest(dir), /version 2 is not supported/);
  });
});
