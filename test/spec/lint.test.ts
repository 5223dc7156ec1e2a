/**
 * `a8w8 lint` end to end: the corpus of invalid specs (each fixture names the codes and lines lint must
 * report, exactly), the valid specs, unreadable and malformed input, and the CLI's exit codes and output.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { main } from '../../harness/cli/main';
import type { CommandContext } from '../../harness/cli/context';
import { ErrorCode, formatDiagnostic, HarnessError, type Diagnostic } from '../../harness/errors';
import { lintFile, specFiles } from '../../harness/spec/lint';
import { loadSpec } from '../../harness/spec/load';
import { valueAt } from '../../harness/spec/schema';
import { parseSpecSource, pointerSegments } from '../../harness/spec/source';
import {
  byCodeLine, expectationsOf, INVALID_DIR, invalidFixtures, lineOf, MINIMAL, minimalWith, REAL_SPEC, removeTempDirs, tempDir,
  tempSpec, type Expectation,
} from './fixtures';

/** `file:line:col (pointer): expected ..., got ... [CODE]` */
const FORMAT = /^(.+):(\d+):(\d+) \((\/.*)\): (?:warning: )?expected (.+), got (.+) \[((?:ERR|WARN)_[A-Z_]+)\]$/;
const STACK = /\n\s+at /;

/** Codes that name a CLI or lookup problem, or the file as a whole (size-limit.test.ts), not something inside a spec file. */
const NOT_FROM_A_SPEC: string[] = [ErrorCode.UNKNOWN_NAME, ErrorCode.BAD_ARGUMENT, ErrorCode.FILE_UNREADABLE, ErrorCode.EMPTY_SELECTION, ErrorCode.SPEC_TOO_LARGE,
  // two spec files with one id: a clash between files, never a problem of one file
  ErrorCode.DUPLICATE_SPEC_ID];
const YAML_CODES: string[] = [ErrorCode.YAML_SYNTAX, ErrorCode.YAML_DUPLICATE_KEY];
const isSchemaCode = (c: string): boolean => c === ErrorCode.SCHEMA_OTHER || c.startsWith('ERR_SCHEMA_');
const isSemanticCode = (c: string): boolean => !YAML_CODES.includes(c) && !isSchemaCode(c) && !NOT_FROM_A_SPEC.includes(c);

function found(diagnostics: Diagnostic[]): Expectation[] {
  return diagnostics.map((d) => ({ code: d.code, line: d.line })).sort(byCodeLine);
}

/** What every diagnostic must satisfy, whatever the input. */
function assertWellFormed(file: string, diagnostics: Diagnostic[], text: string): void {
  const lines = text.split(/\r?\n/);
  for (const d of diagnostics) {
    const where = formatDiagnostic(d);
    assert.equal(d.file, file, where);
    assert.ok(Number.isInteger(d.line) && d.line >= 1, `line >= 1: ${where}`);
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column >= 1: ${where}`);
    assert.ok(d.line <= Math.max(lines.length, 1), `line inside the file: ${where}`);
    assert.ok(d.column <= (lines[d.line - 1]?.length ?? 0) + 1, `column inside its line: ${where}`);
    assert.equal(typeof d.pointer, 'string', where);
    assert.ok(d.pointer === '' || d.pointer.startsWith('/'), `a JSON pointer: ${where}`);
    assert.ok(d.expected.length > 0 && d.got.length > 0, `expected and got: ${where}`);
    assert.ok(Object.values(ErrorCode).includes(d.code), `a known code: ${where}`);
    const m = FORMAT.exec(where);
    assert.ok(m, `formats as file:line:col (pointer): expected ..., got ... [CODE]: ${where}`);
    assert.deepEqual([m[1], Number(m[2]), Number(m[3]), m[7]], [d.file, d.line, d.column, d.code]);
    assert.doesNotMatch(where, /[\r\n]/, 'one line');
    assert.ok(!STACK.test(where) && !/^\s+at /m.test(where), `no stack trace: ${where}`);
  }
  for (let i = 1; i < diagnostics.length; i++) {
    const [a, b] = [diagnostics[i - 1]!, diagnostics[i]!];
    assert.ok(a.line < b.line || (a.line === b.line && a.column <= b.column),
      `sorted by position: ${formatDiagnostic(a)} before ${formatDiagnostic(b)}`);
  }
}

/** A CommandContext that keeps what commands print. */
function capture(): CommandContext & { stdout: string[]; stderr: string[]; all(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout, stderr, exitCode: 0,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    all: () => [...stdout, ...stderr].join('\n'),
  };
}

after(removeTempDirs);

describe('formatDiagnostic', () => {
  it('renders file:line:col (pointer): expected ..., got ... [CODE], the root pointer as /', () => {
    const d: Diagnostic = { file: 'a.yml', line: 3, column: 7, pointer: '', expected: 'x', got: 'y', code: ErrorCode.SCHEMA_TYPE };
    assert.equal(formatDiagnostic(d), 'a.yml:3:7 (/): expected x, got y [ERR_SCHEMA_TYPE]');
    assert.equal(formatDiagnostic({ ...d, pointer: '/a~1b/0' }), 'a.yml:3:7 (/a~1b/0): expected x, got y [ERR_SCHEMA_TYPE]');
  });

  it('keeps one diagnostic on one line, escaping line breaks and tabs', () => {
    const d: Diagnostic = { file: 'a.yml', line: 1, column: 1, pointer: '/two\nlines', expected: 'a\tb', got: 'c\r\nd', code: ErrorCode.SCHEMA_TYPE };
    assert.equal(formatDiagnostic(d), 'a.yml:1:1 (/two\\nlines): expected a\\tb, got c\\r\\nd [ERR_SCHEMA_TYPE]');
  });
});

describe('lint: the corpus of invalid specs', () => {
  const fixtures = invalidFixtures();

  it('has fixtures, each with at least one expectation on a line of the file', () => {
    assert.ok(fixtures.length >= 30, `${fixtures.length} fixtures`);
    for (const f of fixtures) {
      const expected = expectationsOf(f);
      assert.ok(expected.length > 0, `${path.basename(f)} names no expectation`);
      const lines = fs.readFileSync(f, 'utf8').split('\n').length;
      for (const e of expected) assert.ok(e.line >= 1 && e.line <= lines, `${path.basename(f)}: line ${e.line}`);
    }
  });

  it('covers every code a spec file can produce', () => {
    const covered = new Set(fixtures.flatMap((f) => expectationsOf(f).map((e) => e.code)));
    const missing = Object.values(ErrorCode).filter((c) => !NOT_FROM_A_SPEC.includes(c) && !covered.has(c));
    assert.deepEqual(missing, []);
  });

  it('has files with YAML, schema and semantic problems at once (all found in one pass)', () => {
    const mixed = fixtures.filter((f) => {
      const codes = expectationsOf(f).map((e) => e.code);
      return codes.some((c) => YAML_CODES.includes(c)) && codes.some(isSchemaCode) && codes.some(isSemanticCode);
    });
    assert.ok(mixed.length >= 2, `mixed fixtures: ${mixed.map((f) => path.basename(f)).join(', ')}`);
  });

  for (const file of fixtures) {
    it(`${path.basename(file)}: reports exactly the (code, line)s its header expects`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const result = lintFile(file);
      const report = result.diagnostics.map(formatDiagnostic).join('\n');
      assert.deepEqual(found(result.diagnostics), expectationsOf(file), report);
      // warnings alone leave the spec usable; any error makes it invalid
      const errors = expectationsOf(file).some((e) => e.code.startsWith('ERR_'));
      assert.equal(result.spec === null, errors, report);
      assertWellFormed(file, result.diagnostics, text);
    });
  }

  it('points into the document: the parent of every schema and semantic pointer exists in it', () => {
    for (const file of fixtures) {
      const src = parseSpecSource(file, fs.readFileSync(file, 'utf8'));
      for (const d of lintFile(file).diagnostics) {
        if (YAML_CODES.includes(d.code) || d.pointer === '') continue;
        const segs = pointerSegments(d.pointer);
        const parent = segs.slice(0, -1).map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
        assert.notEqual(valueAt(src.value, parent), undefined, formatDiagnostic(d));
      }
    }
  });
});

describe('lint: valid specs', () => {
  it('the real spec lints clean and resolves', () => {
    const result = lintFile(REAL_SPEC);
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), []);
    assert.ok(result.spec);
    assert.deepEqual(result.spec.products.map((p) => p.id), ['atlas-inference', 'atlas-a2', 'atlas-a3']);
  });

  it('the minimal base of the fixtures lints clean and resolves', () => {
    const result = lintFile(MINIMAL);
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), []);
    assert.deepEqual(result.spec?.products.map((p) => p.id), ['small', 'big']);
    assert.deepEqual(result.spec?.divergences.map((d) => d.id), ['pertoken-on-small', 'n-unchecked']);
  });

  it('the minimal spec with CRLF line endings or a BOM lints clean', () => {
    const text = fs.readFileSync(MINIMAL, 'utf8');
    for (const [name, variant] of [['crlf.yml', text.replace(/\n/g, '\r\n')], ['bom.yml', '\uFEFF' + text]] as const) {
      assert.deepEqual(lintFile(tempSpec(name, variant)).diagnostics.map(formatDiagnostic), [], name);
    }
  });

  it('loadSpec returns the spec of a valid file and throws every diagnostic of an invalid one', () => {
    assert.equal(loadSpec(MINIMAL).tables.length, 2);
    const bad = path.join(INVALID_DIR, 'several-kinds.yml');
    assert.throws(() => loadSpec(bad), (e: unknown) => {
      assert.ok(e instanceof HarnessError);
      assert.equal(e.diagnostics.length, expectationsOf(bad).length);
      for (const d of e.diagnostics) assert.ok(e.message.includes(formatDiagnostic(d)));
      return true;
    });
  });
});

describe('lint: input that is not a spec file', () => {
  it('a missing path is one ERR_FILE_UNREADABLE at 1:1, not an exception', () => {
    const missing = path.join(tempDir(), 'no-such-spec.yml');
    const result = lintFile(missing);
    assert.deepEqual(result.diagnostics, [{
      file: missing, line: 1, column: 1, pointer: '', expected: 'a readable file', got: 'ENOENT', code: ErrorCode.FILE_UNREADABLE,
    }]);
    assert.equal(result.spec, null);
  });

  it('a directory given as a file is ERR_FILE_UNREADABLE', () => {
    const dir = tempDir();
    assert.deepEqual(lintFile(dir).diagnostics.map((d) => [d.code, d.got]), [[ErrorCode.FILE_UNREADABLE, 'EISDIR']]);
  });

  it('tab indentation is a YAML syntax error on the tab\'s line, with no exception', () => {
    const text = minimalWith(['    family: Ascend910B\n', '\tfamily: Ascend910B\n']);
    const file = tempSpec('tab.yml', text);
    const result = lintFile(file);
    assertWellFormed(file, result.diagnostics, text);
    const tab = result.diagnostics.find((d) => d.code === ErrorCode.YAML_SYNTAX && /tab/i.test(d.got));
    assert.ok(tab, result.diagnostics.map(formatDiagnostic).join('\n'));
    assert.equal(tab.line, lineOf(text, '\tfamily'));
  });

  it('several documents in one file are a YAML syntax error', () => {
    const text = fs.readFileSync(MINIMAL, 'utf8') + '---\nspec: {}\n';
    const result = lintFile(tempSpec('two-docs.yml', text));
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line]), [[ErrorCode.YAML_SYNTAX, lineOf(text, '---')]]);
  });

  it('a collection used as a mapping key is reported, and yaml prints no process warning', async () => {
    const text = minimalWith(['  op: torch_npu.npu_quant_matmul\n', '  op: torch_npu.npu_quant_matmul\n  ? [a, b]\n  : 1\n']);
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    let result;
    try {
      result = lintFile(tempSpec('collection-key.yml', text));
    } finally {
      // process warnings are emitted on a later tick: listen until then
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', onWarning);
    }
    const syntax = result.diagnostics.filter((d) => d.code === ErrorCode.YAML_SYNTAX);
    assert.deepEqual(syntax.map((d) => [d.line, d.got]), [[lineOf(text, '? [a, b]'), 'a list used as a key']]);
    assert.deepEqual(warnings.map((w) => w.message), []);
  });

  it('never throws and always reports well-formed, sorted diagnostics on random edits of the minimal spec', function () {
    this.timeout(60_000);
    const base = fs.readFileSync(MINIMAL, 'utf8');
    const pieces = ['\t', ' ', '\n', ':', '- ', '[', ']', '{', '}', '"', "'", '#', '&a ', '*a', '!', '|', '>', '%', '@',
      '`', '?', ',', '~', '1e999', '-1', 'null', '0', '  ', '\n  - x'];
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('delete', 'insert', 'swap-lines'),
      piece: fc.constantFrom(...pieces),
      len: fc.integer({ min: 1, max: 8 }),
      other: fc.nat(),
    });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      let text = base;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.len);
        else if (e.kind === 'insert') text = text.slice(0, at) + e.piece + text.slice(at);
        else {
          const lines = text.split('\n');
          const [i, j] = [e.at % lines.length, e.other % lines.length];
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          text = lines.join('\n');
        }
      }
      const file = tempSpec('fuzz.yml', text);
      const result = lintFile(file);
      assertWellFormed(file, result.diagnostics, text);
      // either a clean spec or at least one reason why not
      assert.equal(result.spec === null, result.diagnostics.length > 0);
    }), { numRuns: 250, seed: 20260601 });
  });
});

describe('a8w8 lint (CLI)', () => {
  for (const file of invalidFixtures()) {
    it(`${path.basename(file)}: exit 1, one formatted line per problem, no stack trace`, async () => {
      const ctx = capture();
      const code = await main(['lint', file], ctx);
      const expected = expectationsOf(file);
      const errors = expected.filter((e) => e.code.startsWith('ERR_')).length;
      const warnings = expected.length - errors;
      // warnings do not fail lint: exit 1 only for a file with errors
      assert.equal(code, errors > 0 ? 1 : 0, ctx.all());
      assert.equal(ctx.stdout.length, expected.length, ctx.all());
      for (const line of ctx.stdout) {
        assert.match(line, FORMAT);
        assert.doesNotMatch(line, /[\r\n]/);
      }
      assert.deepEqual(ctx.stderr, [`1 file(s), ${errors} problem(s)${warnings ? `, ${warnings} warning(s)` : ''}`]);
      assert.doesNotMatch(ctx.all(), STACK);
    });
  }

  it('the real spec: exit 0 and nothing on stdout', async () => {
    const ctx = capture();
    assert.equal(await main(['lint', REAL_SPEC], ctx), 0, ctx.all());
    assert.deepEqual(ctx.stdout, []);
    assert.deepEqual(ctx.stderr, ['1 file(s), 0 problem(s)']);
  });

  it('a directory: every file in it, problems of all of them, exit 1', async () => {
    const ctx = capture();
    assert.equal(await main(['lint', INVALID_DIR], ctx), 1);
    const all = invalidFixtures().flatMap((f) => expectationsOf(f));
    const errors = all.filter((e) => e.code.startsWith('ERR_')).length;
    assert.equal(ctx.stdout.length, all.length);
    assert.deepEqual(ctx.stderr, [`${invalidFixtures().length} file(s), ${errors} problem(s), ${all.length - errors} warning(s)`]);
    assert.deepEqual(specFiles([INVALID_DIR]), invalidFixtures());
  });

  it('valid and invalid files together: exit 1, only the invalid file\'s problems', async () => {
    const bad = path.join(INVALID_DIR, 'unknown-table.yml');
    const ctx = capture();
    assert.equal(await main(['lint', REAL_SPEC, MINIMAL, bad], ctx), 1);
    assert.deepEqual(ctx.stdout, lintFile(bad).diagnostics.map(formatDiagnostic));
  });

  it('--json prints one parseable document with the same diagnostics', async () => {
    const file = path.join(INVALID_DIR, 'several-kinds.yml');
    const ctx = capture();
    assert.equal(await main(['lint', '--json', file], ctx), 1);
    const parsed = JSON.parse(ctx.stdout.join('\n')) as { files: number; diagnostics: Diagnostic[] };
    assert.equal(parsed.files, 1);
    assert.deepEqual(parsed.diagnostics, lintFile(file).diagnostics);
    assert.deepEqual(ctx.stderr, []);
  });

  it('--json on a clean spec: exit 0, no diagnostics', async () => {
    const ctx = capture();
    assert.equal(await main(['lint', '--json', MINIMAL], ctx), 0);
    assert.deepEqual(JSON.parse(ctx.stdout.join('\n')), { files: 1, diagnostics: [] });
  });

  it('a missing file: exit 1 with ERR_FILE_UNREADABLE, no stack trace', async () => {
    const missing = path.join(tempDir(), 'missing.yml');
    const ctx = capture();
    assert.equal(await main(['lint', missing], ctx), 1);
    assert.deepEqual(ctx.stdout, [`${missing}:1:1 (/): expected a readable file, got ENOENT [ERR_FILE_UNREADABLE]`]);
    assert.doesNotMatch(ctx.all(), STACK);
  });

  it('a directory with no spec files: exit 1 (nothing was checked)', async () => {
    const ctx = capture();
    assert.equal(await main(['lint', tempDir()], ctx), 1);
    assert.deepEqual(ctx.stderr, ['0 file(s), 0 problem(s)']);
  });
});
