/**
 * Temporary directories of a test process. Each is made under the OS temp directory and removed when
 * the process exits with 0, so that test runs do not pile up in /tmp (a CI host runs the suite many
 * times a day). When tests failed (a non-zero exit) or A8W8_KEEP_TEST_DIRS is set (to anything but 0)
 * they are kept, and stderr names them, for the failure's files to be looked at.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
let decided = false;
let late = false;

function finish(code: number): void {
  if (decided || made.length === 0) return;
  decided = true;
  const keep = process.env.A8W8_KEEP_TEST_DIRS;
  if (code !== 0 || (keep !== undefined && keep !== '' && keep !== '0')) {
    process.stderr.write(`test directories kept (${made.length}, under ${os.tmpdir()}): ${made.length <= 5 ? made.join(' ') : `${made.slice(0, 5).join(' ')} ...`}\n`);
    return;
  }
  for (const dir of made) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // a directory a child process still writes into is left to the OS's own clean-up
    }
  }
}

function listen(): void {
  // Mocha, when it is left to end by itself, sets the failure count as the exit code from an 'exit'
  // listener of its own, added when the tests end: a listener added before it would see 0. So once
  // the event loop has drained ('beforeExit'), the decision moves to a listener added after Mocha's.
  // A process that calls process.exit() (Mocha with --exit, a script) has no 'beforeExit': its code
  // is the one the first listener is given.
  process.on('beforeExit', () => {
    if (late) return;
    late = true;
    process.on('exit', () => finish(typeof process.exitCode === 'number' ? process.exitCode : 0));
  });
  process.on('exit', (code) => { if (!late) finish(code); });
}

/** A fresh empty directory named `prefix` + six random characters, removed at a clean exit. */
export function testTmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.length === 0) listen();
  made.push(dir);
  return dir;
}
