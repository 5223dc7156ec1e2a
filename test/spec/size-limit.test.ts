/**
 * Spec files over MAX_SPEC_BYTES are refused before they are parsed: one ERR_SPEC_TOO_LARGE diagnostic
 * naming the file, from lint, from loadSpec (which throws with that code) and from the CLI.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { ErrorCode, formatDiagnostic, HarnessError } from '../../harness/errors';
import { lintFile, MAX_SPEC_BYTES } from '../../harness/spec/lint';
import { loadSpec } from '../../harness/spec/load';
import { capture, tmpDir } from '../helpers/cli';
import { MINIMAL, REAL_SPEC } from './fixtures';

const dirs: string[] = [];
function scratch(): string {
  const dir = tmpDir();
  dirs.push(dir);
  return dir;
}

/** A valid spec padded with one YAML comment line to exactly `size` bytes. */
function paddedSpec(size: number): string {
  const file = path.join(scratch(), `padded-${size}.yml`);
  const base = fs.readFileSync(MINIMAL, 'utf8');
  fs.writeFileSync(file, `${base}#${'x'.repeat(size - Buffer.byteLength(base) - 2)}\n`);
  assert.equal(fs.statSync(file).size, size);
  return file;
}

describe('spec: size limit', () => {
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is 1 MiB, far above the real spec', () => {
    assert.equal(MAX_SPEC_BYTES, 1024 * 1024);
    assert.ok(fs.statSync(REAL_SPEC).size < MAX_SPEC_BYTES / 10);
  });

  it('a file of exactly the limit is linted as usual', () => {
    const file = paddedSpec(MAX_SPEC_BYTES);
    const result = lintFile(file);
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), []);
    assert.ok(result.spec);
  });

  it('one byte more is a single ERR_SPEC_TOO_LARGE with the file and its size, and no spec', () => {
    const file = paddedSpec(MAX_SPEC_BYTES + 1);
    const result = lintFile(file);
    assert.equal(result.spec, null);
    assert.deepEqual(result.diagnostics, [{
      file, line: 1, column: 1, pointer: '', expected: `a spec file of at most ${MAX_SPEC_BYTES} bytes`,
      got: `${MAX_SPEC_BYTES + 1} bytes`, code: ErrorCode.SPEC_TOO_LARGE,
    }]);
  });

  it('a 20 MB file that would take minutes to parse is refused at once', () => {
    // one huge flow sequence: the kind of document that ran lint out of heap
    const file = path.join(scratch(), 'huge.yml');
    fs.writeFileSync(file, `tables: [${'[1, 2, 3], '.repeat(2_000_000)}]\n`);
    assert.deepEqual(lintFile(file).diagnostics.map((d) => d.code), [ErrorCode.SPEC_TOO_LARGE]);
  });

  it('a device without a size (/dev/zero) is refused after reading just past the limit', function () {
    if (!fs.existsSync('/dev/zero')) this.skip();
    const [d] = lintFile('/dev/zero').diagnostics;
    assert.equal(d?.code, ErrorCode.SPEC_TOO_LARGE);
    assert.equal(d?.got, `more than ${MAX_SPEC_BYTES} bytes`);
  });

  it('loadSpec throws a HarnessError with the code and the file name', () => {
    const file = paddedSpec(MAX_SPEC_BYTES + 1);
    assert.throws(() => loadSpec(file), (e: unknown) => {
      assert.ok(e instanceof HarnessError);
      assert.equal(e.code, ErrorCode.SPEC_TOO_LARGE);
      assert.ok(e.message.includes(file), e.message);
      assert.ok(e.message.includes(`[${ErrorCode.SPEC_TOO_LARGE}]`), e.message);
      return true;
    });
  });

  it('`a8w8 lint` prints the diagnostic and exits 1', async () => {
    const file = paddedSpec(MAX_SPEC_BYTES + 1);
    const ctx = capture();
    assert.equal(await main(['lint', file], ctx), 1);
    assert.deepEqual(ctx.lines, [`${file}:1:1 (/): expected a spec file of at most ${MAX_SPEC_BYTES} bytes, got ${MAX_SPEC_BYTES + 1} bytes [${ErrorCode.SPEC_TOO_LARGE}]`]);
  });
});
