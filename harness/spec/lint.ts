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
 * Reads, parses, schema-checks and semantically checks one spec file, collecting every problem in one
 * pass. Semantic checks also run on a schema-invalid document, but only their findings away from the
 * schema errors are kept (a malformed section would only produce echoes of its schema error).
 */
export function lintFile(file: string): LintResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
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
    if (diagnostics.length === 0) spec = resolved;
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
    case ErrorCode.DTYPE_OUTSIDE_DOMAIN: return ['domain'];
    case ErrorCode.UNKNOWN_PRODUCT: return ['products/*'];
    case ErrorCode.UNKNOWN_RULE: return ['shapeRules/*/id'];
    case ErrorCode.CONTRADICTION:
      if (section === 'divergences') return ['domain', 'products/*/tables', 'tables', 'shapeRules'];
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
