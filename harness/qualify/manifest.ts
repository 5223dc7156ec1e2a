import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { LOCK_FILE } from '../run/lock';
import { BundleFileError, hashBundleFile, readBundleFile, walkBundle, type BundleTree } from './bundle-files';
import { BUNDLE_FILES } from './verdict-file';

/** MANIFEST.json's own format version: a public interface (bump with a README note on change). */
export const MANIFEST_VERSION = 1;
export const MANIFEST_FORMAT = 'a8w8-bundle-manifest';
export const MANIFEST_FILE = BUNDLE_FILES.manifest;

export interface ManifestEntry {
  /** relative to the bundle directory, `/`-separated */
  path: string;
  size: number;
  sha256: string;
}

/** MANIFEST.json: every file of the bundle but itself, sorted by path. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  algorithm: 'sha256';
  createdAt: string;
  files: ManifestEntry[];
}

/** A difference between a bundle directory and its manifest. */
export interface ManifestProblem {
  kind: 'modified' | 'missing' | 'extra' | 'malformed' | 'not-regular' | 'too-large' | 'unreadable';
  path: string;
  detail: string;
}

/** sha256 of a file, streamed in chunks so a large results.jsonl is not read whole. */
export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n = fs.readSync(fd, buf, 0, buf.length, null); n > 0; n = fs.readSync(fd, buf, 0, buf.length, null)) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Every regular file under dir, as sorted `/`-separated relative paths (symlinks are listed, never followed). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Hashes every file of the bundle except the manifest itself and the lock `qualify` holds on the
 * directory while it writes (released before anyone verifies; a lock left behind is an extra file).
 */
export function buildManifest(dir: string, createdAt = new Date().toISOString()): Manifest {
  const files = listFiles(dir).filter((p) => p !== MANIFEST_FILE && p !== LOCK_FILE).map((p) => {
    const abs = path.join(dir, p);
    return { path: p, size: fs.statSync(abs).size, sha256: sha256File(abs) };
  });
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, algorithm: 'sha256', createdAt, files };
}

/** Writes MANIFEST.json last (after every other file) and returns its own sha256, worth quoting on hand-over. */
export function writeManifest(dir: string): { manifest: Manifest; sha256: string } {
  const manifest = buildManifest(dir);
  const file = path.join(dir, MANIFEST_FILE);
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, sha256: sha256File(file) };
}

/** Reads MANIFEST.json (a regular file of the bundle, within its size limit), checking its shape; throws with what is wrong. */
export function readManifest(dir: string): Manifest {
  return parseManifest(readBundleFile(dir, MANIFEST_FILE).toString('utf8'));
}

/** Parses the text of a MANIFEST.json, checking its shape; throws with what is wrong. */
export function parseManifest(text: string): Manifest {
  const m = JSON.parse(text) as Partial<Manifest> | null;
  if (m === null || typeof m !== 'object') throw new Error(`${MANIFEST_FILE}: not a JSON object`);
  if (m.format !== MANIFEST_FORMAT) throw new Error(`${MANIFEST_FILE}: format is ${JSON.stringify(m.format)}, expected ${MANIFEST_FORMAT}`);
  if (m.version !== MANIFEST_VERSION) throw new Error(`${MANIFEST_FILE}: version ${JSON.stringify(m.version)} is not supported (expected ${MANIFEST_VERSION})`);
  if (m.algorithm !== 'sha256' || !Array.isArray(m.files)) throw new Error(`${MANIFEST_FILE}: expected algorithm sha256 and a files list`);
  return m as Manifest;
}

/** A manifest path that stays inside the bundle: relative, `/`-separated, no `.` or `..` segments. */
function safePath(p: unknown): p is string {
  return typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Recomputes every hash: files modified, missing from the directory, or present but not in the
 * manifest. Only regular files inside the bundle are read (harness/qualify/bundle-files.ts); an entry
 * that is a link, FIFO, device or socket, or a file over its size limit, is reported as such, by name,
 * and never opened.
 */
export function checkManifest(dir: string, manifest: Manifest, tree: BundleTree = walkBundle(dir)): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const listed = new Set<string>();
  for (const e of manifest.files) {
    if (!safePath(e.path) || typeof e.sha256 !== 'string' || typeof e.size !== 'number') {
      problems.push({ kind: 'malformed', path: String(e.path), detail: 'manifest entry is not {path (relative, inside the bundle), size, sha256}' });
      continue;
    }
    if (listed.has(e.path)) problems.push({ kind: 'malformed', path: e.path, detail: 'listed twice in the manifest' });
    listed.add(e.path);
    if (tree.unsafe.has(e.path)) continue; // reported with the other unsafe entries
    if (!tree.files.has(e.path)) {
      problems.push({ kind: 'missing', path: e.path, detail: 'listed in the manifest, not in the bundle' });
      continue;
    }
    let actual: { sha256: string; size: number };
    try {
      actual = hashBundleFile(dir, e.path);
    } catch (err) {
      if (err instanceof BundleFileError) problems.push({ kind: err.kind === 'missing' ? 'missing' : err.kind, path: e.path, detail: err.message });
      else problems.push({ kind: 'unreadable', path: e.path, detail: (err as Error).message });
      continue;
    }
    if (actual.sha256 !== e.sha256 || actual.size !== e.size) {
      problems.push({ kind: 'modified', path: e.path, detail: `sha256 ${actual.sha256} (${actual.size} bytes), manifest says ${e.sha256} (${e.size} bytes)` });
    }
  }
  for (const p of tree.files.keys()) {
    if (p !== MANIFEST_FILE && !listed.has(p)) problems.push({ kind: 'extra', path: p, detail: 'in the bundle, not in the manifest' });
  }
  return problems;
}

/** Every entry of the bundle that is not a regular file or directory, with what it is: never read. */
export function unsafeEntries(tree: BundleTree): ManifestProblem[] {
  return [...tree.unsafe].map(([p, what]) => ({
    kind: 'not-regular' as const, path: p, detail: `${what}; a bundle holds only regular files and directories, so it was not followed or opened`,
  }));
}
