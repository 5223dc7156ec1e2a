import * as fs from 'fs';
import * as path from 'path';
import { compareDiagnostics, ErrorCode, type Diagnostic } from '../errors';
import { resolveSpec } from './resolve';
import { validateSchema } from './schema';
import { checkSemantics } from './semantic';
import { parseSpecSource, pointerSegments, positionOf } from './source';
import type { Spec } from './types';

/** The outcome of reading one spec file: its diagnostics, and the spec when there were none. */
export interface LintResult {
  file: string;
  diagnostics: Diagnostic[];
  spec: Spec | null;
}

/**
 * The largest spec file read (1 MiB; the real spec is about 20 KB). YAML parsing and the position
 * lookups of the checks grow faster than the file: a 20 MB document ran out of heap after minutes, so a
 * larger file is refused before it is parsed.
 */
export const MAX_SPEC_BYTES = 1 << 20;

/**
 * The file's text, reading at most MAX_SPEC_BYTES + 1 bytes whatever the file is (a device or a pipe
 * has no size to check first); tooLarge when there was more.
 */
function readSpecText(file: string): { text: string; tooLarge: false } | { tooLarge: true; size: string } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(MAX_SPEC_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length <= MAX_SPEC_BYTES) return { text: buf.toString('utf8', 0, length), tooLarge: false };
    const stat = fs.fstatSync(fd);
    return { tooLarge: true, size: stat.isFile() ? `${stat.size} bytes` : `more than ${MAX_SPEC_BYTES} bytes` };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads, parses, schema-checks and semantically checks one spec file, collecting every problem in one
 * pass. Semantic checks also run on a schema-invalid document, but only their findings away from the
 * schema errors are kept (a malformed section would only produce echoes of its schema error).
 */
export function lintFile(file: string): LintResult {
  let text: string;
  try {
    const read = readSpecText(file);
    if (read.tooLarge) {
      return { file, spec: null, diagnostics: [{ file, line: 1, column: 1, pointer: '', expected: `a spec file of at most ${MAX_SPEC_BYTES} bytes`,
        got: read.size, code: ErrorCode.SPEC_TOO_LARGE }] };
    }
    text = read.text;
  } catch (e) {
    const got = (e as NodeJS.ErrnoException).code ?? String(e);
    return { file, spec: null, diagnostics: [{ file, line: 1, column: 1, pointer: '', expected: 'a readable file', got, code: ErrorCode.FILE_UNREADABLE }] };
  }
  const src = parseSpecSource(file, text);
  const diagnostics = [...src.diagnostics];
  if (src.value === undefined || src.value === null) {
    if (diagnostics.length === 0) {
      diagnostics.push({ file, ...positionOf(src, ''), pointer: '', expected: 'a spec document',
        got: src.doc.contents === null ? 'an empty file' : 'null', code: ErrorCode.SCHEMA_TYPE });
    }
    return { file, spec: null, diagnostics: diagnostics.sort(compareDiagnostics) };
  }
  const schemaErrors = validateSchema(src);
  diagnostics.push(...schemaErrors);
  let spec: Spec | null = null;
  try {
    const resolved = resolveSpec(src, text);
    const semantic = checkSemantics(resolved, src);
    diagnostics.push(...semantic.filter((d) => !schemaErrors.some((b) => echoes(d, b.pointer))));
    if (!diagnostics.some((d) => d.severity !== 'warning')) spec = resolved;
  } catch (e) {
    // Only a schema-invalid document can make resolution throw; its schema errors say why.
    if (schemaErrors.length === 0) throw e;
  }
  return { file, spec, diagnostics: diagnostics.sort(compareDiagnostics) };
}

/**
 * Whether a semantic finding may only echo a schema error at `broken`: it is inside the broken node or
 * contains it, or the check behind it reads the broken part of another section (a product list that
 * failed the schema, or a product named `2big`, makes divergences' products "unknown").
 */
function echoes(d: Diagnostic, broken: string): boolean {
  const b = pointerSegments(broken);
  // one path is a prefix of the other (`*` in a read pattern matches any segment)
  const overlaps = (path: string[], wild: boolean): boolean =>
    path.slice(0, b.length).every((s, i) => s === b[i] || (wild && s === '*'));
  return overlaps(pointerSegments(d.pointer), false) || sectionsRead(d).some((r) => overlaps(r.split('/'), true));
}

/** The parts of other sections the check behind a semantic finding reads (`*`: any entry). */
function sectionsRead(d: Diagnostic): string[] {
  const section = pointerSegments(d.pointer)[0];
  switch (d.code) {
    case ErrorCode.UNKNOWN_TABLE: case ErrorCode.TABLE_UNUSED: return ['products/*/tables', 'tables/*'];
    case ErrorCode.DTYPE_OUTSIDE_DOMAIN: return ['inputs'];
    case ErrorCode.UNKNOWN_PRODUCT: return ['products/*'];
    case ErrorCode.UNKNOWN_RULE: return ['shapeRules/*/id'];
    case ErrorCode.CONTRADICTION:
      if (section === 'divergences') return ['inputs', 'products/*/tables', 'tables', 'shapeRules'];
      if (section === 'tables') return ['products/*/tables', 'products/*/facts'];
      if (section === 'shapeClasses') return ['shapeRules'];
      return [];
    default: return [];
  }
}

/** Expands files and directories (recursively, *.yml / *.yaml) into a sorted list of spec files. */
export function specFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const stat = fs.statSync(input, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const entry of fs.readdirSync(input, { withFileTypes: true })) {
        const full = path.join(input, entry.name);
        if (entry.isDirectory()) files.push(...specFiles([full]));
        else if (/\.ya?ml$/.test(entry.name)) files.push(full);
      }
    } else {
      files.push(input);
    }
  }
  return files.sort();
}
