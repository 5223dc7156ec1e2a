import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { expandCases } from '../expand';
import { harnessVersion, parseRunJson, runSpecs, type RunEnvironment, type RunSpec } from '../run/environment';
import { scanResults, type ResultRecord } from '../run/record';
import { LEGACY_RESULTS_VERSION } from '../run/record-upgrade';
import { loadSpec } from '../spec/load';
import { BundleFileError, openBundleResults, readBundleFile, walkBundle } from './bundle-files';
import { checkManifest, MANIFEST_FILE, parseManifest, unsafeEntries } from './manifest';
import { evidenceSimulated, STRICT_POLICY_VERSION } from './policy';
import { parseRequiredList, requiredCases } from './required';
import { bundledSpecPath, ofSpec, specVerdicts, type SpecVerdict } from './spec-verdicts';
import { stampEnvironment } from './stamp';
import { computeVerdict, VERDICT_LABELS, type VerdictResult } from './verdict';
import { BUNDLE_FILES, parseVerdictFile, type VerdictFile } from './verdict-file';

/** One thing wrong with a bundle. */
export interface BundleProblem {
  kind: 'modified' | 'missing' | 'extra' | 'malformed' | 'unreadable' | 'inconsistent' | 'simulated' | 'policy' | 'spec' | 'not-qualified'
    | 'not-regular' | 'too-large';
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
  // Every entry that is not a regular file is named first, all of them, and never opened afterwards.
  const tree = walkBundle(dir);
  for (const p of unsafeEntries(tree)) problem(p.kind, p.path, p.detail);
  const reported = (file: string): boolean => problems.some((p) => p.path === file);
  let manifestSha: string | null = null;
  if (!tree.unsafe.has(MANIFEST_FILE)) {
    try {
      const bytes = readBundleFile(dir, MANIFEST_FILE);
      manifestSha = crypto.createHash('sha256').update(bytes).digest('hex');
      for (const p of checkManifest(dir, parseManifest(bytes.toString('utf8')), tree)) problem(p.kind, p.path, p.detail);
    } catch (e) {
      if (e instanceof BundleFileError && e.kind === 'missing') problem('unreadable', MANIFEST_FILE, 'no MANIFEST.json: nothing to check the files against');
      else fileProblem(MANIFEST_FILE, e, problem);
    }
  }

  const read = <T>(file: string, parse: () => T): T | null => {
    if (tree.unsafe.has(file) || problems.some((p) => p.path === file && (p.kind === 'too-large' || p.kind === 'not-regular'))) return null;
    if (!tree.files.has(file)) {
      if (!reported(file)) problem('missing', file, 'a bundle must contain it');
      return null;
    }
    try {
      return parse();
    } catch (e) {
      fileProblem(file, e, problem);
      return null;
    }
  };
  const text = (file: string): string => readBundleFile(dir, file).toString('utf8');
  const verdictFile = read(BUNDLE_FILES.verdict, () => parseVerdictFile(text(BUNDLE_FILES.verdict)));
  const run = read(BUNDLE_FILES.run, () => parseRunJson(text(BUNDLE_FILES.run), BUNDLE_FILES.run));
  const records = read(BUNDLE_FILES.results, () => readRecordsStrict(dir));
  const required = read(BUNDLE_FILES.required, () => parseRequiredList(text(BUNDLE_FILES.required)));
  const notRequired = read(BUNDLE_FILES.notRequired, () => parseRequiredList(text(BUNDLE_FILES.notRequired)));
  if (!verdictFile || !run || !records || !required || !notRequired) return done(verdictFile?.verdict ?? null, manifestSha);

  // The verdict, recomputed from the evidence; verdict.json must say exactly the same.
  const simulated = evidenceSimulated(run, records);
  let recomputed: VerdictResult;
  try {
    recomputed = computeVerdict({
      product: run.product, required, notRequired, records, simulated, filter: verdictFile.filter ?? null, eagerOnly: verdictFile.version !== 1,
    });
  } catch (e) {
    problem('malformed', BUNDLE_FILES.results, `the verdict cannot be recomputed from the records: ${(e as Error).message}`);
    return done(verdictFile.verdict, manifestSha);
  }
  for (const d of verdictDifferences(verdictFile, recomputed)) problem('inconsistent', BUNDLE_FILES.verdict, d);
  // from version 3, each spec's verdict too, recomputed from its own cases
  if (verdictFile.version >= 3) {
    const input = { product: run.product, required, notRequired, records, simulated, filter: verdictFile.filter ?? null };
    try {
      for (const d of specVerdictDifferences(verdictFile.specs, specVerdicts(input, runSpecs(run)))) problem('inconsistent', BUNDLE_FILES.verdict, d);
    } catch (e) {
      problem('malformed', BUNDLE_FILES.results, `the verdicts per spec cannot be recomputed from the records: ${(e as Error).message}`);
    }
  }
  if ((verdictFile.verdict === 'qualified' || verdictFile.verdict === 'qualified-eager-only') && simulated) {
    problem('simulated', BUNDLE_FILES.verdict, `a qualified bundle must not be simulated: backend ${run.backend}, run.json simulated ${run.simulated}, ` +
      `${records.filter((r) => r.simulated).length} simulated record(s)`);
  }
  const stamps = [...(simulated ? [VERDICT_LABELS.simulated] : []), ...(recomputed.partial ? [VERDICT_LABELS.partial] : [])];
  if (!isDeepStrictEqual(verdictFile.stamps, stamps)) problem('inconsistent', BUNDLE_FILES.verdict, `stamps ${JSON.stringify(verdictFile.stamps)}, the evidence gives ${JSON.stringify(stamps)}`);
  if (!isDeepStrictEqual(verdictFile.environment, stampEnvironment(run))) problem('inconsistent', BUNDLE_FILES.verdict, 'the environment stamp differs from run.json');
  if (verdictFile.product !== run.product) problem('inconsistent', BUNDLE_FILES.verdict, `product ${verdictFile.product}, run.json says ${run.product}`);

  // The strict policy (no retries; no expectation files; the full profile).
  const p = verdictFile.policy;
  if (p?.name !== 'strict' || p.version !== STRICT_POLICY_VERSION || p.retries !== 0 || p.expectations !== 'ignored' || p.profile !== 'full') {
    problem('policy', BUNDLE_FILES.verdict, `policy ${JSON.stringify(p)} is not the strict policy v${STRICT_POLICY_VERSION}`);
  }
  if (run.profile !== 'full') problem('policy', BUNDLE_FILES.run, `profile ${run.profile}, a qualification runs the full profile`);

  // a bundle of version 1 records lists version 1 ids, which lack the spec prefix
  const legacyIds = records.length > 0 && records.every((r) => (r.version as number) === LEGACY_RESULTS_VERSION);
  if (verdictFile.version < 3) {
    // one spec, as spec.yml
    const only = runSpecs(run)[0]!;
    read(BUNDLE_FILES.spec, () => checkSpec(readBundleFile(dir, BUNDLE_FILES.spec), BUNDLE_FILES.spec, only, run, required, notRequired, legacyIds, problem, warnings));
    return done(verdictFile.verdict, manifestSha);
  }
  // every spec of the run, each as specs/<id>.yml, each with its own part of the required lists
  const specs = runSpecs(run);
  for (const s of specs) {
    const file = bundledSpecPath(s.id);
    read(file, () => checkSpec(readBundleFile(dir, file), file, s, run, required.filter((id) => ofSpec(id, s.id)),
      notRequired.filter((id) => ofSpec(id, s.id)), false, problem, warnings));
  }
  for (const [list, file] of [[required, BUNDLE_FILES.required], [notRequired, BUNDLE_FILES.notRequired]] as const) {
    const stray = list.filter((id) => !specs.some((s) => ofSpec(id, s.id)));
    if (stray.length) problem('spec', file, `${stray.length} case id(s) of no spec of the run (${specs.map((s) => s.id).join(', ')}), first ${stray[0]}`);
  }
  const expectedFiles = new Set(specs.map((s) => bundledSpecPath(s.id)));
  for (const p of tree.files.keys()) {
    if (p.startsWith(`${BUNDLE_FILES.specs}/`) && !expectedFiles.has(p)) problem('spec', p, 'a spec file of no spec run.json names');
  }
  if (tree.files.has(BUNDLE_FILES.spec)) problem('spec', BUNDLE_FILES.spec, `a bundle of verdict.json version ${verdictFile.version} holds its specs under ${BUNDLE_FILES.specs}/, not spec.yml`);
  return done(verdictFile.verdict, manifestSha);
}

/** Field-by-field differences between verdict.json and the recomputed verdict, as readable lines. */
function verdictDifferences(file: VerdictFile, v: VerdictResult): string[] {
  const out: string[] = [];
  if (file.verdict !== v.verdict) out.push(`verdict.json says ${JSON.stringify(file.verdict)}, the records give ${JSON.stringify(v.verdict)}`);
  const fields = ['label', 'simulated', 'partial', 'counts', 'disqualifying', 'graphNotRun', 'divergences'] as const;
  // a version 1 file predates the graph-mode fields: it is compared on the fields it has
  const recomputed = file.version === 1 ? { ...v, counts: withoutKey(v.counts, 'graphNotRun'), graphNotRun: undefined } : v;
  for (const f of fields) {
    if (!isDeepStrictEqual(file[f], recomputed[f])) out.push(`${f} differs from the value recomputed from results.jsonl`);
  }
  return out;
}

function withoutKey<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = o;
  return rest;
}

/** A problem reading a bundle file: what kind, by the error. */
function fileProblem(file: string, e: unknown, problem: (kind: BundleProblem['kind'], file: string, detail: string) => void): void {
  if (e instanceof BundleFileError) problem(e.kind, e.path, e.message);
  else problem('unreadable', file, (e as Error).message);
}

/** Each spec's verdict in verdict.json against the one recomputed: by spec id, field by field. */
function specVerdictDifferences(written: SpecVerdict[] | undefined, recomputed: SpecVerdict[]): string[] {
  if (!Array.isArray(written)) return ['specs: missing, a verdict.json of version 3 holds a verdict per spec'];
  const out: string[] = [];
  const ids = (l: SpecVerdict[]): string => l.map((s) => s?.id).join(', ');
  if (ids(written) !== ids(recomputed)) out.push(`specs lists ${ids(written) || 'none'}, run.json's specs are ${ids(recomputed) || 'none'}`);
  for (const v of recomputed) {
    const w = written.find((s) => s?.id === v.id);
    if (!w) continue;
    if (w.verdict !== v.verdict) out.push(`spec ${v.id}: verdict.json says ${JSON.stringify(w.verdict)}, its records give ${JSON.stringify(v.verdict)}`);
    for (const f of ['file', 'hash', 'label', 'partial', 'counts', 'disqualifying', 'graphNotRun', 'divergences'] as const) {
      if (!isDeepStrictEqual(w[f], v[f])) out.push(`spec ${v.id}: ${f} differs from the value recomputed from results.jsonl`);
    }
  }
  return out;
}

/** A bundled spec must be the one run.json names by hash; its part of the required lists must be its expansion. */
function checkSpec(spec: Buffer, file: string, runSpec: Required<RunSpec>, run: RunEnvironment, required: string[], notRequired: string[], legacy: boolean,
  problem: (kind: BundleProblem['kind'], file: string, detail: string) => void, warnings: string[]): void {
  const hash = crypto.createHash('sha256').update(spec).digest('hex');
  if (hash !== runSpec.hash) {
    problem('spec', file, `sha256 ${hash}, run.json's hash of spec ${runSpec.id} is ${runSpec.hash}`);
    return;
  }
  if (run.harness.version !== harnessVersion()) {
    warnings.push(`the required list was not re-derived: the bundle was written by harness ${run.harness.version}, this is ${harnessVersion()}`);
    return;
  }
  let expected;
  // The spec loader reads a path: it gets a private copy of the bytes just checked, not the bundle's path.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'a8w8-verify-'));
  try {
    const copy = path.join(tmp, BUNDLE_FILES.spec);
    fs.writeFileSync(copy, spec);
    // the copy's file name is not the spec's: its id is the one run.json recorded
    const derived = requiredCases(expandCases({ ...loadSpec(copy), id: runSpec.id }, { profile: 'full', seed: run.seed, products: [run.product] }));
    const strip = (ids: string[]): string[] => (legacy ? ids.map((id) => id.slice(runSpec.id.length + 1)) : ids);
    expected = { required: strip(derived.required), notRequired: strip(derived.notRequired) };
  } catch (e) {
    warnings.push(`the required list was not re-derived: ${(e as Error).message.split('\n')[0]}`);
    return;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!isDeepStrictEqual(expected.required, required)) {
    problem('spec', BUNDLE_FILES.required, `differs from the full profile of the bundled spec ${runSpec.id} (${file}) for ${run.product} (${expected.required.length} required case(s), the file lists ${required.length})`);
  }
  if (!isDeepStrictEqual(expected.notRequired, notRequired)) {
    problem('spec', BUNDLE_FILES.notRequired, `differs from the bundled spec ${runSpec.id}'s (${file}) ${expected.notRequired.length} case(s) tagged undefined-input`);
  }
}

/**
 * results.jsonl read strictly, line by line from the checked descriptor: in a bundle even a torn last
 * line is damage, not an interrupted run. Duplicates are kept: the verdict disqualifies them by name.
 */
function readRecordsStrict(dir: string): ResultRecord[] {
  const fd = openBundleResults(dir);
  try {
    // as written: a bundle of version 1 records is checked against its own required lists and verdict, whose ids are version 1 ids
    const scan = scanResults(BUNDLE_FILES.results, { fd, checkShape: true, asWritten: true });
    if (scan.torn) throw new Error(`line ${scan.torn.line}: a torn last line (${scan.torn.bytes} bytes without a newline)`);
    return scan.records.map((r) => r.record);
  } finally {
    fs.closeSync(fd);
  }
}
