import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../../harness/cli/main';
import type { CommandContext } from '../../../harness/cli/context';
import type { RunEnvironment } from '../../../harness/run/environment';
import { readResults, type ResultRecord } from '../../../harness/run/record';
import { packageRoot } from '../../../harness/paths';
import { testTmpDir } from '../../helpers/tmp';

/**
 * A real run with planted faults, so the report has every outcome to show: a plugin that wraps the
 * TypeScript twin and, by shape class or rejection kind, flips bits, throws, hangs, rejects wrongly or
 * accepts what the doc rejects; it enforces the contract (rejects with a parameter error) otherwise,
 * and times the performance cases (a float baseline for one shape only, so "not measured" shows too).
 */
export const HOSTILE = '</script><img src=x onerror="document.title=\'pwned\'">';

const PLUGIN = (twin: string) => `'use strict';
const twin = require(${JSON.stringify(twin)});
const HOSTILE = ${JSON.stringify(HOSTILE)};
exports.createBackend = () => {
  const b = twin.createBackend();
  const inner = b.run;
  b.name = 'planted';
  b.run = async (c, inputs, signal) => {
    const param = (message) => ({ status: 'rejected', errorType: 'ValueError', message, errorClass: 'parameter' });
    if (c.call.mode === 'graph') return { status: 'skip', reason: 'planted: no graph mode' };
    if (c.expect === 'reject') {
      if (c.rejectedBy && c.rejectedBy.kind === 'module') return { status: 'ok', output: { dtype: 'int8', shape: [1], data: new Int8Array(1) } };
      if (c.rejectedBy && c.rejectedBy.rule === 'non-empty') return { status: 'rejected', errorType: 'RuntimeError', message: 'EZ9999 inner error ' + HOSTILE, errorClass: 'inner' };
      return param('161002 parameter check failed');
    }
    // crash and hang first, whatever the combination the smoke profile gives these classes
    if (c.shapeClass === 'tiny-1x2x1') throw new Error('planted: device lost ' + HOSTILE);
    if (c.shapeClass === 'tiny-5x3x2') return new Promise(() => {});
    if (c.divergence && c.divergence.library === 'reject') return param('161002 as the shipped library does');
    if (c.shapeClass === 'm1') return param('planted: rejects a legal m=1 call');
    const r = await inner(c, inputs, signal);
    if (r.status !== 'ok') return r;
    if (c.shapeClass === 'tail-17x33x47') {
      // a few elements one ulp off and one far off: a histogram with more than one bucket
      const d = r.output.data;
      for (let i = 0; i < Math.min(12, d.length); i++) d[i * 7 % d.length] ^= 1;
      d[3] ^= (r.output.dtype === 'int8' ? 0x10 : 0x100);
    }
    if (c.tags.includes('perf')) {
      const k = c.call.in_features, n = c.call.out_features, m = c.shapes.x1[c.shapes.x1.length - 2];
      const us = (2 * m * k * n) / 2e4; // 0.02 TOPS: a CPU's order of magnitude, so % of the host peak reads sensibly
      r.timings = { repeats: 20, medianUs: us, p10Us: us * 0.95, p90Us: us * 1.1 };
      if (c.shapeClass === 'perf:square-512') r.timings.floatBaseline = { dtype: 'float16', label: 'fp16 matmul (planted)', medianUs: us * 1.6, p10Us: us * 1.5, p90Us: us * 1.8 };
    }
    return r;
  };
  return b;
};
`;

let cached: { dir: string; records: ResultRecord[]; env: RunEnvironment } | undefined;

/** Runs the planted plugin once per process over the smoke profile's quick cases; later calls reuse it. */
export async function plantedRun(): Promise<{ dir: string; records: ResultRecord[]; env: RunEnvironment }> {
  if (cached) return cached;
  const dir = testTmpDir('a8w8-html-');
  const plugin = path.join(dir, 'planted.js');
  fs.writeFileSync(plugin, PLUGIN(path.join(packageRoot(), 'examples', 'plugin-twin.js')));
  const lines: string[] = [];
  const ctx: CommandContext = { out: (l) => lines.push(l), err: (l) => lines.push(l), exitCode: 0 };
  // the k-max/n-max/many-blocks classes take most of a twin run's time and add no outcome kind; the
  // plugin runs in its own process, so the timeout is real: the twin's perf cases must fit in it
  const code = await main(['run', '--backend', plugin, '--profile', 'smoke', '--timeout', '15000',
    '--grep', '^(?!.*/(k-max|n-max|many-blocks-332x64x5320)/)', '--out', dir, '--no-progress'], ctx);
  if (code !== 1) throw new Error(`planted run: exit ${code}, expected 1 (unexpected outcomes)\n${lines.join('\n')}`);
  const env = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunEnvironment;
  cached = { dir, records: readResults(path.join(dir, 'results.jsonl')), env };
  return cached;
}
