import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../errors';
import { packageRoot } from '../paths';
import { RUN_JSON_VERSION, type RunEnvironment } from '../run/environment';
import { readResults, type ResultRecord } from '../run/record';
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
  /** run.json, or null when there is none beside the file */
  env: RunEnvironment | null;
}

/** How many schema problems an error message lists before it says "and N more". */
const SHOWN_PROBLEMS = 5;

/**
 * Reads RESULTS: a results.jsonl, or a directory holding one (with its run.json). Every record is
 * validated against schema/results.schema.json at this boundary, so the formats downstream can trust
 * the types; problems are reported with their line numbers, all of them counted.
 */
export function loadResultSet(arg: string): ResultSet {
  const file = fs.existsSync(arg) && fs.statSync(arg).isDirectory() ? path.join(arg, 'results.jsonl') : arg;
  if (!fs.existsSync(file)) {
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, `${arg}: expected a results.jsonl or a directory holding one, got ${fs.existsSync(arg) ? 'a directory without results.jsonl' : 'no such file'}`);
  }
  let records: ResultRecord[];
  try {
    records = readResults(file);
  } catch (e) {
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, (e as Error).message);
  }
  const problems: string[] = [];
  records.forEach((r, i) => {
    for (const p of validateRecord(r)) problems.push(`record ${i + 1}${typeof r?.caseId === 'string' ? ` (${r.caseId})` : ''}: ${p}`);
  });
  if (problems.length > 0) {
    const more = problems.length > SHOWN_PROBLEMS ? `\n  … and ${problems.length - SHOWN_PROBLEMS} more` : '';
    throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${file}: ${problems.length} problem(s) against schema/results.schema.json:\n  ${problems.slice(0, SHOWN_PROBLEMS).join('\n  ')}${more}`);
  }
  const dir = path.dirname(file);
  return { file, dir, records, env: readEnvironment(path.join(dir, 'run.json')) };
}

/** run.json, or null when absent; a run.json of another version is an error, not a guess. */
export function readEnvironment(file: string): RunEnvironment | null {
  if (!fs.existsSync(file)) return null;
  let env: RunEnvironment;
  try {
    env = JSON.parse(fs.readFileSync(file, 'utf8')) as RunEnvironment;
  } catch (e) {
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, `${file}: not JSON: ${(e as Error).message}`);
  }
  if (env?.version !== RUN_JSON_VERSION) {
    throw new HarnessError(ErrorCode.SCHEMA_OTHER, `${file}: expected run.json version ${RUN_JSON_VERSION}, got ${JSON.stringify(env?.version)}`);
  }
  return env;
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
