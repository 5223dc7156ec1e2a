import * as fs from 'fs';
import * as path from 'path';
import type { QualifyPolicy } from './policy';
import type { SpecVerdict } from './spec-verdicts';
import type { EnvironmentStamp } from './stamp';
import type { Disqualifier, OccurredDivergence, VerdictCounts, VerdictKind } from './verdict';

/**
 * verdict.json's format version: a public interface (bump with a README note on change). Version 2 added
 * the verdict `qualified-eager-only`, `graphNotRun` and `counts.graphNotRun`; version 3 holds every spec
 * of the run (`specs`, a verdict per spec beside the overall one; each spec bundled as
 * `specs/<id>.yml` in place of version 2's one `spec.yml`). Older files are still read, and checked by
 * the rules they were written under.
 */
export const VERDICT_FILE_VERSION = 3;
const READABLE_VERSIONS: readonly number[] = [1, 2, VERDICT_FILE_VERSION];
export const VERDICT_FILE_FORMAT = 'a8w8-qualification-verdict';

/** The files of a bundle, by role (all relative to the bundle directory). */
export const BUNDLE_FILES = {
  results: 'results.jsonl',
  run: 'run.json',
  verdict: 'verdict.json',
  required: 'required.txt',
  notRequired: 'not-required.txt',
  /** the one spec of a bundle of verdict.json version 1 or 2 */
  spec: 'spec.yml',
  /** the directory of the specs of a bundle of version 3, one `<id>.yml` each */
  specs: 'specs',
  reports: 'reports',
  manifest: 'MANIFEST.json',
} as const;

/** What happened to the reports (writeReports from harness/report). */
export type ReportsState =
  | { written: true; dir: string; files: string[] }
  | { written: false; reason: string };

/** verdict.json: the verdict, why, and what it holds for. */
export interface VerdictFile {
  format: typeof VERDICT_FILE_FORMAT;
  /** 1 for bundles written before the eager-only verdict (they lack graphNotRun); 2 before several specs (they lack specs) */
  version: 1 | 2 | typeof VERDICT_FILE_VERSION;
  verdict: VerdictKind;
  /** `qualified`, `qualified for eager mode`, `not qualified`, `partial: not a qualification`, `simulated: not a qualification` */
  label: string;
  product: string;
  profile: 'full';
  simulated: boolean;
  partial: boolean;
  /** labels that make this bundle no qualification whatever its verdict, e.g. `simulated: not a qualification` */
  stamps: string[];
  /** why the backend is simulated, when it is */
  simulatedWhy: string | null;
  filter: { grep: string } | null;
  policy: QualifyPolicy;
  counts: VerdictCounts;
  disqualifying: Disqualifier[];
  /** required graph-mode cases not run because graph mode cannot run on the host (absent in version 1) */
  graphNotRun?: Disqualifier[];
  divergences: OccurredDivergence[];
  /** each spec of the run with its own verdict, in run order (absent before version 3); the fields above are over them all */
  specs?: SpecVerdict[];
  environment: EnvironmentStamp;
  reports: ReportsState;
  createdAt: string;
}

export function writeVerdictFile(dir: string, v: VerdictFile): void {
  fs.writeFileSync(path.join(dir, BUNDLE_FILES.verdict), JSON.stringify(v, null, 2) + '\n');
}

/** Reads verdict.json, checking format and version; throws with what is wrong. */
export function readVerdictFile(dir: string): VerdictFile {
  return parseVerdictFile(fs.readFileSync(path.join(dir, BUNDLE_FILES.verdict), 'utf8'));
}

/** Parses the text of a verdict.json, checking format and version; throws with what is wrong. */
export function parseVerdictFile(text: string): VerdictFile {
  const v = JSON.parse(text) as Partial<VerdictFile> | null;
  if (v === null || typeof v !== 'object') throw new Error(`${BUNDLE_FILES.verdict}: not a JSON object`);
  if (v.format !== VERDICT_FILE_FORMAT) throw new Error(`${BUNDLE_FILES.verdict}: format is ${JSON.stringify(v.format)}, expected ${VERDICT_FILE_FORMAT}`);
  if (!READABLE_VERSIONS.includes(v.version as number)) {
    throw new Error(`${BUNDLE_FILES.verdict}: version ${JSON.stringify(v.version)} is not supported (expected ${READABLE_VERSIONS.join(' or ')})`);
  }
  return v as VerdictFile;
}
