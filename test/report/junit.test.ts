import assert from 'node:assert/strict';
import { OUTCOME_STATUSES } from '../../harness/judge/outcome';
import { renderJunit } from '../../harness/report';
import { escapeAttr, escapeText } from '../../harness/report/xml';
import { realSpec } from '../helpers/spec';
import { environment, outcomeOf, parseXml, record, sampleCases, type XmlNode } from './helpers';

function testcases(root: XmlNode): XmlNode[] {
  return root.children.flatMap((s) => s.children.filter((c) => c.tag === 'testcase'));
}

describe('report: JUnit XML', () => {
  it('escapes <>&"\' and forbidden control characters', () => {
    assert.equal(escapeText(`a<b>&c"d'e`), `a&lt;b&gt;&amp;c"d'e`);
    assert.equal(escapeAttr(`a<b>&c"d'e\nf\tg`), 'a&lt;b&gt;&amp;c&quot;d&apos;e&#10;f&#9;g');
    assert.equal(escapeText('nul\x00bell\x07 ok\ttab'), 'nul\\x00bell\\x07 ok\ttab');
    assert.equal(escapeText('lone \uD800 surrogate, pair \uD83D\uDE00 kept'), 'lone \\ud800 surrogate, pair \uD83D\uDE00 kept');
  });

  it('survives hostile messages: a strict parser reads them back unchanged', () => {
    const c = sampleCases().accepted;
    const hostile = `<script>&amp; "quotes" 'apos' ]]> \x01 end`;
    const xml = renderJunit([record(c, { status: 'error', message: hostile })], environment(), undefined, `title <&> "x"`);
    const root = parseXml(xml);
    assert.equal(root.attrib.name, `title <&> "x"`);
    const err = testcases(root)[0]!.children.find((e) => e.tag === 'error')!;
    assert.equal(err.attrib.message, `error: <script>&amp; "quotes" 'apos' ]]> \\x01 end`);
    assert.ok(err.text.startsWith(`error: <script>&amp; "quotes" 'apos' ]]> \\x01 end`), err.text);
  });

  it('maps every outcome status: failures, errors, skips, passes, with counts that add up', () => {
    const cases = sampleCases();
    const records = OUTCOME_STATUSES.map((s) => {
      const c = s === 'divergence' ? cases.divergence : s === 'rejected' ? cases.dtypeRejected : cases.accepted;
      return record(c, outcomeOf(s, c), { caseId: `case-${s}` });
    });
    const root = parseXml(renderJunit(records, environment(), realSpec()));
    assert.equal(root.tag, 'testsuites');
    assert.equal(root.attrib.tests, '9');
    // unexpected by default: fail, unexpected-accept, unexpected-reject (failures), error, timeout (errors)
    assert.deepEqual([root.attrib.failures, root.attrib.errors, root.attrib.skipped], ['3', '2', '1']);
    const byName = new Map(testcases(root).map((t) => [t.attrib.name, t]));
    const child = (s: string) => byName.get(`case-${s}`)!.children.map((e) => e.tag);
    assert.deepEqual(child('fail'), ['failure']);
    assert.deepEqual(child('unexpected-accept'), ['failure']);
    assert.deepEqual(child('unexpected-reject'), ['failure']);
    assert.deepEqual(child('error'), ['error']);
    assert.deepEqual(child('timeout'), ['error']);
    assert.deepEqual(child('skip'), ['skipped']);
    assert.deepEqual(child('pass'), ['system-out'], 'a pass that matched an alternative says which');
    assert.deepEqual(child('rejected'), ['system-out']);
    assert.deepEqual(child('divergence'), ['system-out']);
    assert.match(byName.get('case-divergence')!.children[0]!.text, /^divergence .*\(the shipped library, not the doc: /);
    // suite counts agree with their cases
    for (const suite of root.children) {
      const tcs = suite.children.filter((c) => c.tag === 'testcase');
      assert.equal(Number(suite.attrib.tests), tcs.length);
      assert.equal(Number(suite.attrib.failures), tcs.filter((t) => t.children.some((e) => e.tag === 'failure')).length);
      assert.equal(Number(suite.attrib.skipped), tcs.filter((t) => t.children.some((e) => e.tag === 'skipped')).length);
    }
  });

  it('puts the reason, metrics, worst elements and the replay command in a failure', () => {
    const c = sampleCases().accepted;
    const root = parseXml(renderJunit([record(c, outcomeOf('fail', c))], environment()));
    const f = testcases(root)[0]!.children[0]!;
    assert.equal(f.tag, 'failure');
    assert.equal(f.attrib.type, 'fail');
    assert.match(f.attrib.message!, /^fail: 3 of 16 elements differ <&> "every" 'admissible' answer$/);
    assert.match(f.text, /metrics: mismatches 3\/16/);
    assert.match(f.text, /worst elements:\n {2}\[1,1\] actual 7 expected 5/);
    assert.match(f.text, new RegExp(`replay: npx a8w8 run --backend onnxruntime --case ${c.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('groups a testsuite per product and table row, classname product.row', () => {
    const c = sampleCases();
    const records = [record(c.accepted, outcomeOf('pass', c.accepted)), record(c.dtypeRejected, outcomeOf('rejected', c.dtypeRejected)),
      record(c.guard, outcomeOf('rejected', c.guard))];
    const root = parseXml(renderJunit(records, environment(), realSpec()));
    const names = root.children.map((s) => s.attrib.name);
    assert.deepEqual(names, [`atlas-a2 / ${/^table(\w+)#(\d+)$/.exec(c.accepted.rows[0]!)!.slice(1).reduce((t, n, i) => (i === 0 ? `Table ${n}` : `${t} row ${n}`), '')}`,
      'atlas-a2 / outside the table', `atlas-a2 / guard ${c.guard.rejectedBy!.rule}`]);
    assert.equal(testcases(root)[0]!.attrib.classname, `atlas-a2.${c.accepted.rows[0]}`);
    const props = root.children[0]!.children[0]!;
    assert.equal(props.tag, 'properties');
    assert.ok(props.children.some((p) => p.attrib.name === 'spec.hash'));
  });

  it('treats an expected failure (expectation file) as skipped, an unexpected pass as a failure', () => {
    const c = sampleCases().accepted;
    const root = parseXml(renderJunit([
      record(c, outcomeOf('fail', c), { caseId: 'xfail', asExpected: true, expectation: { expected: ['fail'], reason: 'bug 7' } }),
      record(c, outcomeOf('pass', c), { caseId: 'xpass', asExpected: false, unexpectedPass: true, expectation: { expected: ['fail'], reason: 'bug 8' } }),
    ], null));
    const [xfail, xpass] = testcases(root);
    assert.equal(xfail!.children[0]!.tag, 'skipped');
    assert.match(xfail!.children[0]!.attrib.message!, /expected fail \(expectation: bug 7\)/);
    assert.equal(xpass!.children[0]!.tag, 'failure');
    assert.equal(xpass!.children[0]!.attrib.type, 'unexpected-pass');
  });

  it('writes a valid document for an empty run', () => {
    const root = parseXml(renderJunit([], null));
    assert.deepEqual([root.tag, root.attrib.tests, root.children.length], ['testsuites', '0', 0]);
  });
});
