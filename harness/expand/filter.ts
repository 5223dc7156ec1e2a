import { ErrorCode, HarnessError } from '../errors';
import type { Case } from './case';

export interface CaseFilter {
  grep?: string;
  tags?: string[];
  /** `i/N`, 1-based: the i-th of N shards */
  shard?: string;
  /** exact case ids */
  ids?: string[];
}

/** Parses `i/N` (1 <= i <= N). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--shard expects i/N with 1 <= i <= N, got '${text}'`);
  }
  return { index, count };
}

/**
 * Filters cases. Shards are deterministic and partition the (filtered) list: a case's shard is a
 * function of its position in the filtered list, round-robin, so shards stay balanced in size and kind.
 */
export function filterCases(cases: Case[], f: CaseFilter): Case[] {
  let re: RegExp | undefined;
  if (f.grep !== undefined) {
    try {
      re = new RegExp(f.grep);
    } catch (e) {
      throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--grep: not a regular expression: ${(e as Error).message}`);
    }
  }
  let out = cases.filter((c) => (!re || re.test(c.id)) && (!f.tags?.length || f.tags.every((t) => c.tags.includes(t))));
  if (f.ids?.length) {
    const missing = f.ids.filter((id) => !cases.some((c) => c.id === id));
    if (missing.length) throw new HarnessError(ErrorCode.UNKNOWN_NAME, `unknown case id(s): ${missing.join(', ')} (see 'a8w8 list')`);
    out = out.filter((c) => f.ids!.includes(c.id));
  }
  if (f.shard !== undefined) {
    const { index, count } = parseShard(f.shard);
    out = out.filter((_, i) => i % count === index - 1);
  }
  return out;
}

/** The exit code of a run whose filters select no case: neither success nor a failing kernel. */
export const EMPTY_SELECTION_EXIT_CODE = 3;

/**
 * Refuses a selection of no case before anything runs: a mistyped `--grep` or `--tag` would otherwise
 * run nothing and exit 0, which a CI job reads as a green run.
 */
export function requireSelection(selected: readonly Case[], f: CaseFilter, expanded: number): void {
  if (selected.length > 0) return;
  const given = [
    f.grep !== undefined ? `--grep ${f.grep}` : null, f.tags?.length ? f.tags.map((t) => `--tag ${t}`).join(' ') : null,
    f.shard !== undefined ? `--shard ${f.shard}` : null, f.ids?.length ? `${f.ids.length} --case id(s)` : null,
  ].filter((x): x is string => x !== null);
  throw new HarnessError(ErrorCode.EMPTY_SELECTION,
    `no case selected: ${given.length ? given.join(', ') : 'the filters'} match none of the ${expanded} case(s) of the profile (see 'a8w8 list')`);
}
