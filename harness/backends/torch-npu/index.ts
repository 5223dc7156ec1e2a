import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Case } from '../../expand/case';
import type { CaseInputs } from '../../data/tensor';
import type { Backend, BackendRun, DeviceInfo, OpenOptions } from '../types';
import { WorkerClient } from './client';
import { WorkerAbortError } from './errors';
import { describeChoice, resolveInterpreter } from './interpreter';
import { namedInputs, parseHello, toBackendRun, type HelloInfo } from './replies';
import { defaultSocFamilies, productForSoc, socFamilies } from './soc-names';
import { timingFor, timingPolicy, type TimingPolicy } from './timing-options';
import { caseTimeoutMs } from '../../run/timeout';

export { WorkerAbortError, WorkerCrashError, WorkerReplyError, WorkerTimeoutError, isTimeout } from './errors';
export { UnknownSocError, productForSoc, socFamilies, defaultSocFamilies } from './soc-names';
export { resolveInterpreter, NoInterpreterError, type InterpreterChoice } from './interpreter';

/** Construction options; the runner passes none, tests use them to pin the interpreter and environment. */
export interface TorchNpuBackendOptions {
  /** interpreter command, bypassing the resolution of interpreter.ts */
  python?: string;
  /** environment of the worker and of the interpreter probes (default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** worker.py (default: found beside this module's sources) */
  workerPath?: string;
  /** how long starting a worker (import torch and torch_npu, hello) may take, ms (default 120000) */
  startupTimeoutMs?: number;
}

const DEFAULT_CASE_TIMEOUT_MS = 120_000;

/** worker.py lives with the sources; the compiled module runs from dist/, so look in both places. */
export function workerScriptPath(): string {
  const candidates = [
    path.join(__dirname, 'worker.py'),
    path.resolve(__dirname, '..', '..', '..', '..', 'harness', 'backends', 'torch-npu', 'worker.py'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`torch-npu: worker.py not found in ${candidates.join(' or ')}`);
  return found;
}

/** Rejects when the signal aborts, without touching the awaited work (a worker still starting). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new WorkerAbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new WorkerAbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The `torch-npu` backend: LinearA8W8Quant and npu_quant_matmul through a persistent Python worker
 * (worker.py) on one device. A case that hangs or crashes the worker costs that case only: the worker
 * is killed, the case throws (WorkerTimeoutError -> `timeout`, anything else -> `error`), and a new
 * worker is started at once for the next case. A worker error reply or an `inner` rejection also
 * replaces the worker (the NPU context may be broken), after the case has its outcome.
 */
export class TorchNpuBackend implements Backend {
  readonly name = 'torch-npu';
  readonly #opts: TorchNpuBackendOptions;
  #python = '';
  #device = 0;
  #timeoutMs = DEFAULT_CASE_TIMEOUT_MS;
  #policy: TimingPolicy = timingPolicy();
  #client: WorkerClient | null = null;
  #starting: Promise<WorkerClient> | null = null;
  #hello: HelloInfo | null = null;
  #lastReply: Record<string, unknown> | null = null;
  #closed = false;

  constructor(opts: TorchNpuBackendOptions = {}) {
    this.#opts = opts;
  }

  /** The last hello of the current worker (tests and diagnostics). */
  get hello(): HelloInfo | null {
    return this.#hello;
  }

  async open(opts: OpenOptions): Promise<DeviceInfo> {
    this.#device = opts.device ?? 0;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
    this.#policy = timingPolicy(opts.options);
    const notes: string[] = [];
    if (this.#opts.python) {
      this.#python = this.#opts.python;
      notes.push(`python: ${this.#python}; given by the caller`);
    } else {
      const choice = await resolveInterpreter({ env: this.#env() });
      this.#python = choice.python;
      notes.push(...describeChoice(choice));
    }
    await this.#worker();
    const hello = this.#hello!;
    try {
      return this.#deviceInfo(hello, opts, notes);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async run(c: Case, inputs: CaseInputs, signal: AbortSignal): Promise<BackendRun> {
    // start-up (import torch, torch_npu) is not charged to the case's timeout
    const client = await unlessAborted(this.#worker(), signal);
    const timing = timingFor(c, this.#policy);
    const { tensors, scalePack } = namedInputs(c, inputs);
    const header: Record<string, unknown> = { cmd: 'run', case: c };
    if (timing) header.timing = timing;
    if (scalePack) header.scalePack = scalePack;
    this.#lastReply = null;
    let run: BackendRun;
    try {
      const frame = await client.request(header, tensors, { timeoutMs: caseTimeoutMs(c, this.#timeoutMs, this.#hello?.standin ?? false), what: `case ${c.id}`, signal });
      this.#lastReply = frame.header;
      run = toBackendRun(frame);
    } catch (err) {
      // killed, crashed, or (a worker error reply) failed mid-run with the device context possibly broken
      this.#replace(client);
      throw err;
    }
    // an inner error (EZ9999, E69999, 507xxx) likely leaves the NPU context unusable; this case keeps its outcome
    if (run.status === 'rejected' && run.errorClass === 'inner') this.#replace(client);
    return run;
  }

  /** The header of the last `run` reply (tests and diagnostics: `weightFormat`, `stage`), null after a failure. */
  get lastReply(): Readonly<Record<string, unknown>> | null {
    return this.#lastReply;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const starting = this.#starting;
    if (starting) await starting.catch(() => undefined);
    const client = this.#client;
    this.#client = null;
    if (client) await client.shutdown();
  }

  #env(): NodeJS.ProcessEnv {
    return this.#opts.env ?? process.env;
  }

  #deviceInfo(hello: HelloInfo, opts: OpenOptions, notes: string[]): DeviceInfo {
    if (!hello.npuAvailable) {
      throw new Error(`torch-npu: torch_npu ${hello.versions.torch_npu} imports but torch.npu.is_available() ` +
        'is false (no NPU or driver visible to this process)');
    }
    const forced = opts.options?.product;
    const families = opts.products ? socFamilies(opts.products) : defaultSocFamilies();
    const product = forced ?? productForSoc(hello.socName, families);
    if (forced) notes.push(`product ${forced} given by the caller; the SoC reports ${hello.socName}`);
    if (hello.standin) notes.push('torch_npu is the a8w8 stand-in on CPU torch: simulated, never a qualification');
    if (!hello.graphMode.available) notes.push(`graph mode cases are skipped: ${hello.graphMode.reason}`);
    return {
      backend: this.name,
      product,
      socName: hello.socName,
      device: hello.device,
      simulated: hello.standin,
      versions: { ...hello.versions },
      enforcesContract: true,
      notes,
    };
  }

  /** The running worker, or one being started (a single start at a time). */
  #worker(): Promise<WorkerClient> {
    if (this.#closed) return Promise.reject(new Error('torch-npu backend is closed'));
    if (!this.#python) return Promise.reject(new Error('torch-npu backend: call open() before run()'));
    if (this.#client?.alive) return Promise.resolve(this.#client);
    if (!this.#starting) {
      const starting = this.#start();
      this.#starting = starting;
      starting.then((client) => { this.#client = client; }, () => undefined)
        .finally(() => { if (this.#starting === starting) this.#starting = null; });
    }
    return this.#starting;
  }

  async #start(): Promise<WorkerClient> {
    const client = new WorkerClient({
      python: this.#python, workerPath: this.#opts.workerPath ?? workerScriptPath(), device: this.#device,
      env: this.#env(),
    });
    try {
      const frame = await client.request({ cmd: 'hello' }, [],
        { timeoutMs: this.#opts.startupTimeoutMs ?? 120_000, what: 'worker start-up (import torch, torch_npu)' });
      this.#hello = parseHello(frame);
      return client;
    } catch (err) {
      client.kill();
      throw err;
    }
  }

  /** Kills a worker that cannot be trusted any more and starts its replacement. */
  #replace(client: WorkerClient): void {
    client.kill();
    if (this.#client === client) this.#respawnSoon();
  }

  /** Starts the replacement now, so the next case does not wait for the imports; its failure resurfaces there. */
  #respawnSoon(): void {
    this.#client = null;
    if (!this.#closed) this.#worker().catch(() => undefined);
  }
}

/** The factory the backend registry calls. */
export function createBackend(opts: TorchNpuBackendOptions = {}): Backend {
  return new TorchNpuBackend(opts);
}
