/**
 * int4 values packed eight to an int32, both directions (docs/semantics.md 3.1; the representation is
 * `Int4Packing` in data/tensor.ts). Pure functions over typed arrays: unpacking is exact (every nibble
 * becomes the int8 it stands for), and packing refuses what it cannot store rather than wrapping it.
 */
import { numel, type Int4Packing, type Tensor } from '../data/tensor';

/** Values per int32. */
export const INT4_PER_INT32 = 8;
export const INT4_MIN = -8;
export const INT4_MAX = 7;

/** The packing the module's layouts use: the innermost dimension packed (x1 (m, k/8), weight (n, k/8)). */
export const INT4_LAST_DIM: Int4Packing = { kind: 'int4', perStorage: 8, dim: -1 };

/** Nibble i (0..7) of an int32 word, sign-extended: bits 4i..4i+3, lowest nibble first. */
export function nibble(word: number, i: number): number {
  // shift the nibble to the top four bits, then an arithmetic shift brings it back with its sign
  return (word << (28 - 4 * i)) >> 28;
}

/** Throws unless `packing` is a packing this module understands, for a tensor of `rank` dims. */
export function checkPacking(where: string, packing: unknown, rank: number): asserts packing is Int4Packing {
  const p = packing as Partial<Int4Packing> | null;
  if (typeof p !== 'object' || p === null || p.kind !== 'int4' || p.perStorage !== INT4_PER_INT32) {
    throw new TypeError(`${where}: packing must be { kind: 'int4', perStorage: 8, dim: -1 | -2 }, got ${JSON.stringify(packing)}`);
  }
  if (p.dim !== -1 && p.dim !== -2) throw new RangeError(`${where}: packing.dim must be -1 or -2, got ${String(p.dim)}`);
  if (p.dim === -2 && rank !== 2) throw new RangeError(`${where}: packing.dim -2 (the op's contiguous x2) needs a 2-D tensor, got ${rank} dims`);
  if (rank < 1) throw new RangeError(`${where}: a packed tensor needs at least one dim`);
}

/** The logical (unpacked) shape of a packed storage shape. */
export function logicalShape(storage: readonly number[], packing: Int4Packing): number[] {
  const last = storage[storage.length - 1]! * INT4_PER_INT32;
  if (packing.dim === -1) return [...storage.slice(0, -1), last];
  return [last, storage[0]!]; // storage (b, a/8) holds logical (a, b)
}

/** The packed storage shape of a logical shape; the packed dim must be a multiple of 8. */
export function storageShape(logical: readonly number[], packing: Int4Packing): number[] {
  const packed = packing.dim === -1 ? logical[logical.length - 1]! : logical[0]!;
  if (packing.dim === -2 && logical.length !== 2) throw new RangeError(`int4: packing.dim -2 needs a 2-D shape, got [${logical}]`);
  if (packed % INT4_PER_INT32 !== 0) {
    throw new RangeError(`int4: the packed dim (${packing.dim}) of [${logical}] is ${packed}, not a multiple of ${INT4_PER_INT32}`);
  }
  if (packing.dim === -1) return [...logical.slice(0, -1), packed / INT4_PER_INT32];
  return [logical[1]!, packed / INT4_PER_INT32];
}

/**
 * The int8 values of packed int4 storage, in the logical shape, row-major. For dim -2 the logical
 * element (a, b) is nibble a%8 of storage word (b, a/8).
 */
export function unpackInt4(words: Int32Array, storage: readonly number[], packing: Int4Packing): { data: Int8Array; shape: number[] } {
  checkPacking('unpackInt4', packing, storage.length);
  if (words.length !== numel(storage)) throw new RangeError(`unpackInt4: storage [${storage}] needs ${numel(storage)} words, got ${words.length}`);
  const shape = logicalShape(storage, packing);
  const out = new Int8Array(numel(shape));
  if (packing.dim === -1) {
    for (let w = 0; w < words.length; w++) {
      for (let i = 0; i < INT4_PER_INT32; i++) out[w * INT4_PER_INT32 + i] = nibble(words[w]!, i);
    }
  } else {
    const [a, b] = shape as [number, number];
    const wordsPerRow = a / INT4_PER_INT32; // storage row length
    for (let r = 0; r < a; r++) {
      for (let c = 0; c < b; c++) out[r * b + c] = nibble(words[c * wordsPerRow + (r >> 3)]!, r & 7);
    }
  }
  return { data: out, shape };
}

/** The packed int4 storage of logical int8 values, each in [-8, 7] (anything else is refused, not wrapped). */
export function packInt4(values: Int8Array, logical: readonly number[], packing: Int4Packing): { data: Int32Array; shape: number[] } {
  checkPacking('packInt4', packing, logical.length);
  if (values.length !== numel(logical)) throw new RangeError(`packInt4: shape [${logical}] needs ${numel(logical)} values, got ${values.length}`);
  const shape = storageShape(logical, packing);
  const out = new Int32Array(numel(shape));
  // checked first, in element order (the first bad value is the one reported), then packed a word at a
  // time: a call per element was most of the time spent generating int4 operands
  for (let at = 0; at < values.length; at++) {
    const v = values[at]!;
    if (v < INT4_MIN || v > INT4_MAX) throw new RangeError(`packInt4: value ${v} at index ${at} is outside int4 [${INT4_MIN}, ${INT4_MAX}]`);
  }
  if (packing.dim === -1) {
    for (let w = 0; w < out.length; w++) {
      const at = w * INT4_PER_INT32;
      let word = 0;
      for (let i = 0; i < INT4_PER_INT32; i++) word |= (values[at + i]! & 0xf) << (4 * i);
      out[w] = word;
    }
  } else {
    const [a, b] = logical as [number, number];
    const wordsPerRow = a / INT4_PER_INT32;
    for (let c = 0; c < b; c++) {
      for (let w = 0; w < wordsPerRow; w++) {
        let word = 0;
        for (let i = 0; i < INT4_PER_INT32; i++) word |= (values[(w * INT4_PER_INT32 + i) * b + c]! & 0xf) << (4 * i);
        out[c * wordsPerRow + w] = word;
      }
    }
  }
  return { data: out, shape };
}

/** A packed int32 tensor as the int8 tensor of its values (logical shape); other tensors unchanged. */
export function unpackedTensor(t: Tensor): Tensor {
  if (t.packing === undefined) return t;
  const { data, shape } = unpackInt4(t.data as Int32Array, t.shape, t.packing);
  return { dtype: 'int8', shape, data };
}

/** An int8 tensor of int4 values as its packed int32 tensor. */
export function packedTensor(t: Tensor, packing: Int4Packing = INT4_LAST_DIM): Tensor {
  if (t.dtype !== 'int8') throw new TypeError(`packedTensor: needs an int8 tensor of int4 values, got ${t.dtype}`);
  const { data, shape } = packInt4(t.data as Int8Array, t.shape, packing);
  return { dtype: 'int32', shape, data, packing };
}
