/**
 * Finding a case by id for `repro` and `shrink`: in a results folder (its record's recipe, and run.json's
 * run seed for variants), or by expanding the spec with the recipe flags. A shrunk variant's id is
 * rebuilt from its original and its moves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../errors';
import { expandCases } from '../expand';
import type { Case } from '../expand/case';
import type { Profile } from '../expand/profiles';
import type { RunEnvironment } from '../run/environment';
import { readResults, type ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { applyMoves, parseShrunkId } from './moves';

/** Where to look for a case. */
export type CaseOrigin =
  | { kind: 'results'; dir: string }
  | { kind: 'recipe'; profile: Profile; seed: number; products?: string[] };

export interface LocatedCase {
  case: Case;
  /** the recorded result of exactly this case, when the results folder has one */
  record: ResultRecord | null;
  /** run.json of the results folder */
  env: RunEnvironment | null;
  runSeed: number;
  profile: string;
}

function readEnvironment(dir: string): RunEnvironment | null {
  const file = path.join(dir, 'run.json');
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RunEnvironment;
  } catch (e) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${file}: not JSON: ${(e as Error).message}`);
  }
}

/** The results file of a folder (or the file itself). */
function resultsFile(from: string): string {
  return fs.existsSync(from) && fs.statSync(from).isDirectory() ? path.join(from, 'results.jsonl') : from;
}

export function locateCase(spec: Spec, id: string, origin: CaseOrigin): LocatedCase {
  const { originalId, moves } = parseOrThrow(id);
  if (origin.kind === 'results') {
    const file = resultsFile(origin.dir);
    if (!fs.existsSync(file)) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--from: no results at ${file}`);
    const env = readEnvironment(path.dirname(file));
    const records = readResults(file);
    const exact = records.find((r) => r.caseId === id);
    const base = exact ?? records.find((r) => r.caseId === originalId);
    if (!base) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `no case '${originalId}' in ${file} (${records.length} record(s))`);
    if (exact) return { case: exact.case, record: exact, env, runSeed: env?.seed ?? 0, profile: env?.profile ?? 'smoke' };
    if (!env) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${id}: a shrunk variant needs the run seed from run.json beside ${file}`);
    return { case: applyMoves(spec, base.case, moves, env.seed), record: null, env, runSeed: env.seed, profile: env.profile };
  }
  const cases = expandCases(spec, { profile: origin.profile, seed: origin.seed, ...(origin.products ? { products: origin.products } : {}) });
  const base = cases.find((c) => c.id === originalId);
  if (!base) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT,
      `no case '${originalId}' in profile ${origin.profile}${origin.products ? ` for ${origin.products.join(', ')}` : ''} (see \`a8w8 list\`)`);
  }
  return { case: applyMoves(spec, base, moves, origin.seed), record: null, env: null, runSeed: origin.seed, profile: origin.profile };
}

function parseOrThrow(id: string): ReturnType<typeof parseShrunkId> {
  try {
    return parseShrunkId(id);
  } catch (e) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, (e as Error).message);
  }
}
