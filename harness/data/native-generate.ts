/**
 * x1 and the weight drawn by the native addon. Their generators (uniform, choice) use the random stream
 * only through a product and a floor, which C++ doubles compute bit for bit as JS does, and the store into
 * each dtype is the one generate.ts does; so the addon writes the same bytes as the TypeScript
 * generators, which stay the definition (test/reference/native-generate.test.ts checks every generator,
 * dtype and many seeds). Drawing element by element in JS was most of a CPU run's generation time.
 */
import type { Dtype } from '../dtypes';
import { optionalAddon, type NativeAddon } from '../reference/native-addon';
import type { Generator } from '../spec/types';
import { choiceNumbers } from './generators/choice';
import { uniformRange } from './generators/uniform';
import { storageFor, type TensorData } from './tensor';

/** How an operand's values are stored: a dtype, or int4 (int8 storage clamped to [-8, 7], before packing). */
export type OperandStore = Dtype | 'int4';

let loaded: NativeAddon | null | undefined;
let enabled = true;

/**
 * Turns the addon's generator on or off for this process (on by default); returns the previous setting.
 * Off, every operand comes from the TypeScript generators: the tests check both give the same bytes.
 */
export function useNativeGenerator(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/**
 * `count` values of `g` drawn from mulberry32(seed) and stored as `store`, by the addon; null when the
 * addon is not loaded, the generator is not one it draws, or a value has no int64 (a non-finite one,
 * which BigInt refuses): the caller then uses the TypeScript generators.
 */
export function nativeOperandData(store: OperandStore, count: number, g: Generator, seed: number): TensorData | null {
  if (!enabled || (g.kind !== 'uniform' && g.kind !== 'choice')) return null;
  // not built (or built before the generator): the TypeScript generators give the same bytes, only slower
  if (loaded === undefined) loaded = optionalAddon('generateInto');
  const addon = loaded;
  if (addon === null) return null;
  const params = g.kind === 'uniform'
    ? (({ lo, span }) => Float64Array.of(lo, span))(uniformRange(g.min, g.max))
    : Float64Array.from(choiceNumbers(g.values));
  const data = new (storageFor(store === 'int4' ? 'int8' : store))(count);
  return addon.generateInto(g.kind, seed, params, store, data) ? data : null;
}
