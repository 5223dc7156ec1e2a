import * as fs from 'fs';
import * as path from 'path';
import { capture, PLUGIN_TWIN, tmpDir as makeTmpDir } from '../helpers/cli';
import type { Metrics } from '../../harness/compare/types';
import type { Case } from '../../harness/expand/case';
import type { Outcome } from '../../harness/judge/outcome';
import type { ResultRecord } from '../../harness/run/record';

export { capture, PLUGIN_TWIN };
export const tmpDir = (prefix = 'a8w8-qualify-'): string => makeTmpDir(prefix);

/**
 * A plugin that behaves as the shipped library is documented to: plugin-twin's values for what the doc
 * accepts, a clean parameter error for what it rejects, and the library's side of an `accept` divergence
 * (it runs the case, so the outcome is `divergence`). It is simulated, like every plugin.
 */
export function writeStrictTwin(dir: string): string {
  const file = path.join(dir, 'strict-twin.js');
  fs.writeFileSync(file, `
    const twin = require(${JSON.stringify(PLUGIN_TWIN)});
    exports.createBackend = () => {
      const b = twin.createBackend();
      const run = b.run;
      b.run = async (c, inputs, signal) => {
        if (c.expect === 'reject' && !(c.divergence && c.divergence.library === 'accept')) {
          return { status: 'rejected', errorType: 'ValueError', message: 'rejected as the doc says', errorClass: 'parameter' };
        }
        return run(Object.assign({}, c, { expect: 'accept' }), inputs, signal);
      };
      return b;
    };`);
  return file;
}

/** A small mix of atlas-inference cases: accepted ones, shape-rule rejections, and an accept divergence (pertoken on the 310P with newer CANN). */
export const MIXED_GREP = '^linear-a8w8-quant/atlas-inference/(table1-r2/[^/]+/base/|rule/rank/x1-rank-|outside-table/s-f32_o-none_b-none_p-f32_y-f16/base/full-range)';

/** A hand-made record of a case with an outcome, as the strict runner would write it. */
export function record(c: Case, outcome: Outcome, extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    version: 2, caseId: c.id, spec: c.spec, product: c.product, backend: 'torch-npu', device: 'npu:0', simulated: false, outcome,
    asExpected: true, expectation: null, unexpectedPass: false, flaky: false, attempts: 1, path: null,
    timings: { wallMs: 1, referenceMs: null, device: null }, startedAt: '2025-01-01T00:00:00.000Z',
    replay: `npx a8w8 run --case ${c.id}`, case: c, ...extra,
  };
}

/** The outcome a kernel that does what the doc says gives a case: pass or rejected (a divergence allows either side). */
export function faithfulOutcome(c: Case): Outcome {
  // The verdict never reads metrics; a hand-made record carries an empty set.
  const metrics = {} as Metrics;
  return c.expect === 'accept'
    ? { status: 'pass', metrics }
    : { status: 'rejected', errorType: 'ValueError', message: 'doc says no', errorClass: 'parameter' };
}

/** Copies a bundle directory (tests tamper with copies of one run). */
export function copyDir(from: string): string {
  const to = tmpDir('a8w8-bundle-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}
