import { ErrorCode, HarnessError } from '../errors';
import { parseProfile, type Profile } from '../expand/profiles';
import { loadSpecs } from '../spec/load';
import type { Spec } from '../spec/types';

/** Options shared by the commands that expand a spec. */
export interface SpecOptions {
  spec?: string[];
  product?: string[];
  profile?: string;
  seed?: string;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A non-negative 32-bit integer seed. */
export function parseSeed(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--seed expects an integer 0..4294967295, got '${text}'`);
  }
  return n;
}

export function profileOf(opts: { profile?: string }, fallback: Profile): Profile {
  return opts.profile === undefined ? fallback : parseProfile(opts.profile);
}

/** The positional spec files commands take, as `lint FILE...` does. */
export const SPEC_ARGUMENT = ['[specs...]', 'spec files, as with --spec (default: every *.yml in specs/)'] as const;

/** The repeatable `--spec FILE` option every command that reads specs has. */
export const SPEC_OPTION = ['--spec <file>', 'a spec file (repeatable; default: every *.yml in specs/)', collect] as const;

/** The spec files named positionally and with --spec, each once, in the order given (none: the default set). */
export function specFilesOf(positional: readonly string[] | string | undefined, opts: { spec?: string[] | string }): string[] {
  const list = (v: readonly string[] | string | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
  return [...new Set([...list(positional), ...list(opts.spec)])];
}

/** The specs a command works on: those named positionally or with --spec, else every spec of specs/. */
export function specsOf(positional: readonly string[] | string | undefined, opts: { spec?: string[] | string }): Spec[] {
  return loadSpecs(specFilesOf(positional, opts));
}
