import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { main } from '../../harness/cli/main';
import { ErrorCode } from '../../harness/errors';
import { EMPTY_SELECTION_EXIT_CODE } from '../../harness/expand/filter';
import { packageRoot } from '../../harness/paths';
import { capture, PLUGIN_TWIN, tmpDir } from '../helpers/cli';

/** Every string literal and template text of a TypeScript file, with its line. */
function stringsOf(file: string): { line: number; text: string }[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      out.push({ line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.text });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('cli: conventions', function () {
  this.timeout(60_000);

  it('--version prints package.json\u2019s version and exits 0', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const ctx = capture();
      assert.equal(await main([flag], ctx), 0);
      assert.deepEqual(ctx.lines, [pkg.version]);
    }
  });

  it('a run whose filters select no case exits 3 with its own error code, before running anything', async () => {
    const out = path.join(tmpDir(), 'run');
    const ctx = capture();
    assert.equal(await main(['run', '--backend', PLUGIN_TWIN, '--grep', 'no-such-case-typo', '--out', out, '--no-progress'], ctx), EMPTY_SELECTION_EXIT_CODE);
    assert.equal(EMPTY_SELECTION_EXIT_CODE, 3);
    assert.match(ctx.errors.join('\n'), new RegExp(`no case selected: --grep no-such-case-typo match none of the \\d+ case\\(s\\) of the profile .*\\[${ErrorCode.EMPTY_SELECTION}\\]`));
    assert.ok(!fs.existsSync(path.join(out, 'results.jsonl')), 'nothing ran');
  });

  it('--help writes every default one way: commander\u2019s "(default: …)"', async () => {
    for (const cmd of ['list', 'coverage', 'doc', 'run', 'report', 'merge', 'diff']) {
      const ctx = capture();
      assert.equal(await main([cmd, '--help'], ctx), 0);
      const help = ctx.lines.join('\n');
      assert.doesNotMatch(help, /\(default [^:]/, `${cmd}: a default written otherwise`);
      assert.doesNotMatch(help, /\(D\d+/, `${cmd}: an undefined label`);
    }
    const list = capture();
    await main(['list', '--help'], list);
    // commander wraps long lines: compare with the whitespace folded
    assert.match(list.lines.join(' ').replace(/\s+/g, ' '), /full because list describes the whole contract \(default: "full"\)/);
    const run = capture();
    await main(['run', '--help'], run);
    assert.match(run.lines.join(' ').replace(/\s+/g, ' '), /smoke because run is for CI on every change \(full is for qualification\) \(default: "smoke"\)/);
  });

  it('no string a user can see names a label defined nowhere, such as a decision number in parentheses', () => {
    const found = tsFiles(path.join(packageRoot(), 'harness')).flatMap((f) => stringsOf(f)
      .filter((s) => /\(D\d+|[;:(] ?D\d+b?\)/.test(s.text)).map((s) => `${path.relative(packageRoot(), f)}:${s.line}: ${s.text.slice(0, 80)}`));
    assert.deepEqual(found, []);
  });
});
