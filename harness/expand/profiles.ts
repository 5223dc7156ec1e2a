import { UnknownNameError } from '../errors';

/**
 * Profiles. `smoke`: every accepted combination once on a small shape, every rejected one once,
 * every rule edge from both sides, every shape class, distribution and defect class at least once, and
 * accepted cases designed to kill (smoke.ts: every combination judged, every numeric path on every
 * sensitive distribution and every legal input shape).
 * `full`: every accepted combination crossed with every shape class and every distribution.
 */
export const PROFILES = ['smoke', 'full'] as const;
export type Profile = (typeof PROFILES)[number];

export function parseProfile(name: string): Profile {
  if ((PROFILES as readonly string[]).includes(name)) return name as Profile;
  throw new UnknownNameError('profile', name, PROFILES);
}
