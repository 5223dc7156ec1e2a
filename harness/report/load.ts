import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../errors';
import { packageRoot } from '../paths';
import { readRunJson, type RunEnvironment } from '../run/environment';
import { duplicateIds, duplicatesText, scanResults, type ResultRecord } from '../run/record';
import { loadSpec } from '../spec/load';
import type { Spec } from '../spec/types';
import { validateRecord } from './results-schema';

/** A result set as the report commands read it: results.jsonl and the run.json beside it. */
export interface ResultSet {
  /** the results.jsonl read */
  file: string;
  /** its directory: where reports go by default */
  dir: string;
  records: ResultRecord[];
  /** the 1-based line of each record in the file, in the same order */
  lines: number[];
  /** a torn last line that was dropped (the run was killed mid-write), or null */
  torn: { line: number; bytes: number } | null;
  /** run.json, or null when there is none beside the file */
  env: RunEnvironment | null;
}

/** How many schema problems an error message lists before it says "and N more". */
const SHOWN_PROBLEMS = 5;

/**
 * Reads RESULTS: a results.jsonl, or a directory holding one (with its run.json). Every record is
 * validated against schema/results.schema.json at this boundary, so the formats downstream can trust
 * the types; problems are reported with their line numbers, all of them counted. A case recorded
 * twice in one file is an error naming the lines: a run writes each case once, a report would count
 * it twice, and `merge` joins different files only (reporting a case found in several as a duplicate
 * or a conflict).
 */
export function loadResultSet(arg: string): ResultSet {
  const file = fs.existsSync(arg) && fs.statSync(arg).isDirectory() ? path.join(arg, 'results.jsonl') : arg;
  if (!fs.existsSync(file)) {
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, `${arg}: expected a results.jsonl or a directory holding one, got ${fs.existsSync(arg) ? 'a directory without results.jsonl' : 'no such file'}`);
  }
  const scan = scanResults(file);
  const problems: string[] = [];
  scan.records.forEach(({ record: r, line }, i) => {
    for (const p of validateRecord(r)) problems.push(`record ${i + 1} (${typeof r?.caseId === 'string' ? `${r.caseId}, ` : ''}line ${line}): ${p}`);
  });
  if (problems.length > 0) {
    const more = problems.length > SHOWN_PROBLEMS ? `\n  … and ${problems.length - SHOWN_PROBLEMS} more` : '';
    throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${file}: ${problems.length} problem(s) against schema/results.schema.json:\n  ${problems.slice(0, SHOWN_PROBLEMS).join('\n  ')}${more}`);
  }
  const dups = duplicateIds(scan.records);
  if (dups.length) throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${file}: ${duplicatesText(dups)}; a result set holds one record per case`);
  const dir = path.dirname(file);
  return {
    file, dir, records: scan.records.map((s) => s.record), lines: scan.records.map((s) => s.line), torn: scan.torn,
    env: readEnvironment(path.join(dir, 'run.json')),
  };
}

/** run.json, or null when absent; a run.json of another version is an error, not a guess. */
export function readEnvironment(file: string): RunEnvironment | null {
  if (!fs.existsSync(file)) return null;
  return readRunJson(file);
}

/**
 * The spec to label a report with: the file given, else the one run.json names if it still has the
 * hash the run used (an edited spec would mislabel rows), else none. Never throws for the fallback:
 * a report without a spec still has every count.
 */
export function specFor(env: RunEnvironment | null, given?: Spec | string): { spec: Spec | undefined; note: string | null } {
  if (typeof given === 'object') return { spec: given, note: null };
  if (typeof given === 'string') return { spec: loadSpec(given), note: null };
  if (!env) return { spec: undefined, note: 'no run.json: reports carry no spec labels or product peaks (pass --spec)' };
  const file = path.isAbsolute(env.spec.file) ? env.spec.file : path.join(packageRoot(), env.spec.file);
  try {
    const spec = loadSpec(file);
    if (spec.hash === env.spec.hash) return { spec, note: null };
    return { spec: undefined, note: `${env.spec.file} changed since the run (hash ${spec.hash.slice(0, 12)}, run used ${env.spec.hash.slice(0, 12)}): not used; pass --spec` };
  } catch (e) {
    return { spec: undefined, note: `the run's spec ${env.spec.file} cannot be loaded (${(e as Error).message.split('\n')[0]}); pass --spec` };
  }
}
