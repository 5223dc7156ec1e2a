import { isDeepStrictEqual } from 'util';
import * as fs from 'fs';
import * as path from 'path';
import { expandCases } from '../expand';
import { harnessVersion, RUN_JSON_VERSION, type RunEnvironment } from '../run/environment';
import { RESULTS_VERSION, type ResultRecord } from '../run/record';
import { loadSpec } from '../spec/load';
import { checkManifest, MANIFEST_FILE, readManifest, sha256File } from './manifest';
import { evidenceSimulated, STRICT_POLICY_VERSION } from './policy';
import { parseRequiredList, requiredCases } from './required';
import { stampEnvironment } from './stamp';
import { computeVerdict, VERDICT_LABELS, type VerdictResult } from './verdict';
import { BUNDLE_FILES, readVerdictFile, type VerdictFile } from './verdict-file';

/** One thing wrong with a bundle. */
export interface BundleProblem {
  kind: 'modified' | 'missing' | 'extra' | 'malformed' | 'unreadable' | 'inconsistent' | 'simulated' | 'policy' | 'spec' | 'not-qualified';
  /** the file concerned, relative to the bundle */
  path: string;
  detail: string;
}

export interface BundleCheck {
  ok: boolean;
  problems: BundleProblem[];
  /** checks that could not be made, and why (not failures) */
  warnings: string[];
  /** verdict.json's verdict as written, when readable */
  verdict: VerdictFile['verdict'] | null;
  manifestSha256: string | null;
}

/**
 * Checks a bundle written by `a8w8 qualify`: every hash in MANIFEST.json, files modified, missing or
 * extra; verdict.json against the verdict recomputed from results.jsonl and required.txt; the environment
 * stamp against run.json; the strict policy; that a `qualified` bundle is not simulated; and the bundled
 * spec against run.json's spec hash and, when this harness is the version that wrote the bundle, the
 * required list re-derived from it. The manifest is not signed: it catches edits and damage, and its own
 * sha256 (printed here and by qualify) is what to record out of band against deliberate rewrites.
 */
export function verifyBundle(dir: string): BundleCheck {
  const problems: BundleProblem[] = [];
  const warnings: string[] = [];
  const problem = (kind: BundleProblem['kind'], file: string, detail: string): void => { problems.push({ kind, path: file, detail }); };
  const done = (verdict: VerdictFile['verdict'] | null, sha: string | null): BundleCheck => ({ ok: problems.length === 0, problems, warnings, verdict, manifestSha256: sha });

  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    problem('unreadable', '.', `${dir} is not a directory (a bundle is the directory qualify wrote; unpack a .tar.gz first)`);
    return done(null, null);
  }
  let manifestSha: string | null = null;
  try {
    const manifest = readManifest(dir);
    manifestSha = sha256File(path.join(dir, MANIFEST_FILE));
    for (const p of checkManifest(dir, manifest)) problem(p.kind, p.path, p.detail);
  } catch (e) {
    problem('unreadable', MANIFEST_FILE, (e as Error).message);
  }

  const read = <T>(file: string, parse: (abs: string) => T): T | null => {
    const abs = path.join(dir, file);
    if (!fs.existsSync(abs)) {
      if (!problems.some((p) => p.kind === 'missing' && p.path === file)) problem('missing', file, 'a bundle must contain it');
      return null;
    }
    try {
      return parse(abs);
    } catch (e) {
      problem('unreadable', file, (e as Error).message);
      return null;
    }
  };
  const verdictFile = read(BUNDLE_FILES.verdict, () => readVerdictFile(dir));
  const run = read(BUNDLE_FILES.run, (abs) => readRunJson(abs));
  const records = read(BUNDLE_FILES.results, (abs) => readRecordsStrict(abs));
  const required = read(BUNDLE_FILES.required, (abs) => parseRequiredList(fs.readFileSync(abs, 'utf8')));
  const notRequired = read(BUNDLE_FILES.notRequired, (abs) => parseRequiredList(fs.readFileSync(abs, 'utf8')));
  if (!verdictFile || !run || !records || !required || !notRequired) return done(verdictFile?.verdict ?? null, manifestSha);

  // The verdict, recomputed from the evidence; verdict.json must say exactly the same.
  const simulated = evidenceSimulated(run, records);
  let recomputed: VerdictResult;
  try {
    recomputed = computeVerdict({ product: run.product, required, notRequired, records, simulated, filter: verdictFile.filter ?? null });
  } catch (e) {
    problem('malformed', BUNDLE_FILES.results, `the verdict cannot be recomputed from the records: ${(e as Error).message}`);
    return done(verdictFile.verdict, manifestSha);
  }
  for (const d of verdictDifferences(verdictFile, recomputed)) problem('inconsistent', BUNDLE_FILES.verdict, d);
  if (verdictFile.verdict === 'qualified' && simulated) {
    problem('simulated', BUNDLE_FILES.verdict, `a qualified bundle must not be simulated: backend ${run.backend}, run.json simulated ${run.simulated}, ` +
      `${records.filter((r) => r.simulated).length} simulated record(s)`);
  }
  const stamps = [...(simulated ? [VERDICT_LABELS.simulated] : []), ...(recomputed.partial ? [VERDICT_LABELS.partial] : [])];
  if (!isDeepStrictEqual(verdictFile.stamps, stamps)) problem('inconsistent', BUNDLE_FILES.verdict, `stamps ${JSON.stringify(verdictFile.stamps)}, the evidence gives ${JSON.stringify(stamps)}`);
  if (!isDeepStrictEqual(verdictFile.environment, stampEnvironment(run))) problem('inconsistent', BUNDLE_FILES.verdict, 'the environment stamp differs from run.json');
  if (verdictFile.product !== run.product) problem('inconsistent', BUNDLE_FILES.verdict, `product ${verdictFile.product}, run.json says ${run.product}`);

  // The strict policy (D14: no retries; no expectation files; the full profile).
  const p = verdictFile.policy;
  if (p?.name !== 'strict' || p.version !== STRICT_POLICY_VERSION || p.retries !== 0 || p.expectations !== 'ignored' || p.profile !== 'full') {
    problem('policy', BUNDLE_FILES.verdict, `policy ${JSON.stringify(p)} is not the strict policy v${STRICT_POLICY_VERSION}`);
  }
  if (run.profile !== 'full') problem('policy', BUNDLE_FILES.run, `profile ${run.profile}, a qualification runs the full profile`);

  checkSpec(dir, run, required, notRequired, problem, warnings);
  return done(verdictFile.verdict, manifestSha);
}

/** Field-by-field differences between verdict.json and the recomputed verdict, as readable lines. */
function verdictDifferences(file: VerdictFile, v: VerdictResult): string[] {
  const out: string[] = [];
  if (file.verdict !== v.verdict) out.push(`verdict.json says ${JSON.stringify(file.verdict)}, the records give ${JSON.stringify(v.verdict)}`);
  const fields = ['label', 'simulated', 'partial', 'counts', 'disqualifying', 'divergences'] as const;
  for (const f of fields) {
    if (!isDeepStrictEqual(file[f], v[f])) out.push(`${f} differs from the value recomputed from results.jsonl`);
  }
  return out;
}

/** The bundled spec must be the one run.json names by hash; the required lists must be its expansion. */
function checkSpec(dir: string, run: RunEnvironment, required: string[], notRequired: string[],
  problem: (kind: BundleProblem['kind'], file: string, detail: string) => void, warnings: string[]): void {
  const specFile = path.join(dir, BUNDLE_FILES.spec);
  if (!fs.existsSync(specFile)) {
    problem('missing', BUNDLE_FILES.spec, 'a bundle must contain the spec it ran');
    return;
  }
  const hash = sha256File(specFile);
  if (hash !== run.spec.hash) {
    problem('spec', BUNDLE_FILES.spec, `sha256 ${hash}, run.json's spec hash is ${run.spec.hash}`);
    return;
  }
  if (run.harness.version !== harnessVersion()) {
    warnings.push(`the required list was not re-derived: the bundle was written by harness ${run.harness.version}, this is ${harnessVersion()}`);
    return;
  }
  let expected;
  try {
    expected = requiredCases(expandCases(loadSpec(specFile), { profile: 'full', seed: run.seed, products: [run.product] }));
  } catch (e) {
    warnings.push(`the required list was not re-derived: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  if (!isDeepStrictEqual(expected.required, required)) {
    problem('spec', BUNDLE_FILES.required, `differs from the full profile of the bundled spec for ${run.product} (${expected.required.length} required case(s), the file lists ${required.length})`);
  }
  if (!isDeepStrictEqual(expected.notRequired, notRequired)) {
    problem('spec', BUNDLE_FILES.notRequired, `differs from the bundled spec's ${expected.notRequired.length} case(s) tagged undefined-input`);
  }
}

function readRunJson(file: string): RunEnvironment {
  const env = JSON.parse(fs.readFileSync(file, 'utf8')) as RunEnvironment;
  if (env.version !== RUN_JSON_VERSION) throw new Error(`run.json version ${JSON.stringify(env.version)} is not supported (expected ${RUN_JSON_VERSION})`);
  if (!Array.isArray(env.devices) || typeof env.spec?.hash !== 'string') throw new Error('run.json lacks devices or spec');
  return env;
}

/** results.jsonl read strictly: in a bundle even a torn last line is damage, not an interrupted run. */
function readRecordsStrict(file: string): ResultRecord[] {
  const out: ResultRecord[] = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (line === '') return;
    let r: ResultRecord;
    try {
      r = JSON.parse(line) as ResultRecord;
    } catch (e) {
      throw new Error(`line ${i + 1}: not a JSON record: ${(e as Error).message}`);
    }
    if (r.version !== RESULTS_VERSION || typeof r.caseId !== 'string' || typeof r.outcome?.status !== 'string' || typeof r.case !== 'object') {
      throw new Error(`line ${i + 1}: not a results record v${RESULTS_VERSION}`);
    }
    out.push(r);
  });
  return out;
}
