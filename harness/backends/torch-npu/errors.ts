/**
 * Failures of the worker itself, as opposed to the library rejecting a call (a `rejected` run).
 * The runner records a WorkerTimeoutError as `timeout` and every other thrown error as `error`;
 * the backend has already killed and restarted the worker by the time either reaches the runner.
 */

/** The case ran past its timeout: the worker was killed with SIGKILL. */
export class WorkerTimeoutError extends Error {
  override readonly name = 'WorkerTimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number, what: string) {
    super(`${what} did not finish within ${timeoutMs} ms; the worker was killed and will be restarted`);
  }
}

/** The worker process ended while a request was pending (a crash of the library or of Python). */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
  readonly code = 'EWORKERCRASH';
  constructor(readonly exitCode: number | null, readonly signal: string | null, readonly stderrTail: string) {
    super(`the torch-npu worker exited (code ${exitCode}, signal ${signal}) during the request` +
      (stderrTail ? `; its last stderr:\n${stderrTail}` : ''));
  }
}

/** The worker's own code failed and said so in an error reply; the backend replaces that worker before the next case. */
export class WorkerReplyError extends Error {
  override readonly name = 'WorkerReplyError';
  readonly code = 'EWORKER';
  constructor(readonly remoteType: string, remoteMessage: string, readonly remoteTraceback: string) {
    super(`worker error ${remoteType}: ${remoteMessage}`);
  }
}

/** The run was aborted through its AbortSignal; the worker was killed since Python cannot be interrupted. */
export class WorkerAbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor() {
    super('the run was aborted; the worker was killed and will be restarted');
  }
}

/** True for the error a case timeout produces, whatever module threw it. */
export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === 'ETIMEDOUT';
}
