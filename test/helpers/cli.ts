import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CommandContext } from '../../harness/cli/context';
import { packageRoot } from '../../harness/paths';

/** A command context that keeps what a command printed: stdout lines, stderr lines, both as text. */
export function capture(): CommandContext & { lines: string[]; errors: string[]; text(): string } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), exitCode: 0, text: () => [...errors, ...lines].join('\n') };
}

/** A fresh temporary directory. */
export const tmpDir = (prefix = 'a8w8-test-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The example plugin backend that answers with the twin reference. */
export const PLUGIN_TWIN = path.join(packageRoot(), 'examples', 'plugin-twin.js');
