import * as fs from 'fs';
import * as path from 'path';
import type { Case } from '../expand/case';
import { ErrorCode, HarnessError } from '../errors';
import { runSpecs, type RunEnvironment } from '../run/environment';
import { scanResults } from '../run/record';
import type { Spec } from '../spec/types';
import { writeManifest } from './manifest';
import { evidenceSimulated, type QualifyPolicy } from './policy';
import { writeBundleReports } from './reports';
import { formatRequiredList, requiredCases } from './required';
import { bundledSpecPath, specVerdicts } from './spec-verdicts';
import { stampEnvironment } from './stamp';
import { computeVerdict, VERDICT_LABELS } from './verdict';
import { BUNDLE_FILES, VERDICT_FILE_FORMAT, VERDICT_FILE_VERSION, writeVerdictFile, type VerdictFile } from './verdict-file';

/** What the bundle writer needs besides the directory the run already wrote results.jsonl and run.json into. */
export interface BundleInput {
  dir: string;
  env: RunEnvironment;
  /** every case of the product's full profile (before any filter) */
  expanded: Case[];
  policy: QualifyPolicy;
  filter: { grep: string } | null;
  /** why the backend is simulated (the refusal the policy would have given), or null */
  simulatedWhy: string | null;
  /** the specs the run used; their files are copied in so the required lists can be re-derived later */
  specs: Spec[];
}

/**
 * Completes a bundle (a plain directory; `tar czf` it for hand-over, verify-bundle reads the directory):
 * required lists, the spec, reports, verdict.json and, last, MANIFEST.json over every other file.
 * The verdict is computed from results.jsonl as written, exactly as verify-bundle will recompute it.
 */
export async function writeBundle(b: BundleInput): Promise<{ verdict: VerdictFile; manifestSha256: string }> {
  const { required, notRequired } = requiredCases(b.expanded);
  fs.writeFileSync(path.join(b.dir, BUNDLE_FILES.required), formatRequiredList(required));
  fs.writeFileSync(path.join(b.dir, BUNDLE_FILES.notRequired), formatRequiredList(notRequired));
  const runSpecList = runSpecs(b.env);
  fs.mkdirSync(path.join(b.dir, BUNDLE_FILES.specs), { recursive: true });
  for (const s of runSpecList) {
    const spec = b.specs.find((x) => x.id === s.id);
    if (!spec) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `qualify: run.json names spec '${s.id}', which the bundle was not given`);
    fs.copyFileSync(spec.file, path.join(b.dir, bundledSpecPath(s.id)));
  }
  // every record as written, duplicates included: the verdict disqualifies them, as verify-bundle will
  const records = scanResults(path.join(b.dir, BUNDLE_FILES.results), { checkShape: true }).records.map((r) => r.record);
  const reports = await writeBundleReports(records, b.env, b.specs, b.dir, BUNDLE_FILES.reports);
  const simulated = evidenceSimulated(b.env, records);
  const input = { product: b.env.product, required, notRequired, records, simulated, filter: b.filter };
  const v = computeVerdict(input);
  const verdict: VerdictFile = {
    format: VERDICT_FILE_FORMAT, version: VERDICT_FILE_VERSION,
    verdict: v.verdict, label: v.label, product: b.env.product, profile: 'full', simulated, partial: v.partial,
    stamps: [...(simulated ? [VERDICT_LABELS.simulated] : []), ...(v.partial ? [VERDICT_LABELS.partial] : [])],
    simulatedWhy: simulated ? b.simulatedWhy ?? `backend ${b.env.backend} is simulated` : null,
    filter: b.filter, policy: b.policy, counts: v.counts, disqualifying: v.disqualifying, graphNotRun: v.graphNotRun,
    divergences: v.divergences, specs: specVerdicts(input, runSpecList),
    environment: stampEnvironment(b.env), reports, createdAt: new Date().toISOString(),
  };
  writeVerdictFile(b.dir, verdict);
  const { sha256 } = writeManifest(b.dir);
  return { verdict, manifestSha256: sha256 };
}
