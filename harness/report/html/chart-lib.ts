import * as fs from 'fs';
import * as path from 'path';
import { scriptBody } from './escape';

/**
 * Chart.js's UMD build, read from node_modules at render time and inlined, so the report needs no
 * network. The package's `exports` hide dist/ from require.resolve, so resolve the main entry and take
 * its sibling.
 */
let cached: { code: string; version: string } | undefined;

export function chartLibrary(): { code: string; version: string } {
  if (cached) return cached;
  const main = require.resolve('chart.js');
  const dir = path.dirname(main);
  const file = path.join(dir, 'chart.umd.min.js');
  const code = fs.readFileSync(file, 'utf8');
  const version = /Chart\.js v([\d.]+)/.exec(code)?.[1] ?? 'unknown';
  cached = { code: scriptBody(code, file), version };
  return cached;
}
