import type { Dtype } from '../dtypes';

/**
 * Element storage per dtype. float16 and bfloat16 travel as their bit patterns (Uint16Array): JS has no
 * native half types, and bit patterns are what a bit-exact comparison needs. int64 is BigInt64Array.
 */
export type TensorData = Int8Array | Uint8Array | Int32Array | BigInt64Array | Uint16Array | Float32Array;

/** A dense, row-major (C-contiguous) tensor. */
export interface Tensor {
  dtype: Dtype;
  shape: number[];
  data: TensorData;
}

/** Number of elements of a shape (1 for a scalar shape []). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The typed-array constructor that stores a dtype. */
export function storageFor(dtype: Dtype): { new (n: number): TensorData } {
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
