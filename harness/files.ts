import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from './errors';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/**
 * The largest file of each kind the harness reads. Generous on purpose: a full-profile run of every
 * product writes a few hundred MB of results at most, and a run.json or expectation file a few KB. A
 * limit turns a file that is damaged, hostile or not a file at all (a link to /dev/zero) into a clear
 * error instead of a process that reads until memory runs out.
 */
export const FILE_LIMITS = {
  /** results.jsonl, read line by line (never as one string) */
  results: 2 * GiB,
  /** one line of results.jsonl: a record with its case and worst elements is a few KB */
  resultLine: 64 * MiB,
  'run.json': 16 * MiB,
  expectations: 16 * MiB,
} as const;

/** `1.5 GiB`, `16 MiB`, `912 bytes`: sizes in messages. */
export function formatBytes(n: number): string {
  if (n >= GiB) return `${+(n / GiB).toFixed(2)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(2)} MiB`;
  return `${n} bytes`;
}

/**
 * Reads a whole text file of at most `limit` bytes. The size is checked before reading and the read
 * itself stops one byte past the limit, so a file that grows, or a device that never ends, costs at
 * most `limit` bytes. `what` names the kind of file in the error (e.g. `run.json`).
 */
export function readTextCapped(file: string, limit: number, what: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in place of the file must not hang the reader (it reads as empty instead).
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, `${file}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new HarnessError(ErrorCode.FILE_UNREADABLE, `${file}: ${what} must be a regular file, got ${fileKind(st)}`);
    if (st.size > limit) throw tooLarge(file, what, st.size, limit);
    return readFdCapped(fd, limit, () => tooLarge(file, what, null, limit)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads an open file to its end, failing with `onTooLarge()` once more than `limit` bytes came. */
export function readFdCapped(fd: number, limit: number, onTooLarge: () => Error): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break; // a non-blocking read with nothing to give
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw onTooLarge();
    chunks.push(buf.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

export function tooLarge(file: string, what: string, size: number | null, limit: number): HarnessError {
  return new HarnessError(ErrorCode.FILE_UNREADABLE,
    `${file}: ${what} is ${size === null ? 'larger than' : `${formatBytes(size)} (${size} bytes), over`} the limit of ${formatBytes(limit)} for ${what}`);
}

/** What a non-regular file is, in words: for messages about files that must be regular. */
export function fileKind(st: fs.Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Makes sure `dir` is a directory, creating it and its missing parents one at a time (fs.mkdirSync's
 * recursive mode loops forever where a parent refuses new entries with ENOENT, as /proc does). Returns
 * whether it created `dir`. `what` names the option in errors, e.g. `--out`: an existing file, or a
 * path that cannot be created, is a BAD_ARGUMENT error saying which.
 */
export function ensureDirectory(dir: string, what: string): boolean {
  const fail = (why: string): HarnessError => new HarnessError(ErrorCode.BAD_ARGUMENT, `${what} ${dir}: ${why}`);
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(at) === at) throw fail(`cannot use ${at}: ${(e as NodeJS.ErrnoException).code}`);
      missing.unshift(at);
      at = path.dirname(at);
      continue;
    }
    if (!st.isDirectory()) throw fail(missing.length ? `${at} is ${fileKind(st)}, not a directory` : `is ${fileKind(st)}, not a directory`);
    break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) {
        throw fail(`cannot create ${d}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }
  return missing.length > 0;
}
