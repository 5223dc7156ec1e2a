import { ErrorCode, HarnessError } from '../errors';
import { parseProfile, type Profile } from '../expand/profiles';

/** Options shared by the commands that expand a spec. */
export interface SpecOptions {
  spec?: string;
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

/** The positional spec file commands take, as `lint FILE` does. */
export const SPEC_ARGUMENT = ['[spec]', 'spec file, as with --spec (default: specs/linear-a8w8-quant.yml)'] as const;

/** The spec file named positionally or with --spec (not both, unless they agree). */
export function specFileOf(positional: string | undefined, opts: { spec?: string }): string | undefined {
  if (positional !== undefined && opts.spec !== undefined && positional !== opts.spec) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `a spec file given twice: '${positional}' and --spec '${opts.spec}'; name one`);
  }
  return positional ?? opts.spec;
}
