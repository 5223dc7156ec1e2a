/**
 * InferenceSessions cached by graph signature. Creating a session (parse, partition, kernel set-up)
 * costs milliseconds; a run of small cases shares a handful of signatures, so each is built once.
 * The cache is bounded; a session still in use is never released under a running case.
 */
import { InferenceSession } from 'onnxruntime-node';

/** Session options every graph of this backend uses. */
export interface SessionSettings {
  /** intra-op threads (default 1, so parallel runners do not oversubscribe the cores) */
  intraOpThreads: number;
}

/**
 * Optimizations are disabled so that every node runs as written: at higher levels ORT may fuse
 * MatMulInteger -> Cast -> Mul (and a following Add) into MatMulIntegerToFloat, or drop a Cast
 * chain, which would change the order or number of fp32 roundings the graph is meant to have.
 */
export function sessionOptions(settings: SessionSettings): InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  };
}

interface Entry {
  session: Promise<InferenceSession>;
  users: number;
  lastUsed: number;
}

/** A lease on a cached session: call `done()` when the case has finished with it. */
export interface Lease {
  session: InferenceSession;
  done(): void;
}

export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #settings: SessionSettings;
  readonly #capacity: number;
  #clock = 0;
  /** sessions created so far (tests check that equal signatures share one) */
  created = 0;

  constructor(settings: SessionSettings, capacity = 16) {
    this.#settings = settings;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The session of `key`, creating it from `model()` on first use. */
  async acquire(key: string, model: () => Uint8Array): Promise<Lease> {
    let entry = this.#entries.get(key);
    if (!entry) {
      const session = InferenceSession.create(model(), sessionOptions(this.#settings));
      entry = { session, users: 0, lastUsed: 0 };
      this.#entries.set(key, entry);
      this.created++;
      // a failed creation must not stay cached: the next case retries and reports its own error
      session.catch(() => { if (this.#entries.get(key) === entry) this.#entries.delete(key); });
    }
    entry.users++;
    entry.lastUsed = ++this.#clock;
    const held = entry;
    try {
      const session = await held.session;
      let released = false;
      return {
        session,
        done: () => {
          if (released) return;
          released = true;
          held.users--;
          this.#evict().catch(() => undefined); // a failed release leaks memory, not results
        },
      };
    } catch (err) {
      held.users--;
      throw err;
    }
  }

  /** Releases least recently used idle sessions while over capacity. */
  async #evict(): Promise<void> {
    while (this.#entries.size > this.#capacity) {
      let victim: [string, Entry] | null = null;
      for (const item of this.#entries) {
        if (item[1].users === 0 && (victim === null || item[1].lastUsed < victim[1].lastUsed)) victim = item;
      }
      if (victim === null) return; // everything is in use; shrink later
      this.#entries.delete(victim[0]);
      await (await victim[1].session).release();
    }
  }

  /** Releases every session (close()). */
  async clear(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const e of entries) {
      const s = await e.session.catch(() => null);
      if (s) await s.release();
    }
  }
}
