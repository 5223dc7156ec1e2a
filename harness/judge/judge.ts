import type { BackendRun } from '../backends/types';
import { compareOutputs, type CompareOptions } from '../compare/compare';
import type { Comparison } from '../compare/types';
import { sameElements } from '../data/tensor';
import type { Case } from '../expand/case';
import type { ReferenceOutput } from '../reference/types';
import type { Outcome } from './outcome';

/** What happened when the case ran: the backend's answer, or the runner's word that it crashed or hung. */
export type RunEvent =
  | { kind: 'ran'; run: BackendRun }
  | { kind: 'crashed'; message: string }
  | { kind: 'timed-out'; limitMs: number };

/**
 * Judges one case (a pure function): the doc's verdict, the kernel's behaviour, the reference (where the
 * kernel produced values), and any divergence give exactly one outcome.
 * `reference` is needed only when the run is ok; pass a thunk so it is computed only then.
 */
export function judgeCase(c: Case, event: RunEvent, reference: () => ReferenceOutput, compare: CompareOptions): Outcome {
  if (event.kind === 'crashed') return { status: 'error', message: event.message };
  if (event.kind === 'timed-out') return { status: 'timeout', limitMs: event.limitMs };
  const run = event.run;
  if (run.status === 'skip') return { status: 'skip', reason: run.reason };
  const divergence = c.divergence;

  // Inputs outside the contract (inf, NaN, denormal scales) run for robustness; a crash or hang
  // counts, a rejection is fine, and the numbers are never judged.
  if (c.tags.includes('undefined-input') && c.expect === 'accept') {
    if (run.status === 'rejected') return { status: 'rejected', errorType: run.errorType, message: run.message, errorClass: run.errorClass };
    return { status: 'pass', metrics: compareOutputs(run.output, reference(), compare).metrics };
  }

  if (run.status === 'rejected') {
    const err = { errorType: run.errorType, message: run.message, errorClass: run.errorClass };
    // Defect class 1: a call must be refused with a parameter error, never an inner (device) error,
    // whether the doc rejects it or a divergence says the library does.
    const cleanRefusal = c.expect === 'reject' || divergence?.library === 'reject';
    if (cleanRefusal && run.errorClass === 'inner') {
      return { status: 'fail', reason: `rejected with an inner error, expected a parameter error: ${run.errorType}: ${run.message}`, metrics: null, worst: [] };
    }
    // A module guard that is missing lets the op refuse the call instead: the refusal then has the op's
    // error type, not the one the module raises before calling it.
    const guard = c.rejectedBy?.kind === 'module' && c.call.target === 'module' ? c.rejectedBy.raises : undefined;
    if (guard !== undefined && run.errorType !== guard) {
      return { status: 'fail', reason: `refused with ${run.errorType}, expected the module's guard ${c.rejectedBy!.rule} to raise ${guard} before the op is called: ${run.message}`, metrics: null, worst: [] };
    }
    if (c.expect === 'accept') {
      return divergence?.library === 'reject'
        ? { status: 'divergence', divergence, detail: `rejected as the divergence says: ${run.errorType}: ${run.message}`, metrics: null }
        : { status: 'unexpected-reject', ...err };
    }
    return { status: 'rejected', ...err };
  }

  // The kernel accepted a case the doc rejects: no values to judge unless a divergence says it may
  // (the reference may not even be defined for broken shapes).
  if (c.expect === 'reject' && divergence?.library !== 'accept') return { status: 'unexpected-accept', metrics: null };
  // Defect class 10 needs every run: a backend that skips the repeats cannot vouch for determinism.
  const repeats = run.repeats ?? [];
  if (c.repeat > 1 && repeats.length !== c.repeat - 1) {
    return { status: 'error', message: `backend returned ${repeats.length + 1} run(s); the case asks for ${c.repeat}` };
  }
  // The kernel produced values: judge them, and repeats must be bit-identical.
  const cmp: Comparison = compareOutputs(run.output, reference(), compare);
  const repeatProblem = repeats.findIndex((r) => !sameTensor(r, run.output));
  if (c.expect === 'reject' && divergence?.library === 'accept') {
    return cmp.status === 'match'
      ? { status: 'divergence', divergence, detail: 'accepted as the divergence says, values right', metrics: cmp.metrics }
      : { status: 'fail', reason: `accepted as divergence ${divergence.id} says, but values wrong: ${cmp.reason}`, metrics: cmp.metrics, worst: cmp.worst };
  }
  if (repeatProblem >= 0) {
    return { status: 'fail', reason: `nondeterministic: run ${repeatProblem + 2} differs from run 1`, metrics: cmp.metrics, worst: cmp.worst };
  }
  return cmp.status === 'match'
    ? { status: 'pass', metrics: cmp.metrics }
    : { status: 'fail', reason: cmp.reason, metrics: cmp.metrics, worst: cmp.worst };
}

function sameTensor(a: { dtype: string; shape: number[]; data: ArrayLike<unknown> }, b: typeof a): boolean {
  if (a.dtype !== b.dtype || a.shape.join(',') !== b.shape.join(',') || a.data.length !== b.data.length) return false;
  return sameElements(a.data, b.data);
}
