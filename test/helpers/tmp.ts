/**
 * Temporary directories of a test process. Each is made under the OS temp directory and removed when
 * the process exits with 0, so that test runs do not pile up in /tmp (a CI host runs the suite many
 * times a day). When tests failed (a non-zero exit) or A8W8_KEEP_TEST_DIRS is set they are kept, and
 * stderr says so, for the failure's files to be looked at.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

function atExit(code: number): void {
  if (made.length === 0) return;
  if (code !== 0 || process.env.A8W8_KEEP_TEST_DIRS) {
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

/** A fresh empty directory named `prefix` + six random characters, removed at a clean exit. */
export function testTmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.length === 0) process.on('exit', atExit);
  made.push(dir);
  return dir;
}
