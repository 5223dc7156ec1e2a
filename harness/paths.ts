import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

/**
 * The package root: the first directory upward from this file that holds package.json. Works both from
 * harness/ (sources) and dist/harness/ (compiled), where a fixed `__dirname/..` would break one of them.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  root = dir;
  return dir;
}
