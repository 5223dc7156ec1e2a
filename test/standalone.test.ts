import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../harness/paths';

/**
 * The repository stands alone: CI clones it without the background notes that were beside it while it
 * was written. No code, comment or string may send a reader to those notes, to the folder they sat in,
 * or to their decision labels; the facts live in docs/ (semantics.md, family.md, glossary.md).
 */

/** The whole repository but what is built, installed or generated into it. */
const SKIP = new Set(['node_modules', 'dist', 'build', 'reports', '.git', '.nyc_output', '__pycache__']);
const FOLDERS = ['harness', 'native', 'bench', 'scripts', 'test', 'specs', 'schema', 'docs', 'expectations', 'examples', 'bin', '.ci'];
const TEXT = /\.(ts|js|py|cc|cpp|h|hpp|sh|yml|yaml|json|md|txt|gyp)$|^(run|Makefile)$/;

/** Files that may hold a pattern as data, with why. Kept explicit so that nothing slips in unnoticed. */
const ALLOWED: Record<string, string> = {
  'test/standalone.test.ts': 'this test names the patterns it forbids',
};

const PATTERNS: [RegExp, string][] = [
  [/\.\.\/shared\b/, 'the folder beside the repository'],
  [/\bshared\/(notes|vendor)\b/, 'the background notes or vendor copies'],
  [/ascend-semantics\.md|decisions\.md|defects\.md|toolchain\.md/, 'a note file'],
  [/\bnotes §|\btoolchain (notes|pitfall|§)|\bdefect class(es)? \d/, 'a section of a note file'],
  [/\bD\d+[a-z]?\b/, 'a decision label'],
];

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : files(p);
    return e.isFile() && TEXT.test(e.name) ? [p] : [];
  });
}

describe('the repository stands alone', () => {
  const root = packageRoot();
  const all = files(root);

  it('scans the code (the file walk finds every folder)', () => {
    for (const f of FOLDERS) assert.ok(all.some((p) => p.startsWith(path.join(root, f) + path.sep)), f);
  });

  it('no code, comment or string refers to the notes, their folder or their decision labels', () => {
    const hits: string[] = [];
    for (const file of all) {
      const rel = path.relative(root, file);
      if (ALLOWED[rel]) continue;
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const [re, what] of PATTERNS) {
          const m = re.exec(line);
          if (m) hits.push(`${rel}:${i + 1}: '${m[0]}' (${what})`);
        }
      });
    }
    assert.deepEqual(hits, []);
  });

  it('catches each pattern (the check can fail)', () => {
    for (const sample of ['see ../shared/x', 'shared/notes/a', 'defects.md class 7', 'notes §2.4', 'toolchain pitfall 9', 'toolchain §4', 'defect class 9', '(D14)', 'decisions D11b']) {
      assert.ok(PATTERNS.some(([re]) => re.test(sample)), sample);
    }
    assert.ok(!PATTERNS.some(([re]) => re.test('0x1D2 ID3 docs/semantics.md §2.4')));
  });
});
