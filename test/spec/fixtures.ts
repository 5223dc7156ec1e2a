/**
 * The spec fixtures: test/fixtures/specs/valid (lints clean) and test/fixtures/specs/invalid (one
 * deliberate mistake each, or several in the multi-problem files), read from the source tree. Each
 * invalid file names what lint must report in its header: `# expect: ERR_CODE LINE`, one line per problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';
import { testTmpDir } from '../helpers/tmp';

export const FIXTURES = path.join(packageRoot(), 'test', 'fixtures', 'specs');
export const INVALID_DIR = path.join(FIXTURES, 'invalid');
export const MINIMAL = path.join(FIXTURES, 'valid', 'minimal.yml');
export const REAL_SPEC = path.join(packageRoot(), 'specs', 'linear-a8w8-quant.yml');

export interface Expectation {
  code: string;
  line: number;
}

/** Every invalid fixture, sorted. */
export function invalidFixtures(): string[] {
  return fs.readdirSync(INVALID_DIR).filter((f) => f.endsWith('.yml')).sort().map((f) => path.join(INVALID_DIR, f));
}

/** The `# expect:` lines of a fixture, sorted as `code line`. A malformed expect line is an error. */
export function expectationsOf(file: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('# expect')) continue;
    const m = /^# expect: ((?:ERR|WARN)_[A-Z_]+) (\d+)$/.exec(line);
    if (!m) throw new Error(`${file}: malformed expectation '${line}'`);
    out.push({ code: m[1]!, line: Number(m[2]) });
  }
  return out.sort(byCodeLine);
}

export function byCodeLine(a: Expectation, b: Expectation): number {
  return a.code.localeCompare(b.code) || a.line - b.line;
}

const made: string[] = [];
let tmp: string | undefined;

/** Writes a spec text to a file in a per-process temp directory (overwriting); returns its path. */
export function tempSpec(name: string, text: string): string {
  tmp ??= tempDir();
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A fresh empty directory, removed by removeTempDirs(). */
export function tempDir(): string {
  const dir = testTmpDir('a8w8-spec-test-');
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  tmp = undefined;
}

/** The minimal valid spec's text with each `[from, to]` replaced once; a `from` that is absent throws. */
export function minimalWith(...edits: [string, string][]): string {
  let text = fs.readFileSync(MINIMAL, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`minimal.yml has no '${from}'`);
    text = text.replace(from, to);
  }
  return text;
}

/** The 1-based line of the only line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const hits = text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`'${needle}' is on ${hits.length} lines, not 1`);
  return hits[0]!;
}
