import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { historyRows, isRunFolder, loadRunFolder, renderMarkdown, summarize, writeReports } from '../../harness/report';
import { renderHtmlReport } from '../../harness/report/html';
import { mergeResultSets } from '../../harness/report/merge';
import { environmentsOf, productTitle } from '../../harness/report/release';
import type { RunEnvironment } from '../../harness/run/environment';
import type { ResultRecord } from '../../harness/run/record';
import { realCases } from '../helpers/spec';
import { environment, outcomeOf, record, timed, tmpDir } from './helpers';

function writeRun(dir: string, records: ResultRecord[], env: RunEnvironment): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(env));
  return dir;
}

describe('report: the release view and the history view', () => {
  const cases = realCases('smoke');
  const a2 = cases.filter((c) => c.product === 'atlas-a2' && c.expect === 'accept' && !c.tags.includes('perf')).slice(0, 3);
  const inf = cases.filter((c) => c.product === 'atlas-inference' && c.expect === 'accept' && !c.tags.includes('perf')).slice(0, 2);
  const a2Env = environment({ backend: 'torch-npu', simulated: false, devices: [{ ...environment().devices[0]!, backend: 'torch-npu', simulated: false, socName: 'Ascend910B2' }] });
  const infEnv = environment({ product: 'atlas-inference', startedAt: '2026-01-02T00:00:00.000Z' });
  const a2Records = a2.map((c) => record(c, outcomeOf('pass', c), { backend: 'torch-npu', simulated: false }));
  const infRecords = [record(inf[0]!, outcomeOf('pass', inf[0]!)), record(inf[1]!, outcomeOf('fail', inf[1]!))];

  function release(): { records: ResultRecord[]; env: RunEnvironment } {
    const m = mergeResultSets([{ name: 'a2', records: a2Records, env: a2Env }, { name: 'inf', records: infRecords, env: infEnv }], ['merge']);
    return { records: m.records, env: m.env! };
  }

  it('one report of two products: both verdicts, a heading that names both', () => {
    const { records, env } = release();
    const s = summarize(records, env);
    assert.equal(s.title, 'a8w8 torch-npu, onnxruntime on atlas-a2, atlas-inference');
    assert.deepEqual(s.release.map((l) => [l.product, l.backend, l.pass, l.unexpected, l.simulated, l.verdict]), [
      ['atlas-a2', 'torch-npu', 3, 0, false, 'as-expected'], ['atlas-inference', 'onnxruntime', 1, 1, true, 'unexpected'],
    ]);
    const md = renderMarkdown(s);
    assert.match(md, /^### ❌ \*\*a8w8 torch-npu, onnxruntime on atlas-a2, atlas-inference: 1 unexpected of 5 cases\*\*/);
    assert.match(md, /\n- ✅ atlas-a2 \(Atlas A2 training \/ inference series\): all 3 as expected, 3 pass; backend torch-npu; spec specs\/linear-a8w8-quant.yml abababababab\n/);
    assert.match(md, /\n- ❌ atlas-inference \(Atlas inference series\): 1 unexpected of 2, 1 pass; backend onnxruntime, simulated: not an NPU qualification; /);
    const html = renderHtmlReport(records, env, { summary: s });
    assert.match(html, /<title>a8w8 torch-npu, onnxruntime on atlas-a2, atlas-inference/);
    assert.equal((html.match(/<li class="verdict (ok|bad)" data-spec="[^"]+" data-product=/g) ?? []).length, 2);
    assert.match(html, /<li class="verdict bad" data-spec="linear-a8w8-quant" data-product="atlas-inference" data-unexpected="1">/);
    assert.match(html, /id="matrix-atlas-a2"/);
    assert.match(html, /id="matrix-atlas-inference"/);
  });

  it('reads each product\u2019s peak in its own environment', () => {
    const perfA2 = cases.find((c) => c.product === 'atlas-a2' && c.tags.includes('perf'))!;
    const perfInf = cases.find((c) => c.product === 'atlas-inference' && c.tags.includes('perf'))!;
    const host = { gops: 400, isa: 'avx2', cpu: 'Test CPU', threads: 1, probeMs: 1, measuredAt: '2026-01-01T00:00:00.000Z', method: 'test', bandwidthGBs: 20 };
    const m = mergeResultSets([
      { name: 'a2', records: [timed(perfA2, {}, { backend: 'torch-npu', simulated: false })], env: a2Env },
      { name: 'inf', records: [timed(perfInf, {})], env: { ...infEnv, hostPeak: host } },
    ], []);
    const s = summarize(m.records, m.env);
    assert.equal(s.perf.peaks['atlas-inference']!.basis, 'host');
    assert.equal(s.perf.peaks['atlas-inference']!.bandwidthGBs, 20, 'the host\u2019s measured bandwidth is the roof');
    assert.match(s.perf.peaks['atlas-inference']!.source, /measured 2026-01-01 and kept for this host/);
    assert.equal(s.perf.peaks['atlas-a2']!.basis, 'none', 'no spec given: an NPU product has no peak, and never the host\u2019s');
    const html = renderHtmlReport(m.records, m.env, { summary: s });
    assert.match(html, /roofs: the int8 peak and 20\.0 GB\/s \u00d7 intensity; each point labelled with its shape and path/);
    assert.match(html, /<th>run of atlas-inference<\/th><td>onnxruntime on cpu \(SoC Test CPU\), simulated; [^<]*host peak 400 GOPS \(Test CPU\)<\/td>/);
    assert.match(html, /<th>run of atlas-a2<\/th><td>torch-npu on cpu \(SoC Ascend910B2\);/);
  });

  it('English product names beside the vendor\u2019s titles', () => {
    assert.equal(productTitle('atlas-a2', 'Atlas A2 训练系列产品'), 'Atlas A2 training / inference series (Atlas A2 训练系列产品)');
    assert.equal(productTitle('other', 'X'), 'X');
    assert.equal(productTitle('other', undefined), null);
  });

  it('refuses a run.json whose environments are not run environments', () => {
    assert.throws(() => environmentsOf({ ...environment(), environments: [{ product: 1 }] } as unknown as RunEnvironment), /`environments` must be a non-empty list/);
    assert.deepEqual(environmentsOf(null), []);
  });

  it('a folder of runs: the newest reported, with a history table newest first in Markdown and HTML', async () => {
    const root = tmpDir();
    writeRun(path.join(root, 'b-older'), a2Records, { ...a2Env, startedAt: '2026-01-01T00:00:00.000Z' });
    const rel = release();
    writeRun(path.join(root, 'a-newer'), rel.records, { ...rel.env, startedAt: '2026-02-01T00:00:00.000Z' });
    fs.mkdirSync(path.join(root, 'not-a-run'));
    assert.equal(isRunFolder(root), true);
    assert.equal(isRunFolder(path.join(root, 'a-newer')), false, 'a run directory is not a folder of runs');
    const runs = loadRunFolder(root);
    assert.deepEqual(runs.map((r) => r.name), ['a-newer', 'b-older']);
    const rows = historyRows(runs);
    assert.deepEqual(rows.map((r) => [r.run, r.product, r.pass, r.unexpected]), [
      ['a-newer', 'atlas-a2', 3, 0], ['a-newer', 'atlas-inference', 1, 1], ['b-older', 'atlas-a2', 3, 0],
    ]);
    const out = tmpDir();
    await writeReports(runs[0]!.set.records, runs[0]!.set.env, out, { formats: ['markdown', 'html', 'json'], history: rows });
    const md = fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
    assert.match(md, /#### History \(2 run\(s\), newest first\)\n\| run \| started \| product \| backend \| pass \| unexpected \| cases \|\n\|---\|---\|---\|---\|---:\|---:\|---:\|\n\| a-newer \|/);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    assert.deepEqual([...html.matchAll(/<tr data-run="([^"]+)" data-spec="[^"]+" data-product="([^"]+)">/g)].map((m) => `${m[1]}/${m[2]}`), ['a-newer/atlas-a2', 'a-newer/atlas-inference', 'b-older/atlas-a2']);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { history: unknown[] };
    assert.equal(json.history.length, 3);
  });
});
