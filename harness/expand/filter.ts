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
