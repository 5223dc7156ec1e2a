import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import type { RunEnvironment } from '../../harness/run/environment';
import { readResults, type ResultRecord } from '../../harness/run/record';
import { readHostPeakCache } from '../../harness/run/host-peak';
import { capture, environment, outcomeOf, parseXml, record, runInto, sampleCases, tmpDir } from '../report/helpers';

function writeRecords(dir: string, records: ResultRecord[], env?: RunEnvironment): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  if (env) fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(env));
  return dir;
}

/** A copy of a run whose timed cases took `factor` times as long, with a tight spread. */
function rescaled(records: ResultRecord[], factor: number): ResultRecord[] {
  return records.map((r) => (r.timings.device ? {
    ...r, timings: { ...r.timings, device: { ...r.timings.device, medianUs: r.timings.device.medianUs * factor, p10Us: r.timings.device.medianUs * factor * 0.99, p90Us: r.timings.device.medianUs * factor * 1.01 } },
  } : r));
}

describe('cli: report', function () {
  this.timeout(180_000);
  let run: string;
  let records: ResultRecord[];
  let env: RunEnvironment;

  const savedPeakFile = process.env.A8W8_HOST_PEAK_FILE;
  const peakFile = path.join(tmpDir(), 'host-peak.json');
  const runArgs = ['--backend', 'onnxruntime', '--grep', '(table2-r2/.*/base/|perf/square-512/.*y-f16|/outside-table/.*/base/full-range)'];
  after(() => {
    if (savedPeakFile === undefined) delete process.env.A8W8_HOST_PEAK_FILE;
    else process.env.A8W8_HOST_PEAK_FILE = savedPeakFile;
  });

  before(async () => {
    // this suite's own host cache: the run measures into it, the resume test edits it
    process.env.A8W8_HOST_PEAK_FILE = peakFile;
    const r = await runInto(runArgs);
    assert.equal(r.code, 0, r.ctx.text());
    run = r.dir;
    records = readResults(path.join(run, 'results.jsonl'));
    env = JSON.parse(fs.readFileSync(path.join(run, 'run.json'), 'utf8')) as RunEnvironment;
  });

  it('a CPU run that times cases records the host\u2019s measured int8 peak in run.json, and caches it for the host', () => {
    assert.ok(records.some((r) => r.timings.device), 'the run timed a perf case');
    assert.ok(env.hostPeak, JSON.stringify(env));
    assert.ok(env.hostPeak.gops > 0);
    assert.match(env.hostPeak.isa, /^(avx2|avx512vnni)$/);
    assert.equal(env.hostPeak.threads, 1);
    assert.ok(env.hostPeak.cpu.length > 0);
    assert.ok(env.hostPeak.measuredAt && env.hostPeak.method, 'when and how');
    assert.deepEqual(readHostPeakCache(peakFile).map((e) => e.gops), [env.hostPeak.gops]);
  });

  it('--resume keeps the recorded host peak, and re-rendering the old run gives the same figures', async () => {
    const dir = writeRecords(tmpDir(), records, env);
    await main(['report', dir, '--format', 'json'], capture());
    const before = fs.readFileSync(path.join(dir, 'summary.json'), 'utf8');
    // the host would now say otherwise: a run that resumes must not take it
    const cache = JSON.parse(fs.readFileSync(peakFile, 'utf8')) as { entries: { gops: number }[] };
    cache.entries[0]!.gops = 1;
    fs.writeFileSync(peakFile, JSON.stringify(cache));
    const resumed = await runInto([...runArgs, '--resume'], run);
    assert.equal(resumed.code, 0, resumed.ctx.text());
    const after = JSON.parse(fs.readFileSync(path.join(run, 'run.json'), 'utf8')) as RunEnvironment;
    assert.deepEqual(after.hostPeak, env.hostPeak, 'the run.json of the first run keeps its host peak');
    await main(['report', dir, '--format', 'json'], capture());
    assert.equal(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'), before, 'the report never measures: same figures');
  });

  it('given a folder of runs, reports the newest with a history of all, newest first', async () => {
    const root = tmpDir();
    writeRecords(path.join(root, '2026-01-01'), records, { ...env, startedAt: '2026-01-01T00:00:00.000Z' });
    writeRecords(path.join(root, '2026-01-02'), records.slice(1), { ...env, startedAt: '2026-01-02T00:00:00.000Z' });
    const ctx = capture();
    assert.equal(await main(['report', root, '--format', 'markdown,json'], ctx), 0, ctx.text());
    assert.match(ctx.errors.join('\n'), /2 run\(s\) in .*: reporting the newest, 2026-01-02, with the history of all/);
    const s = JSON.parse(fs.readFileSync(path.join(root, 'summary.json'), 'utf8')) as { total: number; history: { run: string; total: number }[] };
    assert.equal(s.total, records.length - 1, 'the newest run is the one reported');
    // a row per run, spec and product: summed per run, the totals of each run
    const perRun = (run: string): number => s.history.filter((h) => h.run === run).reduce((n, h) => n + h.total, 0);
    assert.deepEqual([...new Set(s.history.map((h) => h.run))], ['2026-01-02', '2026-01-01']);
    assert.deepEqual([perRun('2026-01-02'), perRun('2026-01-01')], [records.length - 1, records.length]);
    assert.match(fs.readFileSync(path.join(root, 'summary.md'), 'utf8'), /#### History \(2 run\(s\), newest first\)/);
  });

  it('exits 1 when the results hold an unexpected outcome, as the README says', async () => {
    const c = sampleCases().accepted;
    const dir = writeRecords(tmpDir(), [record(c, outcomeOf('pass', c)), record(c, outcomeOf('fail', c), { caseId: `${c.id}-2` })], environment());
    const ctx = capture();
    assert.equal(await main(['report', dir, '--format', 'json'], ctx), 1);
    assert.match(ctx.errors.join('\n'), /2 record\(s\), 1 unexpected/);
    assert.ok(fs.existsSync(path.join(dir, 'summary.json')), 'the reports are written all the same');
  });

  it('shows --baseline moves in the HTML with their intervals', async () => {
    const base = writeRecords(tmpDir(), rescaled(records, 1), env);
    const slower = writeRecords(tmpDir(), rescaled(records, 1.5), env);
    assert.equal(await main(['report', slower, '--format', 'html', '--baseline', base], capture()), 0);
    const html = fs.readFileSync(path.join(slower, 'report.html'), 'utf8');
    const timed = records.filter((r) => r.timings.device).length;
    assert.equal((html.match(/<tr class="move-regression"/g) ?? []).length, timed);
    assert.match(html, /<td class="num">[\d.]+ \[[\d.]+, [\d.]+\]<\/td><td class="num">[\d.]+ \[[\d.]+, [\d.]+\]<\/td><td class="num">\+50\.0%<\/td>/);
    assert.match(html, /<b>\d+ regression\(s\)<\/b>, 0 improvement\(s\)/);
  });

  it('writes all four formats into the results\u2019 directory by default', async () => {
    const dir = writeRecords(tmpDir(), records, env);
    const ctx = capture();
    assert.equal(await main(['report', dir], ctx), 0, ctx.text());
    assert.deepEqual(ctx.lines.map((l) => path.basename(l)), ['junit.xml', 'summary.md', 'summary.json', 'report.html']);
    const junit = parseXml(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8'));
    assert.equal(Number(junit.attrib.tests), records.length);
    assert.equal(Number(junit.attrib.skipped), records.filter((r) => r.outcome.status === 'skip').length);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { total: number; counts: Record<string, number>; perf: { rows: { pctPeak: number | null }[]; peaks: Record<string, { basis: string }> } };
    assert.equal(summary.total, records.length);
    assert.equal(summary.counts.pass, records.filter((r) => r.outcome.status === 'pass').length);
    assert.equal(summary.perf.peaks['atlas-a2']!.basis, 'host');
    assert.ok(summary.perf.rows.length > 0 && summary.perf.rows.every((r) => r.pctPeak !== null && r.pctPeak > 0));
    const md = fs.readFileSync(path.join(dir, 'summary.md'), 'utf8');
    assert.match(md, new RegExp(`^### ✅ \\*\\*a8w8 onnxruntime on atlas-a2: all ${records.length} cases as expected`));
    assert.match(md, /fp32 MatMul/, 'the float baseline beside');
    assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), /^<!DOCTYPE html>/);
  });

  it('writes only the formats asked for, where asked, from a results.jsonl path', async () => {
    const out = tmpDir();
    const ctx = capture();
    assert.equal(await main(['report', path.join(run, 'results.jsonl'), '--format', 'junit,markdown', '--out', out], ctx), 0, ctx.text());
    assert.deepEqual(fs.readdirSync(out).sort(), ['junit.xml', 'summary.md']);
  });

  it('flags regressions against a baseline beyond noise, and reports improvements', async () => {
    const base = writeRecords(tmpDir(), rescaled(records, 1), env);
    const slower = writeRecords(tmpDir(), rescaled(records, 1.5), env);
    const ctx = capture();
    assert.equal(await main(['report', slower, '--format', 'json,markdown', '--baseline', base], ctx), 0, ctx.text());
    const timed = records.filter((r) => r.timings.device).length;
    assert.match(ctx.errors.join('\n'), new RegExp(`baseline .*: ${timed} regression\\(s\\), 0 improvement\\(s\\)`));
    const summary = JSON.parse(fs.readFileSync(path.join(slower, 'summary.json'), 'utf8')) as { perf: { baseline: { regressions: number } } };
    assert.equal(summary.perf.baseline.regressions, timed);
    assert.match(fs.readFileSync(path.join(slower, 'summary.md'), 'utf8'), /- regression `square-512`/);
    const back = capture();
    assert.equal(await main(['report', base, '--format', 'json', '--baseline', slower], back), 0);
    assert.match(back.errors.join('\n'), new RegExp(`0 regression\\(s\\), ${timed} improvement\\(s\\)`));
  });

  it('takes --peak-tops over the host peak', async () => {
    const dir = writeRecords(tmpDir(), records, env);
    assert.equal(await main(['report', dir, '--format', 'json', '--peak-tops', '2'], capture()), 0);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { perf: { peaks: Record<string, { basis: string; int8Tops: number }> } };
    assert.deepEqual(s.perf.peaks['atlas-a2'], { ...s.perf.peaks['atlas-a2'], basis: 'override', int8Tops: 2 });
  });

  it('reports an empty run', async () => {
    const dir = writeRecords(tmpDir(), [], env);
    assert.equal(await main(['report', dir, '--format', 'junit,markdown,json'], capture()), 0);
    assert.match(fs.readFileSync(path.join(dir, 'summary.md'), 'utf8'), /no results/);
    assert.equal(parseXml(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8')).attrib.tests, '0');
  });

  it('refuses a record that breaks the schema, naming it', async () => {
    const broken = JSON.parse(JSON.stringify(records[0])) as Record<string, unknown>;
    (broken.outcome as Record<string, unknown>).status = 'passed';
    const dir = writeRecords(tmpDir(), [records[1]!, broken as unknown as ResultRecord], env);
    const ctx = capture();
    assert.equal(await main(['report', dir], ctx), 2);
    assert.match(ctx.errors.join('\n'), /\d problem\(s\) against schema\/results.schema.json:\n {2}record 2 \(.*\): \/outcome\/status: must be equal to one of the allowed values/);
    assert.ok(!fs.existsSync(path.join(dir, 'junit.xml')), 'nothing written');
  });

  it('refuses a case recorded twice (it would count twice), naming the lines; a corrupt run.json is a clear error', async () => {
    const dir = writeRecords(tmpDir(), [records[0]!, records[1]!, records[0]!], env);
    const ctx = capture();
    assert.equal(await main(['report', dir], ctx), 2);
    assert.match(ctx.errors.join('\n'), new RegExp(`results\\.jsonl: 1 case id\\(s\\) recorded more than once: ${records[0]!.caseId.replace(/[.+()]/g, '\\$&')} \\(lines 1, 3\\); a result set holds one record per case`));
    assert.ok(!fs.existsSync(path.join(dir, 'junit.xml')), 'nothing written');
    const corrupt = writeRecords(tmpDir(), [records[0]!]);
    fs.writeFileSync(path.join(corrupt, 'run.json'), '{"version": 1,');
    const bad = capture();
    assert.equal(await main(['report', corrupt], bad), 2);
    assert.match(bad.errors.join('\n'), /run\.json: not JSON/);
    assert.doesNotMatch(bad.text(), /internal error/);
  });

  it('names the valid formats for an unknown one, and says when RESULTS is missing', async () => {
    const ctx = capture();
    assert.equal(await main(['report', run, '--format', 'junit,pdf'], ctx), 2);
    assert.match(ctx.errors.join('\n'), /unknown format 'pdf'; valid formats: junit, markdown, json, html/);
    const missing = capture();
    assert.equal(await main(['report', path.join(tmpDir(), 'nope')], missing), 2);
    assert.match(missing.errors.join('\n'), /expected a results.jsonl or a directory holding one, got no such file/);
  });
});
