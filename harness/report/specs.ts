import * as path from 'path';
import { packageRoot } from '../paths';
import { runSpecs, type RunEnvironment, type RunSpec } from '../run/environment';
import { loadSpec } from '../spec/load';
import type { Spec } from '../spec/types';
import { environmentsOf } from './release';

/**
 * The specs a report labels its rows with: a result set may hold the cases of several specs, and table
 * keys repeat across them (`table2#1` is a row of each), so every matrix, coverage table and label
 * reads the spec of its own records, found by the spec id the records carry.
 */

/** The specs of a report, in the run's order, and why any the run used is missing. */
export interface ReportSpecs {
  specs: Spec[];
  /** one line per spec that could not be used (changed since the run, unloadable, or no run.json) */
  notes: string[];
}

/**
 * The given specs (loaded, or files to load), else every spec run.json names that still has the hash
 * the run used (an edited spec would mislabel rows). Never throws for the fallback: a report without a
 * spec still has every count.
 */
export function specsFor(env: RunEnvironment | null, given?: Spec | string | readonly (Spec | string)[]): ReportSpecs {
  const list = given === undefined ? [] : Array.isArray(given) ? given : [given as Spec | string];
  if (list.length > 0) return { specs: list.map((s) => (typeof s === 'string' ? loadSpec(s) : s)), notes: [] };
  if (!env) return { specs: [], notes: ['no run.json: reports carry no spec labels or product peaks (pass --spec)'] };
  const specs: Spec[] = [];
  const notes: string[] = [];
  for (const recorded of recordedSpecs(env)) {
    const file = path.isAbsolute(recorded.file) ? recorded.file : path.join(packageRoot(), recorded.file);
    try {
      const spec = loadSpec(file);
      if (spec.hash !== recorded.hash) {
        notes.push(`${recorded.file} changed since the run (hash ${spec.hash.slice(0, 12)}, run used ${recorded.hash.slice(0, 12)}): not used; pass --spec`);
      } else {
        // the id the run recorded is the one its records carry, whatever the file now calls itself
        specs.push(spec.id === recorded.id ? spec : { ...spec, id: recorded.id });
      }
    } catch (e) {
      notes.push(`the run's spec ${recorded.file} cannot be loaded (${(e as Error).message.split('\n')[0]}); pass --spec`);
    }
  }
  return { specs, notes };
}

/** Every spec of a run.json, a merged one's environments included, each id once in the order first named. */
export function recordedSpecs(env: RunEnvironment | null): Required<RunSpec>[] {
  const seen = new Map<string, Required<RunSpec>>();
  for (const e of environmentsOf(env)) for (const s of runSpecs(e)) if (!seen.has(s.id)) seen.set(s.id, s);
  return [...seen.values()];
}

/**
 * The spec of the records of one spec id: the spec of that id; or, for a set of one spec, the one spec
 * given (a `--spec` file whose id the records do not carry, such as a renamed copy); else none.
 */
export function specOf(specs: readonly Spec[], id: string, specIdsInRecords: number): Spec | undefined {
  return specs.find((s) => s.id === id) ?? (specs.length === 1 && specIdsInRecords <= 1 ? specs[0] : undefined);
}

/** Spec ids of a set of records, in the order the records first name them. */
export function specIdsOf(records: readonly { spec: string }[]): string[] {
  return [...new Set(records.map((r) => r.spec))];
}
