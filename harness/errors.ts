/**
 * Stable error codes. They are a public interface (lint output, tests, CI scripts): add, never rename.
 */
export const ErrorCode = {
  YAML_SYNTAX: 'ERR_YAML_SYNTAX',
  YAML_DUPLICATE_KEY: 'ERR_YAML_DUPLICATE_KEY',
  FILE_UNREADABLE: 'ERR_FILE_UNREADABLE',
  SCHEMA_ADDITIONAL_PROPERTY: 'ERR_SCHEMA_ADDITIONAL_PROPERTY',
  SCHEMA_REQUIRED: 'ERR_SCHEMA_REQUIRED',
  SCHEMA_TYPE: 'ERR_SCHEMA_TYPE',
  SCHEMA_ENUM: 'ERR_SCHEMA_ENUM',
  SCHEMA_PATTERN: 'ERR_SCHEMA_PATTERN',
  SCHEMA_RANGE: 'ERR_SCHEMA_RANGE',
  SCHEMA_OTHER: 'ERR_SCHEMA',
  UNKNOWN_TABLE: 'ERR_UNKNOWN_TABLE',
  TABLE_UNUSED: 'ERR_TABLE_UNUSED',
  DTYPE_OUTSIDE_DOMAIN: 'ERR_DTYPE_OUTSIDE_DOMAIN',
  DUPLICATE_ID: 'ERR_DUPLICATE_ID',
  ROW_NUMBER: 'ERR_ROW_NUMBER',
  UNKNOWN_PRODUCT: 'ERR_UNKNOWN_PRODUCT',
  UNKNOWN_RULE: 'ERR_UNKNOWN_RULE',
  DUPLICATE_SOC: 'ERR_DUPLICATE_SOC',
  CONTRADICTION: 'ERR_CONTRADICTION',
  BAD_GENERATOR: 'ERR_BAD_GENERATOR',
  UNKNOWN_NAME: 'ERR_UNKNOWN_NAME',
  BAD_ARGUMENT: 'ERR_BAD_ARGUMENT',
  EMPTY_SELECTION: 'ERR_EMPTY_SELECTION',
  SPEC_TOO_LARGE: 'ERR_SPEC_TOO_LARGE',
  INPUT_ROLE: 'ERR_INPUT_ROLE',
  NO_PATH: 'WARN_NO_PATH',
  PATH_BACKEND: 'WARN_PATH_BACKEND',
  REFERENCE_FORM: 'WARN_REFERENCE_FORM',
  TEXT_CUT: 'WARN_TEXT_CUT',
  DUPLICATE_SPEC_ID: 'ERR_DUPLICATE_SPEC_ID',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem in a spec file, with its position. Lint collects these; it never throws them. */
export interface Diagnostic {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  /** JSON pointer into the document ('' for the root) */
  pointer: string;
  expected: string;
  got: string;
  code: ErrorCode;
  /** a warning does not make the spec invalid (absent: an error) */
  severity?: 'warning';
}

/** `file:line:col (pointer): expected ..., got ... [CODE]` — the one place diagnostics become text. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} (${oneLine(d.pointer) || '/'}): ${d.severity === 'warning' ? 'warning: ' : ''}expected ${oneLine(d.expected)}, got ${oneLine(d.got)} [${d.code}]`;
}

/** Escapes line breaks and tabs (a quoted YAML key may hold them), so one diagnostic stays one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** Orders diagnostics by file, then position, then code, so output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

/** An error the harness raises for bad input: carries a stable code; the CLI prints its message only. */
export class HarnessError extends Error {
  override readonly name: string = 'HarnessError';
  constructor(readonly code: ErrorCode, message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

/** Thrown when a name (backend, product, profile, command) is unknown: lists the valid ones. */
export class UnknownNameError extends HarnessError {
  override readonly name = 'UnknownNameError';
  constructor(kind: string, got: string, valid: readonly string[]) {
    super(ErrorCode.UNKNOWN_NAME, `unknown ${kind} '${got}'; valid ${kind}s: ${valid.join(', ')}`);
  }
}
