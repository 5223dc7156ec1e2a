import * as path from 'path';
import type { CommandContext } from '../../harness/cli/context';
import { packageRoot } from '../../harness/paths';
import { testTmpDir } from './tmp';

/** A command context that keeps what a command printed: stdout lines, stderr lines, both as text. */
export function capture(): CommandContext & { lines: string[]; errors: string[]; text(): string } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), exitCode: 0, text: () => [...errors, ...lines].join('\n') };
}

/** A fresh temporary directory, removed when the test process exits cleanly. */
export const tmpDir = (prefix = 'a8w8-test-'): string => testTmpDir(prefix);

/** The example plugin backend that answers with the twin reference. */
export const PLUGIN_TWIN = path.join(packageRoot(), 'examples', 'plugin-twin.js');
