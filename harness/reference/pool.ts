/**
 * Typed arrays kept between cases. A large case's reference takes tens of MB of new arrays (the int32
 * product, the double-precision ideal, one output per epilogue variant). Allocated afresh for every
 * case, they count as memory outside V8's heap, and every 64 MB or so of it makes V8 run a full
 * collection: about one per large case, a few hundredths of a second each. A run takes the arrays of a
 * case from a pool instead and gives them back once the case is recorded.
 *
 * The reference writes every element of an array it is handed (impl.ts), so what an array held for an
 * earlier case never reaches a later one; the tests hand it arrays filled with garbage to hold that.
 */

export type PooledArray = Int8Array | Uint16Array | Int32Array | Float64Array;
export type PooledArrayType<T extends PooledArray> = new (length: number) => T;

/** Where the reference gets an output array of a type and length (a new one when none is handed in). */
export type TakeArray = <T extends PooledArray>(type: PooledArrayType<T>, length: number) => T;

/** Arrays to take, and to give back early where one turns out not to be needed. */
export interface ArraySource {
  take: TakeArray;
  give(a: PooledArray): void;
}

/** The bytes of free arrays a pool keeps by default: the arrays of a few large cases. */
export const DEFAULT_POOL_BYTES = 256 * 2 ** 20;

/**
 * The free arrays a run keeps between cases come on top of each case's own memory budget: at most a
 * quarter of it, and no more than the default.
 */
export function poolLimitFor(budgetBytes: number): number {
  return Math.min(DEFAULT_POOL_BYTES, Math.floor(budgetBytes / 4));
}

export interface ArrayPoolOptions {
  /** the most bytes of free arrays kept; the oldest go first, and a larger array is never kept */
  limitBytes?: number;
  /** fill each array given back with this byte (tests: to show no stale value survives a reuse) */
  scribble?: number;
}

export class ArrayPool {
  readonly limitBytes: number;
  readonly #scribble: number | undefined;
  // free arrays, oldest first; a run's cases come in a few shapes, so the list stays short
  #free: PooledArray[] = [];
  #bytes = 0;
  #taken = 0;
  #reused = 0;

  constructor(options: ArrayPoolOptions = {}) {
    this.limitBytes = options.limitBytes ?? DEFAULT_POOL_BYTES;
    this.#scribble = options.scribble;
  }

  /** A free array of this type and length (the one given back last), or a new one. */
  take<T extends PooledArray>(type: PooledArrayType<T>, length: number): T {
    this.#taken++;
    for (let i = this.#free.length - 1; i >= 0; i--) {
      const a = this.#free[i]!;
      if (a.constructor === type && a.length === length) {
        this.#free.splice(i, 1);
        this.#bytes -= a.byteLength;
        this.#reused++;
        return a as T;
      }
    }
    return new type(length);
  }

  /** Takes an array back; its holder must not read or write it any more. */
  give(a: PooledArray): void {
    if (a.byteLength > this.limitBytes || this.#free.includes(a)) return;
    if (this.#scribble !== undefined) new Uint8Array(a.buffer, a.byteOffset, a.byteLength).fill(this.#scribble);
    this.#free.push(a);
    this.#bytes += a.byteLength;
    while (this.#bytes > this.limitBytes) this.#bytes -= this.#free.shift()!.byteLength;
  }

  /** arrays taken, how many of them were reused, and the bytes kept free now */
  stats(): { taken: number; reused: number; freeBytes: number } {
    return { taken: this.#taken, reused: this.#reused, freeBytes: this.#bytes };
  }
}

/** The arrays one case takes from a pool, given back together when the case is done with them. */
export class CaseArrays implements ArraySource {
  readonly #pool: ArrayPool;
  #held: PooledArray[] = [];

  constructor(pool: ArrayPool) {
    this.#pool = pool;
  }

  readonly take: TakeArray = (type, length) => {
    const a = this.#pool.take(type, length);
    this.#held.push(a);
    return a;
  };

  /** Gives back one array taken here, before the rest (one the case found it does not need). */
  give(a: PooledArray): void {
    const i = this.#held.indexOf(a);
    if (i < 0) return;
    this.#held.splice(i, 1);
    this.#pool.give(a);
  }

  /** Gives back every array taken: nothing the case computed from them may be read after this. */
  release(): void {
    for (const a of this.#held) this.#pool.give(a);
    this.#held = [];
  }
}
