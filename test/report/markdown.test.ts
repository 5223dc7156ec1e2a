import assert from 'node:assert/strict';
import { MAX_LINES, renderJsonSummary, renderMarkdown, summarize, SUMMARY_KIND } from '../../harness/report';
import type { ResultRecord } from '../../harness/run/record';
import { environment, outcomeOf, record, sampleCases, timed } from './helpers';

describe('report: Markdown and JSON summaries', () => {
  const c = sampleCases();

  it('says all as expected, with the counts, for a clean run', () => {
    const md = renderMarkdown(summarize([record(c.accepted, outcomeOf('pass', c.accepted)), record(c.dtypeRejected, outcomeOf('rejected', c.dtypeRejected))], environment()));
    const lines = md.trimEnd().split('\n');
    assert.match(lines[0]!, /^### ✅ \*\*a8w8 onnxruntime on atlas-a2: all 2 cases as expected\*\*$/);
    assert.ok(md.includes('**simulated: not an NPU qualification**'));
    assert.ok(md.includes('| pass | 1 |') && md.includes('| rejected | 1 |'));
    assert.ok(!md.includes('| fail |'), 'zero counts left out');
  });

  it('lists unexpected outcomes with replay commands, and divergences in their own table', () => {
    const md = renderMarkdown(summarize([
      record(c.accepted, outcomeOf('fail', c.accepted)), record(c.divergence, outcomeOf('divergence', c.divergence)),
    ], environment()));
    assert.match(md, /^### ❌ \*\*a8w8 onnxruntime on atlas-a2: 1 unexpected of 2 cases\*\*/);
    // angle brackets escaped so a message cannot inject HTML into the comment
    assert.ok(md.includes(`- **fail** \`${c.accepted.id}\`: 3 of 16 elements differ &lt;&&gt; "every" 'admissible' answer — replay:`), md);
    assert.ok(md.includes(`replay: \`npx a8w8 run --backend onnxruntime --case ${c.accepted.id}\``));
    assert.ok(md.includes('#### Divergences (the shipped library did what a known divergence says'));
    assert.ok(md.includes(`| \`${c.divergence.divergence!.id}\` | rejects | 1 |`));
  });

  it('stays under the line cap however big the run', () => {
    const records: ResultRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = i % 6;
      const base = k === 0 ? record(c.accepted, outcomeOf('fail', c.accepted)) : k === 1 ? record(c.divergence, { ...outcomeOf('divergence', c.divergence), divergence: { ...c.divergence.divergence!, id: `div-${i % 40}` } } as never)
        : k === 2 ? timed(c.perf, { medianUs: 100 + i }) : k === 3 ? record(c.accepted, { status: 'skip', reason: `reason ${i % 17}` })
        : k === 4 ? record(c.accepted, outcomeOf('pass', c.accepted), { flaky: true }) : record(c.accepted, outcomeOf('error', c.accepted));
      records.push({ ...base, caseId: `case-${i}` });
    }
    const baseline = records.filter((r) => r.timings.device).map((r) => ({ ...r, timings: { ...r.timings, device: { ...r.timings.device!, medianUs: 10 } } }));
    const s = summarize(records, environment({ hostPeak: { gops: 100, isa: 'avx2', cpu: 'x', threads: 1, probeMs: 1 } }), undefined, { baseline: { records: baseline, env: null } });
    const lines = renderMarkdown(s).trimEnd().split('\n');
    assert.ok(lines.length <= MAX_LINES, `${lines.length} lines`);
    assert.match(lines[0]!, /1000 unexpected of 3000 cases/);
    assert.ok(lines.some((l) => /^- … and 990 more$/.test(l)), 'says how many more');
    assert.ok(lines.some((l) => /^Baseline: \*\*500 regression\(s\)\*\*/.test(l)), lines.join('\n'));
  });

  it('renders an empty run', () => {
    const md = renderMarkdown(summarize([], null));
    assert.match(md, /no results/);
    assert.ok(md.split('\n').length < 10);
  });

  it('writes the summary as versioned JSON that reads back', () => {
    const s = summarize([record(c.accepted, outcomeOf('fail', c.accepted))], environment());
    const back = JSON.parse(renderJsonSummary(s)) as Record<string, unknown>;
    assert.equal(back.kind, SUMMARY_KIND);
    assert.equal(back.version, 2);
    assert.equal(back.unexpectedCount, 1);
    assert.deepEqual((back.counts as Record<string, number>).fail, 1);
    assert.equal(((back.failures as { replay: string }[])[0]!).replay, `npx a8w8 run --backend onnxruntime --case ${c.accepted.id}`);
  });
});
