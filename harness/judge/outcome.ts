import type { DeviceTimings } from '../backends/types';
import type { ElementDiff, Metrics } from '../compare/types';
import type { Divergence } from '../expand/case';

/**
 * The outcome of one case on one backend: a union on `status`.
 * - pass: a case the doc accepts ran and its values are right
 * - fail: accepted but wrong values, nondeterministic repeats, or rejected with an inner error
 * - rejected: a case the doc rejects was rejected, cleanly
 * - unexpected-accept / unexpected-reject: the kernel's verdict is not the doc's (and no divergence explains it)
 * - divergence: the kernel did what a known divergence says the shipped library does
 * - error / timeout: the backend crashed or hung on this case
 * - skip: not run, with the reason
 */
export type Outcome =
  | { status: 'pass'; metrics: Metrics }
  | { status: 'fail'; reason: string; metrics: Metrics | null; worst: ElementDiff[] }
  | { status: 'rejected'; errorType: string; message: string; errorClass: string }
  | { status: 'unexpected-accept'; metrics: Metrics | null }
  | { status: 'unexpected-reject'; errorType: string; message: string; errorClass: string }
  | { status: 'divergence'; divergence: Divergence; detail: string; metrics: Metrics | null }
  | { status: 'error'; message: string }
  | { status: 'timeout'; limitMs: number }
  | { status: 'skip'; reason: string };

export type OutcomeStatus = Outcome['status'];

export const OUTCOME_STATUSES: readonly OutcomeStatus[] = [
  'pass', 'fail', 'rejected', 'unexpected-accept', 'unexpected-reject', 'divergence', 'error', 'timeout', 'skip',
];

/** Outcomes that need no explanation: anything else is unexpected unless an expectation file lists it. */
export const EXPECTED_BY_DEFAULT: ReadonlySet<OutcomeStatus> = new Set(['pass', 'rejected', 'divergence', 'skip']);

/** Timings recorded with a result (from the backend, plus the harness's own wall clock). */
export interface ResultTimings {
  /** the case from start to record, every attempt included (not the --save folder) */
  wallMs: number;
  referenceMs: number | null;
  device: DeviceTimings | null;
  /**
   * Where the case's wall time went, in ms summed over its attempts (additive fields: records written
   * before them lack them): generating the inputs, the backend's run call (for a worker or plugin
   * process this includes moving the inputs and output across), and judging without the reference.
   * Zero for a step the case never reached.
   */
  generateMs?: number;
  backendMs?: number;
  judgeMs?: number;
  /** writing the case's --save folder, when it was saved */
  saveMs?: number;
}
