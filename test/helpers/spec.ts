import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import type { Profile } from '../../harness/expand/profiles';
import * as fs from 'fs';
import * as path from 'path';
import { defaultSpecPath, loadSpec, loadSpecs } from '../../harness/spec/load';
import type { Spec } from '../../harness/spec/types';

let spec: Spec | undefined;
const expanded = new Map<string, Case[]>();

/** The real spec, loaded once per test process. */
export function realSpec(): Spec {
  spec ??= loadSpec();
  return spec;
}

/** The real spec's cases for a profile and seed, expanded once per test process. */
export function realCases(profile: Profile, seed = 0): Case[] {
  const key = `${profile}:${seed}`;
  if (!expanded.has(key)) expanded.set(key, expandCases(realSpec(), { profile, seed }));
  return expanded.get(key)!;
}

let all: Spec[] | undefined;

/** Every spec of specs/ (what a command reads when none is named), loaded once per test process. */
export function allSpecs(): Spec[] {
  all ??= loadSpecs();
  return all;
}

/**
 * A second spec for multi-spec tests: the real spec's text with another `spec.id`, written to `dir`
 * (the real spec file is never touched). Returns the new file's path.
 */
export function specCopyWithId(dir: string, id: string, fileName = `${id}.yml`): string {
  const text = fs.readFileSync(defaultSpecPath(), 'utf8');
  const idLine = /^(spec:\n(?:[ \t]+.*\n)*?[ \t]+id:[ \t]*).*$/m;
  if (!idLine.test(text)) throw new Error(`specCopyWithId: no spec.id line found in ${defaultSpecPath()}`);
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, text.replace(idLine, `$1${id}`));
  return file;
}
