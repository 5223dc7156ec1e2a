import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, formatDiagnostic, HarnessError } from '../errors';
import { packageRoot } from '../paths';
import { lintFile } from './lint';
import type { Spec } from './types';

/** The folder of the package's own specs: with no spec named, a command reads every spec in it. */
export function specsDir(): string {
  return path.join(packageRoot(), 'specs');
}

/** Every `*.yml` in the package's specs/ folder, sorted: the specs a command reads when none is named. */
export function defaultSpecFiles(): string[] {
  const dir = specsDir();
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.yml')) : [];
  return names.sort().map((n) => path.join(dir, n));
}

/**
 * The spec file a single-spec default used to be: results and bundles written before case ids carried
 * a spec were this spec's, so readers of old records name them after it.
 */
export function defaultSpecPath(): string {
  return path.join(specsDir(), 'linear-a8w8-quant.yml');
}

/** The spec id a results record written before ids carried a spec belongs to. */
export const LEGACY_SPEC_ID = 'linear-a8w8-quant';

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

/**
 * Loads the specs a command works on: the files named (in the order given, each once), or with none
 * every spec of specs/. Spec ids must be unique, since every case id starts with its spec's id.
 */
export function loadSpecs(files: readonly string[] = []): Spec[] {
  const named = files.length ? [...new Set(files.map((f) => path.resolve(f)))].map((abs) => files.find((f) => path.resolve(f) === abs)!) : defaultSpecFiles();
  if (named.length === 0) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `no spec file named and none in ${specsDir()}`);
  const specs = named.map((f) => loadSpec(f));
  checkUniqueIds(specs);
  return specs;
}

/** Two spec files with one id would give their cases one id: an error naming both files. */
export function checkUniqueIds(specs: readonly Spec[]): void {
  const seen = new Map<string, Spec>();
  for (const s of specs) {
    const first = seen.get(s.id);
    if (first) {
      throw new HarnessError(ErrorCode.DUPLICATE_SPEC_ID,
        `spec id '${s.id}' is used by two files: ${first.file} and ${s.file}; give one of them another spec.id`);
    }
    seen.set(s.id, s);
  }
}

/** The one spec of a set a command that reads a single spec works on: chosen by id, or the only one. */
export function chooseSpec(specs: readonly Spec[], id?: string): Spec {
  if (id !== undefined) {
    const found = specs.find((s) => s.id === id);
    if (!found) throw new HarnessError(ErrorCode.UNKNOWN_NAME, `unknown spec '${id}'; loaded spec ids: ${specs.map((s) => s.id).join(', ')}`);
    return found;
  }
  if (specs.length !== 1) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT,
      `this command reads one spec, and ${specs.length} are loaded (${specs.map((s) => `${s.id} from ${s.file}`).join(', ')}); name one with --spec FILE or --spec-id ID`);
  }
  return specs[0]!;
}
