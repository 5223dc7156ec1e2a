import * as fs from 'fs';
import * as path from 'path';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import { specProductGroups } from './groups';
import { loadResultSet, type ResultSet } from './load';
import { isUnexpected } from './outcome-text';
import { environmentFor } from './release';

/**
 * The history view: `a8w8 report DIR` where DIR holds runs (subfolders, each with results.jsonl and
 * run.json) rather than one run. The report is of the newest run, with a table of every run's pass and
 * unexpected counts per product, newest first, so a reader sees whether a product is getting better.
 */

/** One run of a folder of runs, as read. */
export interface HistoryRun {
  /** the subfolder's name */
  name: string;
  set: ResultSet;
}

/** One spec and product of one run in the history table. */
export interface HistoryRow {
  run: string;
  /** the spec id the records carry */
  spec: string;
  /** run.json's start time; null without one (such runs sort last, by name) */
  startedAt: string | null;
  product: string;
  backend: string;
  total: number;
  pass: number;
  unexpected: number;
  simulated: boolean;
}

/** True when `dir` is a folder of runs: no results.jsonl of its own, and a subfolder holding one. */
export function isRunFolder(dir: string): boolean {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory() || fs.existsSync(path.join(dir, 'results.jsonl'))) return false;
  return runDirs(dir).length > 0;
}

function runDirs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'results.jsonl')))
    .map((e) => e.name);
}

/** Reads every run of a folder of runs (each validated as `report` validates one), newest first. */
export function loadRunFolder(dir: string): HistoryRun[] {
  return sortNewestFirst(runDirs(dir).map((name) => ({ name, set: loadResultSet(path.join(dir, name)) })));
}

/** Newest first by run.json's start time; runs without one last, by name descending (dated names sort). */
export function sortNewestFirst(runs: HistoryRun[]): HistoryRun[] {
  const key = (r: HistoryRun): string => r.set.env?.startedAt ?? '';
  return [...runs].sort((a, b) => key(b).localeCompare(key(a)) || b.name.localeCompare(a.name));
}

/** The history table: per run (newest first), spec and product (in the order its records name them). */
export function historyRows(runs: HistoryRun[]): HistoryRow[] {
  return sortNewestFirst(runs).flatMap((run) => runRows(run.name, run.set.records, run.set.env));
}

function runRows(name: string, records: ResultRecord[], env: RunEnvironment | null): HistoryRow[] {
  // a product's standing is read per spec: the specs of a run are separate contracts
  return specProductGroups(records).map(({ spec, product, records: own }) => {
    const e = environmentFor(env, product);
    return {
      run: name, spec, startedAt: e?.startedAt ?? env?.startedAt ?? null, product,
      backend: e?.backend ?? [...new Set(own.map((r) => r.backend))].join(', '),
      total: own.length, pass: own.filter((r) => r.outcome.status === 'pass').length, unexpected: own.filter(isUnexpected).length,
      simulated: (e?.simulated ?? false) || own.some((r) => r.simulated),
    };
  });
}
