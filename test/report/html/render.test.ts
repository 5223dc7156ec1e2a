import assert from 'node:assert/strict';
import { esc, jsonForScript, scriptBody } from '../../../harness/report/html/escape';
import { renderHtmlReport } from '../../../harness/report/html/index';
import { environment, record } from './records';

const HOSTILE = '</script><img src=x onerror=alert(1)><!--';

describe('report/html: escaping and rendering', () => {
  it('escapes text and attribute values', () => {
    assert.equal(esc(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(esc(null), '');
  });

  it('embeds JSON that cannot end its script element and reads back unchanged', () => {
    const value = { s: HOSTILE, u: '\u2028\u2029 & <b>' };
    const text = jsonForScript(value);
    assert.doesNotMatch(text, /<|>|&|\u2028|\u2029/);
    assert.deepEqual(JSON.parse(text), value);
    assert.throws(() => scriptBody('var a = "</script>";', 'x'), /cannot be inlined/);
  });

  it('keeps hostile strings from records and the environment inert', () => {
    const bad = record({ status: 'fail', id: `p/${HOSTILE}`, reason: HOSTILE, shapeClass: `sc${HOSTILE}`, rows: [`table2#1${HOSTILE}`] });
    bad.replay = `npx a8w8 run --case '${HOSTILE}'`;
    const env = environment({ backend: HOSTILE, spec: { file: HOSTILE, hash: '"><script>alert(2)</script>' } });
    env.devices[0].socName = HOSTILE;
    env.devices[0].versions = { [HOSTILE]: HOSTILE };
    const html = renderHtmlReport([bad, record({ status: 'error', reason: HOSTILE, product: HOSTILE })], env, {});
    assert.doesNotMatch(html, /<img/i, 'no hostile element survives');
    assert.doesNotMatch(html, /alert\(2\)<\/script>/);
    // exactly the page's own three script elements open and close
    assert.equal(html.match(/<script\b/gi)!.length, 3);
    assert.equal(html.match(/<\/script>/gi)!.length, 3);
    assert.equal(html.match(/<!--/g), null, 'no comment opener (it would confuse the script data state)');
    const data = /<script type="application\/json" id="a8w8-data">([^]*?)<\/script>/.exec(html)![1];
    const parsed = JSON.parse(data) as { cases: { id: string; reason: string; replay: string }[] };
    assert.equal(parsed.cases[0].reason, HOSTILE);
    assert.equal(parsed.cases[0].id, `p/${HOSTILE}`);
  });

  it('says SIMULATED loudly for a simulated run, and not otherwise', () => {
    const sim = renderHtmlReport([record({ status: 'pass' })], environment(), {});
    assert.match(sim, /id="simulated-banner"[^>]*>SIMULATED \u2014 not an NPU qualification/);
    const real = record({ status: 'pass' });
    real.simulated = false;
    const html = renderHtmlReport([real], environment({ simulated: false }), {});
    assert.doesNotMatch(html, /simulated-banner/);
    assert.match(html, /all 1 outcome\(s\) as expected/);
  });

  it('writes the cell counts and the verdict, and says "not measured" where no float baseline was timed', () => {
    const timings = { repeats: 5, medianUs: 100, p10Us: 90, p90Us: 120 };
    const html = renderHtmlReport([
      record({ status: 'pass' }), record({ status: 'pass' }), record({ status: 'fail' }),
      record({ status: 'pass', shapeClass: 'perf:sq', tags: ['accept', 'perf'], timings }),
    ], environment(), { peakOverride: { int8Tops: 1, bandwidthGBs: 10 } });
    assert.match(html, /data-row="table2#1" data-col="base" data-total="3" data-worst="fail"/);
    assert.match(html, /<span data-status="pass" data-n="2">/);
    assert.match(html, /1 unexpected outcome\(s\) of 4/);
    assert.match(html, /data-chart-missing="float">not measured/);
    assert.match(html, /int8 peak 1\.000 TOPS, bandwidth 10 GB\/s/);
    assert.match(html, /<td class="muted">not measured<\/td>/);
    assert.doesNotMatch(html, /https?:\/\/(?!www\.chartjs\.org|github\.com\/kurkle)/, 'no URL but the chart library\u2019s own banner comments');
  });
});
