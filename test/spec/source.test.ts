/**
 * harness/spec/source: JSON pointers, positions of pointers in the YAML text, and the YAML-level
 * diagnostics (syntax errors, duplicate keys, aliases) with their positions.
 */
import assert from 'node:assert/strict';
import { ErrorCode } from '../../harness/errors';
import { joinPointer, parseSpecSource, pointerAt, pointerSegments, positionOf } from '../../harness/spec/source';
import { lineOf, minimalWith } from './fixtures';

const TEXT = [
  'spec:', //                         1
  '  version: 2', //                  2
  '  "a/b~c": x', //                  3
  'list:', //                         4
  '  - { id: one, n: 1 }', //         5
  '  - id: two', //                   6
  '    n: 2', //                      7
  'flow: [10, 20]', //                8
].join('\n') + '\n';

describe('spec source: JSON pointers', () => {
  it('splits and joins RFC 6901 pointers, escaping / and ~', () => {
    assert.deepEqual(pointerSegments(''), []);
    assert.deepEqual(pointerSegments('/a~1b~0c/0'), ['a/b~c', '0']);
    assert.equal(joinPointer(['a/b~c', 0]), '/a~1b~0c/0');
    assert.equal(joinPointer([]), '');
    for (const segs of [['x'], ['~1', '/~0/', ''], ['tables', 'table1', 'rows', '3']]) {
      assert.deepEqual(pointerSegments(joinPointer(segs)), segs);
    }
  });
});

describe('spec source: positionOf', () => {
  const src = parseSpecSource('t.yml', TEXT);

  it('finds values in block and flow mappings and sequences', () => {
    assert.deepEqual(positionOf(src, '/spec/version'), { line: 2, column: 12 });
    assert.deepEqual(positionOf(src, '/list/0/n'), { line: 5, column: 19 });
    assert.deepEqual(positionOf(src, '/list/1/n'), { line: 7, column: 8 });
    assert.deepEqual(positionOf(src, '/flow/1'), { line: 8, column: 12 });
  });

  it('unescapes pointer segments to find keys with / and ~', () => {
    assert.deepEqual(positionOf(src, '/spec/a~1b~0c'), { line: 3, column: 12 });
  });

  it('with a key, finds that key inside the mapping', () => {
    assert.deepEqual(positionOf(src, '/spec', 'a/b~c'), { line: 3, column: 3 });
    assert.deepEqual(positionOf(src, '/list/1', 'n'), { line: 7, column: 5 });
  });

  it('past the end of the document, falls back to the deepest node reached', () => {
    assert.deepEqual(positionOf(src, '/list/1/missing/deeper'), { line: 6, column: 5 });
    assert.deepEqual(positionOf(src, '/list/9'), { line: 5, column: 3 });
    assert.deepEqual(positionOf(src, ''), { line: 1, column: 1 });
  });
});

describe('spec source: pointerAt', () => {
  const src = parseSpecSource('t.yml', TEXT);
  const offsetOf = (line: number, column: number): number =>
    TEXT.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;

  it('names the node, or the mapping key, at an offset', () => {
    assert.equal(pointerAt(src.doc, offsetOf(2, 12)), '/spec/version');
    assert.equal(pointerAt(src.doc, offsetOf(2, 3)), '/spec/version');
    assert.equal(pointerAt(src.doc, offsetOf(3, 12)), '/spec/a~1b~0c');
    assert.equal(pointerAt(src.doc, offsetOf(5, 12)), '/list/0/id');
    assert.equal(pointerAt(src.doc, offsetOf(8, 13)), '/flow/1');
  });

  it('is the root outside every node', () => {
    assert.equal(pointerAt(src.doc, TEXT.length + 10), '');
  });
});

describe('spec source: YAML diagnostics', () => {
  it('a clean document has none and converts to its value', () => {
    const src = parseSpecSource('t.yml', TEXT);
    assert.deepEqual(src.diagnostics, []);
    assert.deepEqual(valueOf(src.value, 'list'), [{ id: 'one', n: 1 }, { id: 'two', n: 2 }]);
  });

  it('collects several syntax errors in one parse, each on its own line', () => {
    const src = parseSpecSource('t.yml', 'a: @x\nb: 1\nc: `y\n');
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line, d.column]), [
      [ErrorCode.YAML_SYNTAX, 1, 4], [ErrorCode.YAML_SYNTAX, 3, 4],
    ]);
    assert.deepEqual(src.diagnostics.map((d) => d.pointer), ['/a', '/c']);
    for (const d of src.diagnostics) assert.equal(d.expected, 'valid YAML');
  });

  it('a duplicate key is reported at its second occurrence, with the pointer of that key', () => {
    const src = parseSpecSource('t.yml', 'top:\n  k: 1\n  other: 2\n  k: 3\n');
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line, d.column, d.pointer, d.expected, d.got]), [
      [ErrorCode.YAML_DUPLICATE_KEY, 4, 3, '/top/k', 'unique keys in a mapping', 'a key that appears twice'],
    ]);
  });

  it('an unclosed quote is reported where the quote opens, not at the end of the file', () => {
    const src = parseSpecSource('t.yml', 'a: 1\nb: "open\nc: 2\nd: 3\n');
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line, d.column, d.pointer]), [[ErrorCode.YAML_SYNTAX, 2, 4, '/b']]);
    assert.match(src.diagnostics[0]!.got, /quote/);
  });

  it('an alias to no anchor is a syntax error at the alias (yaml throws it only when converting)', () => {
    const src = parseSpecSource('t.yml', 'a: &x 1\nb: *x\nc: *nope\n');
    assert.equal(src.value, undefined);
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line, d.column, d.pointer]), [[ErrorCode.YAML_SYNTAX, 3, 4, '/c']]);
    assert.match(src.diagnostics[0]!.got, /nope/);
  });

  it('an alias bomb is refused as a syntax error, quickly', () => {
    const text = 'a: &a [1, 2]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n'
      + 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const src = parseSpecSource('t.yml', text);
    assert.equal(src.value, undefined);
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line]), [[ErrorCode.YAML_SYNTAX, 2]]);
    assert.match(src.diagnostics[0]!.got, /alias/i);
  });

  it('a stray token at the top level is one error, not one per token of the rest of the file', () => {
    const src = parseSpecSource('t.yml', 'a: 1\n}\nb: [1, 2]\nc:\n  d: 3\n');
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line, d.column]), [[ErrorCode.YAML_SYNTAX, 2, 1]]);
  });

  it('positions count lines in the text itself, not yaml\'s line counter (which can miss a newline)', () => {
    // found by fuzzing: with these three edits yaml's own LineCounter put the `|` error one line too high
    const text = minimalWith(['spec:\n  version: 2', '\n  version: 2'], ['    family: Ascend310P', '   null family: Ascend310P'],
      ['      - { row: 1,', '     | - { row: 1,']);
    const src = parseSpecSource('m.yml', text);
    const token = src.diagnostics.find((d) => d.got.startsWith('Not a YAML token'));
    assert.ok(token, src.diagnostics.map((d) => `${d.line}:${d.column} ${d.got}`).join('\n'));
    assert.deepEqual([token.line, token.column], [lineOf(text, '| - { row: 1,'), 8]);
  });

  it('a collection used as a key is a syntax error at the key', () => {
    const src = parseSpecSource('t.yml', 'm:\n  ? { x: 1 }\n  : 2\n');
    assert.deepEqual(src.diagnostics.map((d) => [d.code, d.line, d.column, d.got]), [
      [ErrorCode.YAML_SYNTAX, 2, 5, 'a mapping used as a key'],
    ]);
  });
});

function valueOf(root: unknown, key: string): unknown {
  return (root as Record<string, unknown>)[key];
}
