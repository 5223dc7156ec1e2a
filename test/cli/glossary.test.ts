import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';
import { VERDICT_LABELS } from '../../harness/qualify/verdict';

/** docs/glossary.md defines what users see; these checks catch a label added without a definition. */
describe('docs/glossary.md', () => {
  const glossary = fs.readFileSync(path.join(packageRoot(), 'docs', 'glossary.md'), 'utf8');

  it('defines every verdict of qualify, by its printed label and its verdict.json value', () => {
    for (const [kind, label] of Object.entries(VERDICT_LABELS)) {
      assert.ok(glossary.includes(label), `label '${label}' is not in the glossary`);
      if (kind !== 'partial' && kind !== 'simulated') assert.ok(glossary.includes(`\`${kind}\``), `verdict '${kind}' is not in the glossary`);
    }
  });

  it('defines the forensics and run terms, and no longer speaks of D-labels', () => {
    for (const term of ['run --save', 'saved case', 'repro', 'shrink', 'run --shrink', 'shrunk id', 'qualified for eager mode', 'hung device',
      'unfinished cases', 'exit 3', 'lock file', '.a8w8.lock']) {
      assert.ok(glossary.includes(term), `'${term}' is not in the glossary`);
    }
    assert.doesNotMatch(glossary, /\(D\d+b?\)|\bD1[0-9]?b?\b/);
  });

  it('is linked from the README', () => {
    assert.match(fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8'), /\]\(docs\/glossary\.md\)/);
  });
});
