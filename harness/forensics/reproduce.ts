/**
 * `repro`'s work: rebuild a case's inputs from its seed, compute the reference's admissible answers,
 * optionally run it once on a backend (judged by the runner's own machinery), and write the saved-case
 * folder with its repro.py.
 */
import * as path from 'path';
import type { Backend, BackendRun } from '../backends/types';
import type { CompareMode } from '../compare/types';
import { generateInputs } from '../data/generate';
import type { Tensor } from '../data/tensor';
import type { Case } from '../expand/case';
import type { ReferenceImpl } from '../reference/impl';
import { computeReference } from '../reference/reference';
import type { ReferenceOptions, ReferenceOutput } from '../reference/types';
import type { ResultRecord } from '../run/record';
import { runCase, type CaseRunContext, type Slot } from '../run/runner';
import type { Product, Spec } from '../spec/types';
import { judgementOf } from './manifest';
import { writeReproScript } from './repro-script';
import { readSavedCase, sanitiseCaseId, writeSavedCase } from './save';

/**
 * The reference's options when no device says which torch_npu runs: the product's fp16 overflow facts,
 * and both scale conversions of the bf16 path admitted (the torch_npu version decides which, see
 * harness/run/reference-options.ts).
 */
export function referenceOptionsWithoutDevice(product: Product): ReferenceOptions {
  return { fp16Overflow: product.fp16Overflow?.value ?? 'either', bf16ScaleTruncation: 'either' };
}

/** A slot whose backend keeps its last answer, so the output the runner judged can be saved too. */
export function capturingSlot(slot: Slot): { slot: Slot; last(): BackendRun | null } {
  let last: BackendRun | null = null;
  const inner = slot.backend;
  const backend: Backend = {
    name: inner.name,
    open: (o) => inner.open(o),
    close: () => inner.close(),
    run: async (c, inputs, signal) => {
      last = null;
      last = await inner.run(c, inputs, signal);
      return last;
    },
  };
  return { slot: { backend, info: slot.info }, last: () => last };
}

/** The reference's answers where the judge reads values; null where none is defined (broken shapes). */
export function referenceFor(c: Case, inputs: ReturnType<typeof generateInputs>, options: ReferenceOptions, impl: ReferenceImpl): ReferenceOutput | null {
  if (judgementOf(c).values === 'unjudged' && c.expect === 'reject') return null;
  try {
    return computeReference({ ...c, groupSizes: c.call.groupSizes }, inputs, options, impl);
  } catch {
    return null; // e.g. dtypes no path knows (module probes)
  }
}

export interface ReproOptions {
  spec: Spec;
  case: Case;
  outDir: string;
  reference: ReferenceImpl;
  referenceOptions: ReferenceOptions;
  compare: CompareMode;
  /** run the case once on this slot and save what it did */
  run?: { slot: Slot; context: CaseRunContext };
  /** a result recorded earlier for exactly this case (its outcome goes into case.json when not run here) */
  record?: ResultRecord | null;
  /** the kernel's output of that recorded run, when the caller kept it */
  output?: Tensor | null;
}

export interface ReproResult {
  folder: string;
  script: string;
  record: ResultRecord | null;
}

export async function reproduce(o: ReproOptions): Promise<ReproResult> {
  const c = o.case;
  const inputs = generateInputs(o.spec, c);
  const reference = referenceFor(c, inputs, o.referenceOptions, o.reference);
  let record = o.record ?? null;
  let output: Tensor | null = o.output ?? null;
  if (o.run) {
    const cap = capturingSlot(o.run.slot);
    record = await runCase({ ...o.run.context, retries: 0 }, cap.slot, c);
    const last = cap.last();
    output = last?.status === 'ok' ? last.output : null;
  }
  const folder = path.join(o.outDir, 'cases', sanitiseCaseId(c.id));
  writeSavedCase(folder, { case: c, inputs, output, reference, compare: o.compare, result: record });
  const script = writeReproScript(folder, readSavedCase(folder).manifest);
  return { folder, script, record };
}
