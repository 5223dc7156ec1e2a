import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileKind, formatBytes, GiB, MiB } from '../files';
import { BUNDLE_FILES } from './verdict-file';

/**
 * A bundle is data, not paths: it may come from anywhere, so the verifier reads only regular files
 * inside it. Entries are examined with lstat (a link is never followed, a FIFO or device never opened),
 * each file is opened with O_NOFOLLOW | O_NONBLOCK and checked again with fstat, and every file has a
 * size limit, so a link to /etc/passwd, a FIFO that never answers or a link to /dev/zero is reported
 * by name instead of read, hung on, or read forever.
 */

/** The largest file of each kind a bundle may hold; the reports and anything else hash up to 2 GiB. */
export const BUNDLE_LIMITS: Readonly<Record<string, number>> = {
  [BUNDLE_FILES.results]: 2 * GiB,
  [BUNDLE_FILES.run]: 16 * MiB,
  [BUNDLE_FILES.verdict]: 64 * MiB,
  [BUNDLE_FILES.required]: 16 * MiB,
  [BUNDLE_FILES.notRequired]: 16 * MiB,
  [BUNDLE_FILES.spec]: 16 * MiB,
  [BUNDLE_FILES.manifest]: 16 * MiB,
};
const OTHER_LIMIT = 2 * GiB;

export function bundleLimit(rel: string): number {
  // the bundled specs are spec files like spec.yml, each held to its limit
  if (rel.startsWith(`${BUNDLE_FILES.specs}/`)) return BUNDLE_LIMITS[BUNDLE_FILES.spec]!;
  return BUNDLE_LIMITS[rel] ?? OTHER_LIMIT;
}

/** What a walk of the bundle found, by `/`-separated relative path. */
export interface BundleTree {
  /** regular files and their sizes */
  files: Map<string, number>;
  /** entries that are neither a regular file nor a directory, in words (`a symbolic link to /etc/passwd`) */
  unsafe: Map<string, string>;
}

/** Every entry under dir, examined with lstat only: directories are entered, nothing else is followed. */
export function walkBundle(dir: string): BundleTree {
  const tree: BundleTree = { files: new Map(), unsafe: new Map() };
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      const abs = path.join(dir, p);
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) tree.files.set(p, st.size);
      else tree.unsafe.set(p, st.isSymbolicLink() ? `a symbolic link to ${safeReadlink(abs)}` : fileKind(st));
    }
  };
  walk('');
  return tree;
}

function safeReadlink(abs: string): string {
  try {
    return JSON.stringify(fs.readlinkSync(abs));
  } catch {
    return 'an unreadable target';
  }
}

/** Why a bundle file cannot be read: it is not a regular file inside the bundle, too large, or absent. */
export class BundleFileError extends Error {
  constructor(readonly kind: 'not-regular' | 'too-large' | 'missing', readonly path: string, detail: string) {
    super(detail);
  }
}

/**
 * Opens a bundle file for reading: every directory on the way must be a real directory (not a link),
 * the file itself a regular file of at most its limit, checked with lstat before the open and with
 * fstat on the open descriptor (the same file, in case it was swapped in between).
 */
function openBundleFile(dir: string, rel: string): { fd: number; size: number } {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const st = lstatOrNull(path.join(dir, sub));
    if (!st) throw new BundleFileError('missing', rel, 'not in the bundle');
    if (!st.isDirectory()) throw new BundleFileError('not-regular', rel, `${sub} is ${fileKind(st)}, not a directory of the bundle`);
  }
  const abs = path.join(dir, rel);
  const before = lstatOrNull(abs);
  if (!before) throw new BundleFileError('missing', rel, 'not in the bundle');
  if (!before.isFile()) throw new BundleFileError('not-regular', rel, `${fileKind(before)}, not a regular file`);
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  const st = fs.fstatSync(fd);
  const fail = (e: BundleFileError): never => {
    fs.closeSync(fd);
    throw e;
  };
  if (!st.isFile() || st.ino !== before.ino || st.dev !== before.dev) fail(new BundleFileError('not-regular', rel, 'changed while it was opened'));
  if (st.size > bundleLimit(rel)) fail(tooLargeError(rel, st.size));
  return { fd, size: st.size };
}

function tooLargeError(rel: string, size: number | null): BundleFileError {
  return new BundleFileError('too-large', rel, `${size === null ? 'grew past' : `${formatBytes(size)} (${size} bytes), over`} the limit of ${formatBytes(bundleLimit(rel))} for this file`);
}

function lstatOrNull(abs: string): fs.Stats | null {
  try {
    return fs.lstatSync(abs);
  } catch {
    return null;
  }
}

/** Streams a bundle file through `each` chunk by chunk, never past its limit; returns its size. */
function streamBundleFile(dir: string, rel: string, each: (chunk: Buffer) => void): number {
  const { fd } = openBundleFile(dir, rel);
  const limit = bundleLimit(rel);
  let total = 0;
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buf, 0, buf.length, null); n > 0; n = fs.readSync(fd, buf, 0, buf.length, null)) {
      total += n;
      if (total > limit) throw tooLargeError(rel, null);
      each(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return total;
}

/** A whole bundle file (its limit keeps this bounded). */
export function readBundleFile(dir: string, rel: string): Buffer {
  const chunks: Buffer[] = [];
  streamBundleFile(dir, rel, (c) => chunks.push(Buffer.from(c)));
  return Buffer.concat(chunks);
}

/** sha256 and size of a bundle file, streamed. */
export function hashBundleFile(dir: string, rel: string): { sha256: string; size: number } {
  const hash = crypto.createHash('sha256');
  const size = streamBundleFile(dir, rel, (c) => hash.update(c));
  return { sha256: hash.digest('hex'), size };
}

/**
 * Opens results.jsonl of a bundle for a line reader: the descriptor of the checked regular file (the
 * caller closes it).
 */
export function openBundleResults(dir: string): number {
  return openBundleFile(dir, BUNDLE_FILES.results).fd;
}
