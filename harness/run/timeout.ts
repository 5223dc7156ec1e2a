import { ErrorCode, HarnessError } from '../errors';

/**
 * Node's timers hold a signed 32-bit count of milliseconds: a longer delay fires after 1 ms instead,
 * which would record every case as `timeout`. The per-case limit stays well below it, so that the
 * runner's grace and the open/close allowance added to it still fit.
 */
export const MAX_TIMEOUT_MS = 2_000_000_000;

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `--timeout <ms>`: an integer from 1 to MAX_TIMEOUT_MS, or a BAD_ARGUMENT error naming the flag. */
export function parseTimeoutMs(text: string, flag = '--timeout'): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMEOUT_MS) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT,
      `${flag} expects an integer number of ms from 1 to ${MAX_TIMEOUT_MS} (about 23 days; Node's timers count no further), got '${text}'`);
  }
  return n;
}

/** A delay setTimeout can hold: callers that add allowances to a timeout pass through here. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(ms, 0), MAX_TIMER_MS);
}

/** A time limit ran out (open, close, or a case); `code` is what the runner recognises as a timeout. */
export class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
  /** `then`: what was done about it, e.g. that the process was killed */
  constructor(readonly limitMs: number, what: string, then?: string) {
    super(`${what} did not finish within ${limitMs} ms${then ? `; ${then}` : ''}`);
  }
}

/**
 * `work`, or a DeadlineError after `limitMs`. The work itself is not stopped (code in this thread
 * cannot be): callers that can kill it (a plugin's process) do so themselves.
 */
export function withDeadline<T>(work: Promise<T>, limitMs: number, what: string, then?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(limitMs, what, then)), timerDelay(limitMs));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * The slowest pace a backend is expected to keep, in multiply-adds per millisecond: a CPU stand-in of the
 * kernel under load runs a 1024x4096x4096 product (with timing repeats) in minutes, an NPU in
 * milliseconds. A case's limit grows with its work at this pace, so a large performance case is not
 * called hung on a slow backend while a small one still fails fast.
 */
export const SLOWEST_MACS_PER_MS = 20_000;

/**
 * The per-case limit: on a simulated backend (a CPU stand-in, onnxruntime, a plugin that says so),
 * `--timeout` plus the time the case's work takes at the slowest expected pace; on a real device exactly
 * `--timeout`, so a hang there costs no more than the user asked for.
 */
export function caseTimeoutMs(c: { shapes: { x1: readonly number[]; weight: readonly number[] }; repeat?: number }, baseMs: number, simulated: boolean): number {
  if (!simulated) return baseMs;
  const x1 = c.shapes.x1;
  const w = c.shapes.weight;
  const m = x1[x1.length - 2] ?? 1;
  const k = x1[x1.length - 1] ?? 1;
  const n = w[w.length - 2] ?? 1;
  const rank = Math.max(x1.length, w.length) - 2;
  let batch = 1;
  for (let i = 0; i < rank; i++) batch *= Math.max(x1[x1.length - 3 - i] ?? 1, w[w.length - 3 - i] ?? 1);
  const macs = batch * m * n * k * Math.max(1, c.repeat ?? 1);
  return Math.min(MAX_TIMEOUT_MS, baseMs + Math.ceil(macs / SLOWEST_MACS_PER_MS));
}
