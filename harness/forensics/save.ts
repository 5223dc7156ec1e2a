/**
 * Saved cases: a case's inputs, the kernel's output and the reference's admissible answers as `.npy`
 * files, with `case.json` (manifest.ts) beside them, in `<out>/cases/<sanitised case id>/`. This is how
 * a failure leaves the harness: the folder opens with numpy alone, and `repro.py` replays it on an NPU.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { WHOLE_TENSOR } from '../compare/compare';
import type { CompareMode } from '../compare/types';
import type { CaseInputs, Tensor } from '../data/tensor';
import { UnknownNameError } from '../errors';
import type { Case } from '../expand/case';
import type { Outcome } from '../judge/outcome';
import type { ReferenceOutput } from '../reference/types';
import type { ResultRecord } from '../run/record';
import type { FinishedCase } from '../run/runner';
import {
  checkManifest, judgementOf, SAVED_CASE_FORMAT, SAVED_CASE_VERSION, type SavedCaseManifest, type SavedTensor,
} from './manifest';
import { decodeNpy, encodeNpy, NPY_DESCR, type NpyStorage } from './npy';
import { writeReproScript } from './repro-script';

/** The default size budget of one run's saved cases. */
export const DEFAULT_SAVE_BUDGET_BYTES = 256 * 1024 * 1024;

/** The folder under a run's output directory that holds saved cases. */
export const CASES_DIR = 'cases';

/** Which cases `run --save` keeps: unexpected outcomes (the default), every case, or none. */
export type SaveMode = 'failures' | 'all' | 'none';
export const SAVE_MODES: readonly SaveMode[] = ['failures', 'all', 'none'];

/** Whether a finished case is saved under the mode. Skips never are: nothing ran. */
export function shouldSave(mode: SaveMode, record: Pick<ResultRecord, 'asExpected' | 'outcome'>): boolean {
  if (mode === 'none' || record.outcome.status === 'skip') return false;
  return mode === 'all' || !record.asExpected;
}

/** The bytes a run may spend on saved cases; a case that does not fit is not saved, with the reason. */
export class SaveBudget {
  #used = 0;
  constructor(readonly limitBytes: number = DEFAULT_SAVE_BUDGET_BYTES) {}
  get usedBytes(): number {
    return this.#used;
  }
  /** Reserves the bytes if they fit; returns why not otherwise. */
  take(bytes: number): string | null {
    if (this.#used + bytes > this.limitBytes) {
      return `${bytes} bytes would exceed the save budget (${this.#used} of ${this.limitBytes} bytes used)`;
    }
    this.#used += bytes;
    return null;
  }
}

/** What saving one case came to. */
export type SaveResult = { status: 'saved'; dir: string; bytes: number } | { status: 'not-saved'; reason: string };

/**
 * A case id as a folder name: characters outside `[A-Za-z0-9._@+=,-]` become `_`, and a short hash of
 * the id is appended whenever anything was replaced (or the name was cut), so two ids never share a folder.
 */
export function sanitiseCaseId(id: string): string {
  const plain = id.replace(/[^A-Za-z0-9._@+=,-]/g, '_').replace(/^\.+/, '_');
  const short = plain.length > 180 ? plain.slice(0, 180) : plain;
  if (short === id) return id;
  return `${short}-${createHash('sha256').update(id).digest('hex').slice(0, 10)}`;
}

/** Everything a saved case holds, whoever produced it (the runner, repro, shrink). */
export interface CaseArtifacts {
  case: Case;
  inputs: CaseInputs;
  /** the kernel's output, or null when it produced none */
  output: Tensor | null;
  reference: ReferenceOutput | null;
  compare: CompareMode;
  /** the recorded result, when the case ran */
  result: Pick<ResultRecord, 'backend' | 'device' | 'simulated' | 'outcome' | 'asExpected' | 'replay'> | null;
}

const storageOf = (t: Tensor): NpyStorage => (t.dtype === 'bfloat16' ? 'uint16' : t.dtype);

interface Planned {
  entry: SavedTensor;
  tensor: Tensor;
}

/**
 * Writes the case folder: every tensor as .npy and case.json. The budget is checked before anything is
 * written, so a refused case leaves no partial folder.
 */
export function writeSavedCase(folder: string, a: CaseArtifacts, budget?: SaveBudget): SaveResult {
  const planned: Planned[] = [];
  const plan = (name: string, t: Tensor, layout: 'ND' | 'NZ' = 'ND'): SavedTensor => {
    const storage = storageOf(t);
    const entry: SavedTensor = {
      file: `${name}.npy`, dtype: t.dtype, storage, descr: NPY_DESCR[storage], shape: [...t.shape], packing: { kind: 'none' }, layout,
    };
    planned.push({ entry, tensor: t });
    return entry;
  };
  const maybe = (name: string, t: Tensor | null): SavedTensor | null => (t === null ? null : plan(name, t));
  const { inputs, reference } = a;
  const manifestInputs: SavedCaseManifest['inputs'] = {
    x1: plan('x1', inputs.x1),
    weight: plan('weight', inputs.weight, a.case.call.weightFormat),
    scale: plan('scale', inputs.scale),
    offset: maybe('offset', inputs.offset),
    bias: maybe('bias', inputs.bias),
    pertoken_scale: maybe('pertoken_scale', inputs.pertoken_scale),
    scaleSource: inputs.scaleSource
      ? { scale: plan('scale_source', inputs.scaleSource.scale), offset: maybe('scale_source_offset', inputs.scaleSource.offset) }
      : null,
  };
  const output = maybe('output', a.output);
  const manifestReference: SavedCaseManifest['reference'] = reference === null ? null : {
    path: reference.path,
    compare: a.compare,
    expected: plan('expected', reference.expected),
    alternatives: reference.alternatives.map((alt) => ({
      kind: alt.kind, applies: WHOLE_TENSOR.has(alt.kind) ? 'per-tensor' as const : 'per-element' as const,
      tensor: plan(`expected_${alt.kind}`, alt.values),
    })),
  };
  const encoded = planned.map((p) => ({ file: p.entry.file, bytes: encodeNpy({ storage: p.entry.storage, shape: p.tensor.shape, data: p.tensor.data }) }));
  const bytes = encoded.reduce((s, e) => s + e.bytes.length, 0);
  const refused = budget?.take(bytes) ?? null;
  if (refused !== null) return { status: 'not-saved', reason: refused };

  const manifest: SavedCaseManifest = {
    format: SAVED_CASE_FORMAT, version: SAVED_CASE_VERSION, caseId: a.case.id, product: a.case.product,
    run: a.result ? { backend: a.result.backend, device: a.result.device, simulated: a.result.simulated } : null,
    outcome: a.result?.outcome ?? null, asExpected: a.result?.asExpected ?? null, replay: a.result?.replay ?? null,
    case: a.case, judgement: judgementOf(a.case), inputs: manifestInputs, output, reference: manifestReference, bytes,
  };
  fs.mkdirSync(folder, { recursive: true });
  for (const e of encoded) fs.writeFileSync(path.join(folder, e.file), e.bytes);
  fs.writeFileSync(path.join(folder, 'case.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { status: 'saved', dir: folder, bytes };
}

/** The folder of a case under a run's output directory. */
export function caseFolder(outDir: string, caseId: string): string {
  return path.join(outDir, CASES_DIR, sanitiseCaseId(caseId));
}

/**
 * The runner's hook: saves one finished case under `<dir>/cases/`. A case over the budget is listed in
 * `<dir>/cases/not-saved.jsonl` with the reason. Returns the folder (the results record's `saved`), or null.
 */
export function saveCase(
  dir: string, record: ResultRecord, inputs: CaseInputs, output: Tensor | null, reference: ReferenceOutput | null,
  options: { budget?: SaveBudget; compare?: CompareMode } = {},
): SaveResult {
  const folder = caseFolder(dir, record.caseId);
  const result = writeSavedCase(folder, {
    case: record.case, inputs, output, reference, compare: options.compare ?? 'exact', result: record,
  }, options.budget);
  if (result.status === 'not-saved') {
    fs.mkdirSync(path.join(dir, CASES_DIR), { recursive: true });
    fs.appendFileSync(path.join(dir, CASES_DIR, 'not-saved.jsonl'), JSON.stringify({ caseId: record.caseId, reason: result.reason }) + '\n');
  }
  return result;
}

/** A saved case read back: the manifest and its tensors as the harness holds them. */
export interface SavedCase {
  manifest: SavedCaseManifest;
  inputs: CaseInputs;
  output: Tensor | null;
  expected: Tensor | null;
  alternatives: { kind: string; applies: 'per-tensor' | 'per-element'; values: Tensor }[];
  outcome: Outcome | null;
}

/** Reads a saved case folder (outside input: the manifest is validated and every file checked against it). */
export function readSavedCase(folder: string): SavedCase {
  const file = path.join(folder, 'case.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
  const manifest = checkManifest(parsed, file);
  const load = (entry: SavedTensor): Tensor => {
    const where = path.join(folder, entry.file);
    const arr = decodeNpy(fs.readFileSync(where), where);
    if (arr.storage !== entry.storage || arr.shape.join(',') !== entry.shape.join(',')) {
      throw new Error(`${where}: holds ${arr.storage} [${arr.shape.join(', ')}], case.json says ${entry.storage} [${entry.shape.join(', ')}]`);
    }
    return { dtype: entry.dtype === 'int4' ? 'int32' : entry.dtype, shape: arr.shape, data: arr.data };
  };
  const maybe = (e: SavedTensor | null): Tensor | null => (e === null ? null : load(e));
  const i = manifest.inputs;
  const inputs: CaseInputs = {
    x1: load(i.x1), weight: load(i.weight), scale: load(i.scale), offset: maybe(i.offset), bias: maybe(i.bias),
    pertoken_scale: maybe(i.pertoken_scale),
    ...(i.scaleSource ? { scaleSource: { scale: load(i.scaleSource.scale), offset: maybe(i.scaleSource.offset) } } : {}),
  };
  return {
    manifest, inputs, output: maybe(manifest.output), expected: manifest.reference ? load(manifest.reference.expected) : null,
    alternatives: (manifest.reference?.alternatives ?? []).map((a) => ({ kind: a.kind, applies: a.applies, values: load(a.tensor) })),
    outcome: manifest.outcome,
  };
}

/** `--save` text as a mode; an unknown one lists the valid ones. */
export function parseSaveMode(text: string): SaveMode {
  if (!(SAVE_MODES as readonly string[]).includes(text)) throw new UnknownNameError('save mode', text, SAVE_MODES);
  return text as SaveMode;
}

/**
 * The hook `run --save` gives the runner (which may not import this stage): saves a finished case when
 * the mode asks for it, within the budget, and returns the folder relative to the run's directory (the
 * results record's `saved`), or null.
 */
export function caseSaver(outDir: string, mode: SaveMode, budget = new SaveBudget()): (f: FinishedCase) => string | null {
  return (f) => {
    if (!shouldSave(mode, f.record)) return null;
    const res = saveCase(outDir, f.record, f.inputs, f.output, f.reference(), { budget, compare: f.compare });
    if (res.status !== 'saved') return null;
    // the kernel's owners get the standalone script with the data, as `a8w8 repro` writes it
    writeReproScript(res.dir, readSavedCase(res.dir).manifest);
    return path.relative(outDir, res.dir);
  };
}
