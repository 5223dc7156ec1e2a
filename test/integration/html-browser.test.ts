import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { BrowserContext, Page } from 'playwright-core';
import type { ResultRecord } from '../../harness/run/record';
import { packageRoot } from '../../harness/paths';
import { renderHtmlReport } from '../../harness/report/html/index';
import { realSpec } from '../helpers/spec';
import { HOSTILE, plantedRun } from '../report/html/planted';
import { testTmpDir } from '../helpers/tmp';

const CHROMIUM = '/usr/bin/chromium';
/** As the probe ran Chromium here (machines/node.md): without the networking flags it dials out at start. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Counts per cell straight from the records, written out again here so the test does not trust the model. */
function expectedCells(records: ResultRecord[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const r of records) {
    const edge = /^edge:(.+):(inside|outside)$/.exec(r.case.shapeClass);
    const by = r.case.rejectedBy;
    const row = edge ? `rule:${edge[1]}` : by?.kind === 'dtype' ? 'outside' : by ? `${by.kind === 'module' ? 'guard' : 'rule'}:${by.rule}` : r.case.rows[0];
    const col = edge ? `edge:${edge[2]}` : r.case.shapeClass;
    const key = `${r.spec}|${r.product}|${row}|${col}`;
    const counts = out.get(key) ?? {};
    counts[r.outcome.status] = (counts[r.outcome.status] ?? 0) + 1;
    out.set(key, counts);
  }
  return out;
}

describe('report/html: in headless Chromium', function () {
  this.timeout(180_000);
  let context: BrowserContext | undefined;
  let page: Page;
  let records: ResultRecord[];
  const problems: string[] = [];
  const requests: string[] = [];
  let url: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      // the setup script installs Debian's chromium; without it there is no browser to test in
      console.warn(`    skipped: ${CHROMIUM} is absent (install Debian's chromium: the setup script does)`);
      this.skip();
    }
    const run = await plantedRun();
    records = run.records;
    const file = path.join(run.dir, 'report.html');
    fs.writeFileSync(file, renderHtmlReport(records, run.env, { spec: realSpec() }));
    url = pathToFileURL(file).href;
    const { chromium } = await import('playwright-core');
    const profile = testTmpDir('a8w8-chromium-');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1440, height: 960 },
    });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  });

  after(async () => {
    await context?.close();
  });

  it('opens with no console error and no request but the file itself', async () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [url]);
    assert.equal(await page.evaluate('document.querySelectorAll("img").length'), 0, 'no hostile <img> got into the DOM');
    assert.notEqual(await page.title(), 'pwned');
    assert.ok(await page.locator('#simulated-banner').isVisible(), 'the SIMULATED banner shows');
  });

  it('shows in every matrix cell the counts computed from the records', async () => {
    const shown = await page.evaluate<[string, string, string, string, Record<string, number>][]>(`
      [...document.querySelectorAll('table.matrix td[data-total]')].filter((td) => td.dataset.row !== '*' && td.dataset.col !== '*' && td.dataset.total !== '0')
        .map((td) => [td.dataset.spec + '|' + td.dataset.product, td.dataset.row, td.dataset.col, td.querySelector('.n').textContent,
          Object.fromEntries([...td.querySelectorAll('[data-status]')].map((s) => [s.dataset.status, Number(s.dataset.n)]))])`);
    const expected = expectedCells(records);
    const got = new Map(shown.map(([p, r, c, , counts]) => [`${p}|${r}|${c}`, counts]));
    assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
    for (const [, , , text, counts] of shown) assert.equal(Number(text), Object.values(counts).reduce((a, b) => a + b, 0));
    // the totals rows (a matrix per spec and product) add up to every record
    const totals = await page.evaluate<string[]>(`[...document.querySelectorAll('table.matrix tr[data-row="*"] td[data-col="*"] .n')].map((n) => n.textContent)`);
    assert.equal(totals.reduce((a, t) => a + Number(t), 0), records.length);
    // every kind of outcome is in these results, so every colour is exercised
    assert.equal(new Set(records.map((r) => r.outcome.status)).size, 9);
  });

  it('draws every chart with a non-empty canvas', async () => {
    const charts = await page.evaluate<{ id: string; w: number; h: number; chart: boolean; inked: number }[]>(`
      [...document.querySelectorAll('canvas[data-chart]')].map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
        return { id: c.id, w: c.clientWidth, h: c.clientHeight, chart: !!Chart.getChart(c), inked };
      })`);
    assert.deepEqual(charts.map((c) => c.id.replace(/-\d+$/, '')).sort(), ['chart-float', 'chart-pct', 'chart-roofline', 'chart-tops']);
    for (const c of charts) {
      assert.ok(c.w > 100 && c.h > 100, `${c.id} is ${c.w}x${c.h}`);
      assert.ok(c.chart && c.inked > 500, `${c.id} drew (${c.inked} inked pixels)`);
    }
    // the planted backend timed a float baseline for one shape only: the other says so
    assert.match(await page.locator('.perf-table').textContent() ?? '', /not measured/);
  });

  it('lists a cell\u2019s cases on a click, and a click on a failing case opens its drill-down with the replay command', async () => {
    const cell = page.locator('table.matrix td.cell.st-fail').first();
    const total = Number(await cell.getAttribute('data-total'));
    await cell.click();
    assert.equal(await page.locator('#case-table tbody tr[data-case-id]').count(), total);
    await page.locator('#case-filters [data-filter="problems"]').click();
    const row = page.locator('#case-table tbody tr[data-status="fail"]').filter({ hasText: 'tail-17x33x47' }).first();
    const id = await row.getAttribute('data-case-id');
    const rec = records.find((r) => r.caseId === id)!;
    assert.equal(rec.outcome.status, 'fail');
    await row.click();
    const dialog = page.locator('dialog#drilldown');
    assert.ok(await dialog.isVisible());
    assert.equal(await page.locator('#dd-title').textContent(), id);
    assert.equal(await page.locator('#dd-replay').textContent(), rec.replay);
    assert.match(await page.locator('#dd-reason').textContent() ?? '', /elements differ/);
    const worstRows = await page.locator('#dd-worst tr').count();
    assert.equal(worstRows - 1, rec.outcome.status === 'fail' ? rec.outcome.worst.length : -1);
    const hist = await page.evaluate<{ w: number; chart: boolean }>(`(() => { const c = document.getElementById('dd-hist'); return { w: c.clientWidth, chart: !!Chart.getChart(c) }; })()`);
    assert.ok(hist.w > 100 && hist.chart, 'the error histogram is drawn');
    await page.screenshot({ path: path.join(packageRoot(), 'reports', 'html-test-drilldown.png') });
    await page.locator('#dd-close').click();
    assert.equal(await dialog.isVisible(), false);
  });

  it('shows hostile backend messages as text', async () => {
    await page.locator('#case-filters [data-filter="all"]').click();
    if (await page.locator('#case-more button').count()) await page.locator('#case-more button').click();
    const row = page.locator('#case-table tbody tr[data-status="error"]').first();
    assert.match(await row.textContent() ?? '', new RegExp(HOSTILE.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.locator('#case-filters [data-filter="problems"]').click();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(packageRoot(), 'reports', 'html-test.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
