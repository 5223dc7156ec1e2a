import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { CaseInputs } from '../../data/tensor';
import type { Case } from '../../expand/case';
import { caseTimeoutMs, DeadlineError, timerDelay } from '../../run/timeout';
import type { Backend, BackendRun, DeviceInfo, OpenOptions } from '../types';
import type { ErrorInfo, Opened, Reply, Request } from './protocol';

/** The per-case limit when open() is given none (the CLI always gives --timeout). */
const DEFAULT_TIMEOUT_MS = 120_000;
/** How long a closed plugin's process may take to exit before it is killed. */
const EXIT_GRACE_MS = 2000;
const STDERR_KEEP = 16 * 1024;

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
type Op = Distribute<Request>;

/** An error thrown by the plugin, with the name and code it had on the other side. */
class PluginError extends Error {
  readonly code: string | undefined;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.code = info.code;
  }
}

/** The plugin's process ended while a request was pending. */
class PluginExitError extends Error {
  override readonly name = 'PluginExitError';
  constructor(what: string, code: number | null, signal: string | null, stderrTail: string) {
    super(`the plugin's process exited (code ${code}, signal ${signal}) during ${what}` + (stderrTail ? `; its last stderr:\n${stderrTail}` : ''));
  }
}

class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor() {
    super("the run was aborted; the plugin's process was killed and will be restarted");
  }
}

/** One process running the plugin; requests go one at a time. A dead process stays dead. */
class PluginProcess {
  readonly #child: ChildProcess;
  #pending: { what: string; resolve(v: unknown): void; reject(e: Error): void } | null = null;
  #nextId = 1;
  /** the id of the pending request: a late answer to one given up on is dropped */
  #expected = 0;
  #stderr = '';
  #alive = true;
  readonly exited: Promise<void>;

  constructor() {
    // Its own process, not a thread: a crash in a plugin's native code takes down only this process.
    this.#child = fork(path.join(__dirname, 'child.js'), [], {
      serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [],
    });
    // A plugin's prints are diagnostics: to the harness's stderr, never into its stdout (failure lines).
    const keep = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    };
    this.#child.stdout!.on('data', keep);
    this.#child.stderr!.on('data', keep);
    this.#child.on('message', (reply: Reply) => this.#onReply(reply));
    this.exited = new Promise((resolve) => {
      const onGone = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.#alive = false;
        const pending = this.#pending;
        this.#pending = null;
        pending?.reject(new PluginExitError(pending.what, code, signal, this.#stderr.split('\n').slice(-40).join('\n').trim()));
        resolve();
      };
      this.#child.on('exit', onGone);
      this.#child.on('error', (err) => {
        this.#stderr += `\nstarting the plugin's process failed: ${err.message}`;
        onGone(null, null);
      });
    });
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Sends one request; past `limitMs` (or on abort) the process is killed and the request rejects. */
  request(op: Op, what: string, limitMs: number, signal?: AbortSignal): Promise<unknown> {
    if (!this.#alive) return Promise.reject(new Error(`the plugin's process is gone (before ${what})`));
    if (this.#pending) return Promise.reject(new Error(`plugin host: ${what} while ${this.#pending.what} is pending`));
    if (signal?.aborted) return Promise.reject(new AbortError());
    return new Promise((resolve, reject) => {
      const settle = (fn: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending = null;
        fn();
      };
      const timer = setTimeout(() => {
        settle(() => reject(new DeadlineError(limitMs, what, "the plugin's process was killed")));
        this.kill();
      }, timerDelay(limitMs));
      const onAbort = (): void => {
        settle(() => reject(new AbortError()));
        this.kill();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending = { what, resolve: (v) => settle(() => resolve(v)), reject: (e) => settle(() => reject(e)) };
      const id = this.#nextId++;
      this.#expected = id;
      this.#child.send({ ...op, id } as Request, (err) => {
        if (!err) return;
        this.#pending?.reject(new Error(`sending ${what} to the plugin's process: ${err.message}`));
        this.kill();
      });
    });
  }

  #onReply(reply: Reply): void {
    const pending = this.#pending;
    if (!pending || reply?.id !== this.#expected) return;
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new PluginError(reply.error));
  }

  /** Kills the process at once (dead from now on); a pending request fails with its caller's error. */
  kill(): void {
    if (!this.#alive) return;
    this.#child.kill('SIGKILL');
    this.#alive = false;
    const pending = this.#pending;
    this.#pending = null;
    pending?.reject(new Error("the plugin's process was killed"));
  }

  /** Lets the process exit (its channel closed), and kills it if it has not within the grace. */
  async end(): Promise<void> {
    if (this.#alive && this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.kill(), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * A plugin backend (a module loaded by path) run in a process of its own: the harness's thread never
 * executes plugin code, so any hang (a synchronous busy loop, a promise that never settles) can be
 * killed. Time limits: run() gets the per-case timeout (--timeout); open() and close() each get the
 * same limit (a plugin's set-up may take as long as one case). After a timeout or a crash the process is killed
 * and a new one is started at once (loading the module and calling open() again) for the next case.
 */
export class PluginHost implements Backend {
  readonly #file: string;
  #name: string;
  #opts: OpenOptions | null = null;
  #proc: PluginProcess | null = null;
  #starting: Promise<PluginProcess> | null = null;
  #closed = false;
  /** the plugin's own word on whether it is simulated: only a plugin that says it is not gets the plain limit */
  #simulated = true;

  constructor(file: string) {
    this.#file = file;
    this.#name = path.basename(file);
  }

  /** The plugin's own name once it is open, its file name before. */
  get name(): string {
    return this.#name;
  }

  #limitMs(): number {
    return this.#opts?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async open(opts: OpenOptions): Promise<DeviceInfo> {
    this.#opts = opts;
    const { proc, info } = await this.#start();
    this.#proc = proc;
    this.#simulated = (info as Partial<DeviceInfo> | null)?.simulated !== false;
    return info as DeviceInfo; // validated by the caller, like every backend's
  }

  async run(c: Case, inputs: CaseInputs, signal: AbortSignal): Promise<BackendRun> {
    const proc = await this.#process();
    try {
      return await proc.request({ op: 'run', c, inputs }, `case ${c.id}`, caseTimeoutMs(c, this.#limitMs(), this.#simulated), signal) as BackendRun;
    } catch (err) {
      if (!proc.alive) this.#respawnSoon();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const starting = this.#starting;
    if (starting) await starting.catch(() => undefined);
    const proc = this.#proc;
    this.#proc = null;
    if (!proc?.alive) return;
    try {
      await proc.request({ op: 'close' }, 'close()', this.#limitMs());
    } finally {
      await proc.end();
    }
  }

  /** A new process with the plugin loaded and opened; killed if that fails or takes too long. */
  async #start(): Promise<{ proc: PluginProcess; info: unknown }> {
    const proc = new PluginProcess();
    try {
      const opened = await proc.request({ op: 'open', file: this.#file, opts: this.#opts ?? {} }, 'open()', this.#limitMs()) as Opened;
      this.#name = opened.name;
      return { proc, info: opened.info };
    } catch (err) {
      proc.kill();
      throw err;
    }
  }

  /** The live process, or its replacement being started (one start at a time). */
  #process(): Promise<PluginProcess> {
    if (this.#closed) return Promise.reject(new Error(`plugin ${this.#name} is closed`));
    if (!this.#opts) return Promise.reject(new Error(`plugin ${this.#name}: call open() before run()`));
    if (this.#proc?.alive) return Promise.resolve(this.#proc);
    if (!this.#starting) {
      const starting = this.#start().then(
        ({ proc }) => {
          this.#proc = proc;
          return proc;
        },
        (err: Error) => {
          throw new Error(`restarting the plugin's process after a hang or crash: ${err.name}: ${err.message}`);
        },
      );
      this.#starting = starting;
      starting.catch(() => undefined).finally(() => { if (this.#starting === starting) this.#starting = null; });
    }
    return this.#starting;
  }

  /** Starts the replacement now, so the next case does not wait for it; its failure resurfaces there. */
  #respawnSoon(): void {
    this.#proc = null;
    if (!this.#closed) this.#process().catch(() => undefined);
  }
}
