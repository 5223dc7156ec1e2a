import { spawn, type ChildProcess } from 'node:child_process';
import type { Tensor } from '../../data/tensor';
import { WorkerAbortError, WorkerCrashError, WorkerReplyError, WorkerTimeoutError } from './errors';
import { encodeFrameParts, FrameReader, type Frame } from './framing';

/** How to start one worker process. */
export interface WorkerSpawnOptions {
  python: string;
  workerPath: string;
  device: number;
  env: NodeJS.ProcessEnv;
}

/** Limits of one request. */
export interface RequestLimits {
  timeoutMs: number;
  /** what the request is, for the timeout message */
  what: string;
  signal?: AbortSignal;
}

const STDERR_KEEP = 16 * 1024;

interface Pending {
  resolve(frame: Frame): void;
  reject(err: Error): void;
}

/**
 * One worker process and its pipes. Requests go one at a time (the worker is single-threaded); a
 * timeout or an abort kills the process with SIGKILL, since a call stuck in a kernel cannot be
 * interrupted. A dead client stays dead: the backend starts a new one.
 */
export class WorkerClient {
  readonly #child: ChildProcess;
  readonly #reader = new FrameReader();
  #pending: Pending | null = null;
  #stderr = '';
  #exit: { code: number | null; signal: string | null } | null = null;
  #nextId = 1;
  readonly exited: Promise<void>;

  constructor(opts: WorkerSpawnOptions) {
    this.#child = spawn(opts.python, ['-u', opts.workerPath, '--device', String(opts.device)], {
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.stdout!.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    this.#child.stdin!.on('error', () => { /* EPIPE after a crash: the exit handler reports it */ });
    this.exited = new Promise((resolve) => {
      const onGone = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.#exit) return;
        this.#exit = { code, signal };
        this.#fail(new WorkerCrashError(code, signal, this.stderrTail()));
        resolve();
      };
      // 'close', not 'exit': stdout is drained by then, so a reply written just before the end still counts
      this.#child.on('close', onGone);
      this.#child.on('error', (err) => {
        this.#stderr += `\nspawn failed: ${err.message}`;
        onGone(null, null);
      });
    });
  }

  get alive(): boolean {
    return this.#exit === null;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The last lines the worker wrote to stderr (library warnings, tracebacks, crash messages). */
  stderrTail(lines = 40): string {
    return this.#stderr.split('\n').slice(-lines).join('\n').trim();
  }

  /** Sends one request and waits for its reply; error replies become WorkerReplyError. */
  async request(header: Record<string, unknown>, tensors: ReadonlyArray<[string, Tensor]>,
    limits: RequestLimits): Promise<Frame> {
    if (this.#pending) throw new Error('torch-npu worker: a request is already in flight');
    if (!this.alive) throw new WorkerCrashError(this.#exit!.code, this.#exit!.signal, this.stderrTail());
    if (limits.signal?.aborted) throw new WorkerAbortError();
    const id = this.#nextId++;
    const frame = await new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        settle(() => reject(new WorkerTimeoutError(limits.timeoutMs, limits.what)));
      }, limits.timeoutMs);
      const onAbort = (): void => {
        this.kill();
        settle(() => reject(new WorkerAbortError()));
      };
      const settle = (fn: () => void): void => {
        clearTimeout(timer);
        limits.signal?.removeEventListener('abort', onAbort);
        if (this.#pending === pending) this.#pending = null;
        fn();
      };
      const pending: Pending = {
        resolve: (f) => settle(() => resolve(f)),
        reject: (e) => settle(() => reject(e)),
      };
      this.#pending = pending;
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      // the parts go out as one write of several buffers: the inputs are not copied into a frame first
      const stdin = this.#child.stdin!;
      stdin.cork();
      for (const part of encodeFrameParts({ ...header, id }, tensors)) stdin.write(part);
      stdin.uncork();
    });
    if (frame.header.id !== id) throw new Error(`torch-npu worker: reply ${frame.header.id} to request ${id}`);
    if (frame.header.ok !== true) {
      const h = frame.header as { errorType?: string; message?: string; traceback?: string };
      throw new WorkerReplyError(h.errorType ?? 'Error', h.message ?? '(no message)', h.traceback ?? '');
    }
    return frame;
  }

  /** Kills the process at once (SIGKILL); pending requests fail with the caller's error. */
  kill(): void {
    if (this.alive) this.#child.kill('SIGKILL');
  }

  /** Asks the worker to exit, and kills it if it has not within graceMs. */
  async shutdown(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    if (!this.#pending) {
      this.request({ cmd: 'shutdown' }, [], { timeoutMs: graceMs, what: 'shutdown' }).catch(() => undefined);
    }
    this.#child.stdin!.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  #onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#reader.push(chunk);
    } catch (err) {
      this.#fail(new Error(`torch-npu worker: malformed reply: ${(err as Error).message}`));
      this.kill();
      return;
    }
    for (const frame of frames) {
      const pending = this.#pending;
      if (pending) pending.resolve(frame);
    }
  }

  #fail(err: Error): void {
    const pending = this.#pending;
    if (pending) pending.reject(err);
  }
}
