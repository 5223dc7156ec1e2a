import * as fs from 'fs';
import * as path from 'path';
import type { DeviceTimings } from '../../harness/backends/types';
import { capture, PLUGIN_TWIN, tmpDir as makeTmpDir } from '../helpers/cli';
import { main } from '../../harness/cli/main';
import type { Metrics } from '../../harness/compare/types';
import type { Case } from '../../harness/expand/case';
import type { Outcome, OutcomeStatus } from '../../harness/judge/outcome';
import type { RunEnvironment } from '../../harness/run/environment';
import type { ResultRecord } from '../../harness/run/record';
import { realCases } from '../helpers/spec';

export { capture, PLUGIN_TWIN };
export const tmpDir = (prefix = 'a8w8-report-'): string => makeTmpDir(prefix);

/**
 * A plugin with every kind of behaviour, chosen by case id, so one small real run yields most outcome
 * statuses: it rejects what the doc rejects (rejected), runs accept divergences (divergence), but also
 * runs rank-7 x1 (unexpected-accept), rejects the rank-6 table case (unexpected-reject), flips one bit
 * of tail cases (fail), and throws on `m1` cases (error).
 */
export function writeMixedPlugin(dir: string): string {
  const file = path.join(dir, 'mixed-plugin.js');
  fs.writeFileSync(file, `
    const twin = require(${JSON.stringify(PLUGIN_TWIN)});
    exports.createBackend = () => {
      const b = twin.createBackend();
      const run = b.run;
      b.run = async (c, inputs, signal) => {
        if (/\\/m1\\//.test(c.id)) throw new Error('device lost <m1> & "quoted" \\'apos\\'');
        if (/x1-rank-7/.test(c.id)) return { status: 'ok', output: { dtype: 'float16', shape: [1], data: new Uint16Array(1) } };
        if (/\\/rank6\\//.test(c.id)) return { status: 'rejected', errorType: 'RuntimeError', message: 'EZ1001: rank <6> & "more"', errorClass: 'parameter' };
        if (c.expect === 'reject' && !(c.divergence && c.divergence.library === 'accept')) {
          return { status: 'rejected', errorType: 'ValueError', message: 'rejected as the doc says', errorClass: 'parameter' };
        }
        const r = await run(Object.assign({}, c, { expect: 'accept' }), inputs, signal);
        if (r.status === 'ok' && /tail-/.test(c.id)) r.output.data[0] ^= 1;
        return r;
      };
      return b;
    };`);
  return file;
}

/** Runs `a8w8 run` with the arguments into a fresh directory; returns the directory and exit code. */
export async function runInto(args: string[], dir = tmpDir()): Promise<{ dir: string; code: number; ctx: ReturnType<typeof capture> }> {
  const ctx = capture();
  const code = await main(['run', ...args, '--out', dir, '--no-progress'], ctx);
  return { dir, code, ctx };
}

/** A full Metrics object: zeros, with the fields given. */
export function metrics(extra: Partial<Metrics> = {}): Metrics {
  return {
    count: 16, maxAbs: 0, maxRel: 0, maxUlp: 0, mismatches: 0, mismatchFraction: 0, meanSignedError: 0, meanSignedErrorVsIdeal: 0,
    nanCount: 0, alternatives: {}, scaleGap: 0, ...extra,
  };
}

/** Real cases of the smoke profile, by kind, for hand-made records. */
export function sampleCases(): { accepted: Case; dtypeRejected: Case; guard: Case; ruleEdge: Case; divergence: Case; perf: Case } {
  const cs = realCases('smoke').filter((c) => c.product === 'atlas-a2');
  const find = (f: (c: Case) => boolean, what: string): Case => {
    const c = cs.find(f);
    if (!c) throw new Error(`no smoke case: ${what}`);
    return c;
  };
  return {
    accepted: find((c) => c.expect === 'accept' && c.rows.length > 0 && !c.tags.includes('perf') && !c.shapeClass.startsWith('edge:'), 'accepted'),
    dtypeRejected: find((c) => c.rejectedBy?.kind === 'dtype' && !c.divergence, 'dtype rejection'),
    guard: find((c) => c.rejectedBy?.kind === 'module', 'guard'),
    ruleEdge: find((c) => c.rejectedBy?.kind === 'shape' && c.shapeClass.startsWith('edge:'), 'rule edge'),
    divergence: find((c) => c.divergence?.library === 'reject', 'divergence'),
    perf: find((c) => c.tags.includes('perf'), 'perf'),
  };
}

/** One outcome of every status, shaped as the judge makes them. */
export function outcomeOf(status: OutcomeStatus, c: Case): Outcome {
  switch (status) {
    case 'pass': return { status, metrics: metrics({ alternatives: { 'int8-tie-other': 2 } }) };
    case 'fail': return {
      status, reason: '3 of 16 elements differ <&> "every" \'admissible\' answer', metrics: metrics({ mismatches: 3, mismatchFraction: 3 / 16, maxAbs: 2, maxUlp: 2 }),
      worst: [{ index: 5, at: [1, 1], actual: 7, expected: 5, ideal: 5.2, absError: 2, ulps: 2 }],
    };
    case 'rejected': return { status, errorType: 'ValueError', message: 'not supported', errorClass: 'parameter' };
    case 'unexpected-accept': return { status, metrics: null };
    case 'unexpected-reject': return { status, errorType: 'RuntimeError', message: 'EZ9999 inner <error>', errorClass: 'inner' };
    case 'divergence': return { status, divergence: c.divergence ?? { id: 'E9', library: 'reject', condition: 'always', source: 'test' }, detail: 'rejected as the divergence says', metrics: null };
    case 'error': return { status, message: 'worker crashed\nTraceback: <module>' };
    case 'timeout': return { status, limitMs: 1000 };
    case 'skip': return { status, reason: 'graph mode is a torch_npu feature' };
  }
}

/** A hand-made record as the runner writes it; asExpected follows the default expectations unless given. */
export function record(c: Case, outcome: Outcome, extra: Partial<ResultRecord> = {}): ResultRecord {
  const expected = ['pass', 'rejected', 'divergence', 'skip'].includes(outcome.status);
  return {
    version: 2, caseId: c.id, spec: c.spec, product: c.product, backend: 'onnxruntime', device: 'cpu', simulated: true, outcome,
    asExpected: expected, expectation: null, unexpectedPass: false, flaky: false, attempts: 1, path: 'fp16-fixpipe',
    timings: { wallMs: 12.5, referenceMs: 1, device: null }, startedAt: '2026-01-01T00:00:00.000Z',
    replay: `npx a8w8 run --backend onnxruntime --case ${c.id}`, case: c, ...extra,
  };
}

/** A perf record with the timings given (hand-made). */
export function timed(c: Case, t: Partial<DeviceTimings>, extra: Partial<ResultRecord> = {}): ResultRecord {
  const device: DeviceTimings = { repeats: 20, medianUs: 100, p10Us: 95, p90Us: 105, ...t };
  return record(c, outcomeOf('pass', c), { timings: { wallMs: 50, referenceMs: 1, device }, ...extra });
}

/** A run.json for hand-made records. */
export function environment(extra: Partial<RunEnvironment> = {}): RunEnvironment {
  return {
    version: 1, harness: { version: '0.1.0', node: process.version }, spec: { file: 'specs/linear-a8w8-quant.yml', hash: 'ab'.repeat(32) },
    backend: 'onnxruntime', backendWhy: '--backend', product: 'atlas-a2', productWhy: '--product', profile: 'smoke', seed: 0,
    devices: [{ backend: 'onnxruntime', product: null, socName: 'Test CPU', device: 'cpu', simulated: true, versions: {}, enforcesContract: false, notes: [] }],
    reference: { impl: 'native', engine: 'portable/avx2', why: 'test' }, simulated: true, argv: ['run'],
    startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', ...extra,
  };
}

/** Parses XML with Python's expat-based ElementTree (a real, strict parser) and returns it as JSON. */
export function parseXml(xml: string): XmlNode {
  const { execFileSync } = require('child_process') as typeof import('child_process');
  const script = `
import json, sys, xml.etree.ElementTree as ET
def conv(e): return {"tag": e.tag, "attrib": e.attrib, "text": e.text or "", "children": [conv(c) for c in e]}
print(json.dumps(conv(ET.fromstring(sys.stdin.buffer.read()))))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: Buffer.from(xml, 'utf8') }).toString('utf8')) as XmlNode;
}

export interface XmlNode {
  tag: string;
  attrib: Record<string, string>;
  text: string;
  children: XmlNode[];
}
