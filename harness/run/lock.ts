import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../errors';
import { ensureDirectory } from '../files';

/**
 * The lock file in an output directory. Two runs appending to one results.jsonl interleave and
 * truncate each other's records, so a run owns its directory while it writes there.
 */
export const LOCK_FILE = '.a8w8.lock';

/** Who holds a lock: what the lock file says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** the command line, e.g. `a8w8 run --out reports/run` */
  command: string;
  startedAt: string;
}

/** A held lock on an output directory. */
export interface OutputLock {
  readonly dir: string;
  readonly file: string;
  /** true when taking the lock created the directory */
  readonly created: boolean;
  /** a line to show when a stale lock of a dead run was taken over, else null */
  readonly notice: string | null;
  /**
   * Removes the lock file (once; later calls do nothing). A directory this lock created and nothing
   * else wrote into is removed too, so a run refused before it wrote anything leaves nothing behind.
   */
  release(): void;
}

/**
 * Takes the output directory `dir` for one run: checks it is (or can be made) a directory, then
 * creates the lock file with O_EXCL. A lock held by a live process, or by another host (whose
 * processes cannot be checked from here), is a BAD_ARGUMENT error naming the holder; a lock whose
 * process is gone from this host is taken over, with a notice. `what` names the option in errors.
 */
export function lockOutput(dir: string, command: string, what = '--out'): OutputLock {
  const created = ensureDirectory(dir, what);
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString() };
  let notice: string | null = null;
  try {
    if (!tryCreate(file, me)) {
      const holder = readHolder(file);
      if (!holder || !isStale(holder)) throw refusal(dir, file, holder);
      if (!takeOver(file, holder, me)) throw refusal(dir, file, readHolder(file));
      notice = `${what} ${dir}: took over the lock of ${describeHolder(holder)}, which is no longer running`;
    }
  } catch (e) {
    if (created) removeIfEmpty(dir);
    if (e instanceof HarnessError) throw e;
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${what} ${dir}: cannot write there: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return new HeldLock(dir, file, created, notice, me);
}

class HeldLock implements OutputLock {
  #held = true;
  readonly #onExit = (): void => this.release();
  constructor(readonly dir: string, readonly file: string, readonly created: boolean, readonly notice: string | null, readonly holder: LockHolder) {
    // A process.exit() elsewhere skips every finally: the lock goes with the process all the same.
    process.on('exit', this.#onExit);
  }
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    process.off('exit', this.#onExit);
    // Only our own lock: never remove one another run took over after us.
    if (sameHolder(readHolder(this.file), this.holder)) fs.rmSync(this.file, { force: true });
    if (this.created) removeIfEmpty(this.dir);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty: the run wrote its results there
  }
}

/** Creates the lock file with O_EXCL; false when one exists. Other errors (unwritable directory) throw. */
function tryCreate(file: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, JSON.stringify(me) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The holder a lock file names, or null when it cannot be read as one. */
export function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readSmall(file)) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.command === 'string' && typeof h.startedAt === 'string') return h as LockHolder;
  } catch {
    // unreadable or half-written: treated as held, the safe side
  }
  return null;
}

/**
 * The first 64 KiB of a lock file, read without following a link or blocking on a FIFO: whatever sits
 * in place of the lock file, looking at it costs nothing.
 */
function readSmall(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) return '';
    const buf = Buffer.alloc(64 * 1024);
    return buf.toString('utf8', 0, fs.readSync(fd, buf, 0, buf.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function sameHolder(a: LockHolder | null, b: LockHolder): boolean {
  return a !== null && a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;
}

/** A lock whose process is gone from this host. Another host's lock is never stale from here. */
function isStale(h: LockHolder): boolean {
  if (h.host !== os.hostname()) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Replaces a stale lock with ours. Renaming the stale file aside is atomic, so of two runs taking it
 * over at once only one moves the stale lock; the other finds the winner's lock and is refused. Should
 * the file moved aside turn out not to be the stale one (the winner's, between our read and rename), it
 * is put back.
 */
function takeOver(file: string, stale: LockHolder, me: LockHolder): boolean {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return tryCreate(file, me);
    throw e;
  }
  const moved = readHolder(aside);
  if (moved === null || !sameHolder(moved, stale)) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third run holds it now: ours is refused either way
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return tryCreate(file, me);
}

function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} (${h.command}, started ${h.startedAt})`;
}

function refusal(dir: string, file: string, h: LockHolder | null): HarnessError {
  const who = h ? `another run holds it: ${describeHolder(h)}` : `${file} exists but does not name its holder`;
  return new HarnessError(ErrorCode.BAD_ARGUMENT,
    `output directory ${dir} is in use: ${who}; wait for it, use another --out, or remove ${file} if no such run is alive`);
}
