import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import type { Profile } from '../../harness/expand/profiles';
import { loadSpec } from '../../harness/spec/load';
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
