import * as path from 'path';
import { ErrorCode, formatDiagnostic, HarnessError } from '../errors';
import { packageRoot } from '../paths';
import { lintFile } from './lint';
import type { Spec } from './types';

/** The spec the CLI uses when none is named. */
export function defaultSpecPath(): string {
  return path.join(packageRoot(), 'specs', 'linear-a8w8-quant.yml');
}

/** Loads a spec for use; any diagnostic is a HarnessError that carries them all. */
export function loadSpec(file: string = defaultSpecPath()): Spec {
  const result = lintFile(file);
  if (result.spec === null) {
    const text = result.diagnostics.map(formatDiagnostic).join('\n');
    // a refused oversized file keeps its own code, so a caller can tell it from a broken spec
    const code = result.diagnostics.some((d) => d.code === ErrorCode.SPEC_TOO_LARGE) ? ErrorCode.SPEC_TOO_LARGE : ErrorCode.SCHEMA_OTHER;
    throw new HarnessError(code, `spec ${file} is invalid:\n${text}`, result.diagnostics);
  }
  return result.spec;
}
