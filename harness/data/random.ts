/**
 * Seeded randomness. Every random value in the harness derives from a run seed and a stable id, so any
 * case or test failure can be replayed from the two numbers it prints.
 */

// hashSeed lives beside the leaf modules because expand derives case seeds from it too.
export { hashSeed } from '../seed';

/** A generator of uniform numbers in [0, 1); each call advances its state. */
export type Random = () => number;

/**
 * mulberry32: a 32-bit state generator, small and fast, good enough for test data (not cryptography).
 * The same seed always yields the same sequence on every machine.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer uniformly drawn from [lo, hi] (both inclusive). */
export function randomInt(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick: empty list');
  return item;
}
