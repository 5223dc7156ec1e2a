import type { Dtype } from '../dtypes';

/**
 * Element storage per dtype. float16 and bfloat16 travel as their bit patterns (Uint16Array): JS has no
 * native half types, and bit patterns are what a bit-exact comparison needs. int64 is BigInt64Array.
 */
export type TensorData = Int8Array | Uint8Array | Int32Array | BigInt64Array | Uint16Array | Float32Array;

/**
 * int4 values packed eight to an int32 (docs/semantics.md 3.1): value i of a group of eight sits in bits
 * 4i..4i+3 of its int32, as a two's complement nibble in [-8, 7]; the int32's own sign means nothing.
 * `dim` names the packed dimension of the *logical* (unpacked) tensor, counted from the end. The
 * storage is the logical tensor with that dimension moved innermost (the library packs the innermost
 * memory dimension) and divided by 8, so `shape` and `data` always describe the row-major storage:
 * - dim -1: logical (..., a, b) is stored as (..., a, b/8); x1 (m, k) and the module's weight (n, k);
 * - dim -2: logical (a, b) is stored as (b, a/8), 2-D only; the op's contiguous x2 (k, n/8), which packs
 *   n, seen as the module-layout weight (n, k).
 */
export interface Int4Packing {
  kind: 'int4';
  perStorage: 8;
  dim: -1 | -2;
}

/** A dense, row-major (C-contiguous) tensor. */
export interface Tensor {
  dtype: Dtype;
  shape: number[];
  data: TensorData;
  /** present only on int32 tensors that hold packed int4 values (x1 and weight of the A4W4 rows) */
  packing?: Int4Packing;
}

/** Number of elements of a shape (1 for a scalar shape []). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The typed-array constructor that stores a dtype. */
export function storageFor(dtype: Dtype): { new (n: number): TensorData; new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData } {
  switch (dtype) {
    case 'int8': return Int8Array;
    case 'uint8': return Uint8Array;
    case 'int32': return Int32Array;
    case 'int64': return BigInt64Array;
    case 'float16': case 'bfloat16': return Uint16Array;
    case 'float32': return Float32Array;
  }
}

/** Allocates a zero tensor. */
export function zeros(dtype: Dtype, shape: number[]): Tensor {
  const Ctor = storageFor(dtype);
  return { dtype, shape, data: new Ctor(numel(shape)) };
}

/** Inputs of one case, as the module/op receives them (weight in the module's (..., n, k) layout). */
export interface CaseInputs {
  x1: Tensor;
  weight: Tensor;
  scale: Tensor;
  offset: Tensor | null;
  bias: Tensor | null;
  pertoken_scale: Tensor | null;
  /**
   * For an int64 `scale`: the fp32 scale and offset the int64 scale was packed from (offset null when
   * none was packed), for backends that pack with the library (torch-npu calls npu_trans_quant_param
   * with it, round mode from `call.scaleBuild`). `scale` stays the packed int64 the reference reads;
   * backends that take the int64 as given ignore this field.
   */
  scaleSource?: { scale: Tensor /* float32 */; offset: Tensor | null };
}

/**
 * Whether two arrays hold the same elements, `!==` element by element. Two integer arrays of one type
 * compare as bytes (memcmp), which for integers is the same test and many times faster on the millions of
 * elements of a large output; anything else takes the element loop (for floats, NaN and -0 make bits and
 * values differ).
 */
export function sameElements(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  if ((a instanceof Int8Array || a instanceof Uint8Array || a instanceof Uint16Array || a instanceof Int32Array) && a.constructor === b.constructor) {
    const t = b as typeof a;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(t.buffer, t.byteOffset, t.byteLength));
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
