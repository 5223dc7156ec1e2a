import { Document, LineCounter, isCollection, type YAMLError, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { ErrorCode, type Diagnostic } from '../errors';

/** A parsed YAML file that can answer "where is this JSON pointer?". */
export interface SpecSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** the plain JS value (undefined if the document is empty or unusable) */
  value: unknown;
  /** YAML syntax and duplicate-key problems */
  diagnostics: Diagnostic[];
}

/** Parses YAML text, collecting every syntax error instead of stopping at the first. */
export function parseSpecSource(file: string, text: string): SpecSource {
  // Line starts from the text itself: yaml's lexer misses the newlines inside a token it cannot place
  // (a stray `}` at the top level), which shifted every later position.
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  // logLevel 'error': yaml would print a process warning for a collection used as a key; it is reported below
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  // After a token yaml cannot place at the top level, it reports every following token of the stream too:
  // keep the first of such a run.
  const errors = doc.errors.filter((e, i) => !(isStrayToken(e) && i > 0 && isStrayToken(doc.errors[i - 1]!)));
  const diagnostics: Diagnostic[] = errors.map((e) => {
    const offset = e.code === 'MISSING_CHAR' ? unclosedQuoteOffset(doc, e.pos[0]) : e.pos[0];
    const pos = lines.linePos(offset);
    const duplicate = e.code === 'DUPLICATE_KEY';
    return {
      file, line: pos.line, column: pos.col, pointer: pointerAt(doc, offset),
      expected: duplicate ? 'unique keys in a mapping' : 'valid YAML',
      got: duplicate ? 'a key that appears twice' : firstLine(e.message),
      code: duplicate ? ErrorCode.YAML_DUPLICATE_KEY : ErrorCode.YAML_SYNTAX,
    };
  });
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (!isCollection(key) || !key.range) return;
      const pos = lines.linePos(key.range[0]);
      diagnostics.push({ file, line: pos.line, column: pos.col, pointer: pointerAt(doc, key.range[0]), expected: 'a plain mapping key',
        got: `a ${isMap(key) ? 'mapping' : 'list'} used as a key`, code: ErrorCode.YAML_SYNTAX });
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases are resolved only here: an alias to no anchor, or an alias bomb, throws without a doc error.
    value = undefined;
    const offset = aliasOffset(doc, e instanceof Error ? e.message : String(e));
    const pos = lines.linePos(offset);
    diagnostics.push({ file, line: pos.line, column: pos.col, pointer: pointerAt(doc, offset), expected: 'valid YAML',
      got: firstLine(e instanceof Error ? e.message : String(e)), code: ErrorCode.YAML_SYNTAX });
  }
  return { file, doc, lines, value, diagnostics };
}

/** The pointer of the deepest node (or mapping key) whose source range holds `offset` ('' if none). */
export function pointerAt(doc: Document.Parsed, offset: number): string {
  const segs: (string | number)[] = [];
  const holds = (n: unknown): boolean => {
    const r = (n as Node | null)?.range;
    return !!r && r[0] <= offset && offset < Math.max(r[1], r[0] + 1);
  };
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => holds(p.key) || holds(p.value));
      if (!pair || !isScalar(pair.key)) break;
      segs.push(String(pair.key.value));
      if (!holds(pair.value)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex(holds);
      if (i < 0) break;
      segs.push(i);
      node = node.items[i];
    } else break;
  }
  return joinPointer(segs);
}

/** Splits an RFC 6901 JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins segments into an RFC 6901 JSON pointer. */
export function joinPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * The 1-based position of the node a pointer names. With `key`, the position of that key inside the
 * mapping (for unknown keys). Where the pointer goes past the document, the deepest node reached.
 */
export function positionOf(src: SpecSource, pointer: string, key?: string): { line: number; column: number } {
  let node: unknown = src.doc.contents;
  for (const seg of pointerSegments(pointer)) {
    const next = childOf(node, seg);
    if (next === undefined) break;
    node = next;
  }
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) offset = keyNode.range[0];
  }
  const pos = src.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function childOf(node: unknown, seg: string): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
    return pair?.value ?? undefined;
  }
  if (isSeq(node)) return node.items[Number(seg)] ?? undefined;
  return undefined;
}

/**
 * yaml reports an unclosed quote where the file ends; the quote that opened the runaway scalar (the
 * quoted scalar that ends at the error) is where the mistake is.
 */
function unclosedQuoteOffset(doc: Document.Parsed, at: number): number {
  let open = at;
  visit(doc, {
    Scalar(_, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= at) {
        open = Math.min(open, node.range[0]);
      }
    },
  });
  return open;
}

/** The offset of the alias a conversion error names (its message ends with the alias), else the first alias. */
function aliasOffset(doc: Document.Parsed, message: string): number {
  let first: number | undefined;
  let named: number | undefined;
  visit(doc, {
    Alias(_, node) {
      const at = node.range?.[0];
      if (at === undefined) return;
      first ??= at;
      if (named === undefined && message.endsWith(`: ${node.source}`)) named = at;
    },
  });
  return named ?? first ?? 0;
}

function isStrayToken(e: YAMLError): boolean {
  return e.code === 'UNEXPECTED_TOKEN' && e.message.includes('in YAML stream');
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
