/**
 * The entry of a plugin's own process (forked by host.ts): loads the plugin module, calls its
 * createBackend(), and serves open, run and close requests one at a time. Whatever the plugin does
 * here (a busy loop, a promise that never settles, process.exit, a crash in native code) costs this
 * process only: the harness kills it at the time limit and starts another.
 */
import type { Backend } from '../types';
import type { ErrorInfo, Opened, Reply, Request } from './protocol';

let backend: Backend | null = null;

function describe(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: String(e.name), message: String(e.message), ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: `threw a non-Error: ${String(e)}` };
}

/** The module's createBackend() result, checked for the methods the harness calls. */
function load(file: string): Backend {
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load ${file}: ${(e as Error).message}`);
  }
  const create = (mod.createBackend ?? (mod.default as Record<string, unknown> | undefined)?.createBackend ?? mod.default) as unknown;
  if (typeof create !== 'function') {
    throw new Error(`expected the module to export createBackend(), got exports ${Object.keys(mod).join(', ') || 'none'}`);
  }
  let b: Record<string, unknown> | null;
  try {
    b = (create as () => unknown)() as Record<string, unknown> | null;
  } catch (e) {
    throw new Error(`createBackend() threw ${describe(e).name}: ${describe(e).message}`);
  }
  const missing = ['open', 'run', 'close'].filter((m) => typeof b?.[m] !== 'function');
  if (typeof b?.name !== 'string') missing.push('name');
  if (!b || missing.length) throw new Error(`createBackend() returned no Backend (missing: ${missing.join(', ')})`);
  return b as unknown as Backend;
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'open': {
      backend = load(req.file);
      const b = backend;
      const info = await Promise.resolve().then(() => b.open(req.opts));
      const opened: Opened = { name: b.name, info };
      return opened;
    }
    case 'run': {
      const b = backend;
      if (!b) throw new Error('run() before open()');
      // The host kills this process on a timeout or an abort; a plugin may still watch the signal.
      return Promise.resolve().then(() => b.run(req.c, req.inputs, new AbortController().signal));
    }
    case 'close': {
      const b = backend;
      backend = null;
      if (b) await Promise.resolve().then(() => b.close());
      return null;
    }
  }
}

function send(reply: Reply): void {
  try {
    process.send!(reply);
  } catch (e) {
    // a reply that cannot be cloned (functions, symbols, host objects) is the plugin's error, said as such
    process.send!({ id: reply.id, ok: false, error: { name: 'DataCloneError', message: `the reply cannot be sent to the harness: ${(e as Error).message}` } });
  }
}

process.on('message', (req: Request) => {
  handle(req).then(
    (value) => send({ id: req.id, ok: true, value }),
    (e: unknown) => send({ id: req.id, ok: false, error: describe(e) }),
  );
});
// The harness went away: nothing is waiting for this process any more.
process.on('disconnect', () => process.exit(0));
