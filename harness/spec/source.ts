import { Document, LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
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
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const duplicate = e.code === 'DUPLICATE_KEY';
    return {
      file, line: pos.line, column: pos.col, pointer: '',
      expected: duplicate ? 'unique keys in a mapping' : 'valid YAML',
      got: duplicate ? 'a key that appears twice' : firstLine(e.message),
      code: duplicate ? ErrorCode.YAML_DUPLICATE_KEY : ErrorCode.YAML_SYNTAX,
    };
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases are resolved only here: an alias to no anchor, or an alias bomb, throws without a doc error.
    value = undefined;
    const pos = lines.linePos(aliasOffset(doc, e instanceof Error ? e.message : String(e)));
    diagnostics.push({ file, line: pos.line, column: pos.col, pointer: '', expected: 'valid YAML',
      got: firstLine(e instanceof Error ? e.message : String(e)), code: ErrorCode.YAML_SYNTAX });
  }
  return { file, doc, lines, value, diagnostics };
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
