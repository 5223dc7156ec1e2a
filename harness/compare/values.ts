import type { Tensor } from '../data/tensor';
import { bf16BitsToF32 } from '../reference/twin/bf16';
import { f16BitsToF32 } from '../reference/twin/fp16';

/**
 * Every fp16 and bf16 bit pattern's value, built on first use: decoding each element arithmetically
 * was most of the time a run spent judging fp16 and bf16 outputs. Exact: every fp16 and bf16 value is
 * an fp32 value, -0 and the infinities included; a NaN stays a NaN.
 */
const decoded: { float16?: Float32Array; bfloat16?: Float32Array } = {};

export function decodeTable(dtype: 'float16' | 'bfloat16'): Float32Array {
  let table = decoded[dtype];
  if (!table) {
    const decode = dtype === 'float16' ? f16BitsToF32 : bf16BitsToF32;
    table = new Float32Array(0x10000);
    for (let h = 0; h < 0x10000; h++) table[h] = decode(h);
    decoded[dtype] = table;
  }
  return table;
}

/** Element i of an output tensor as a number (fp16/bf16 decoded from their bits). */
export function valueAt(t: Tensor, i: number): number {
  const raw = t.data[i]!;
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') return decodeTable(t.dtype)[raw as number]!;
  return Number(raw);
}

/** Whether two elements are the same: bit patterns for floats (so -0 != +0 and NaN == same NaN), values otherwise. */
export function sameElement(a: Tensor, b: Tensor, i: number): boolean {
  return a.data[i] === b.data[i];
}

/**
 * Distance in units in the last place of the output format: for fp16/bf16 the number of representable
 * values between the two (sign-magnitude bits mapped to a monotonic integer line), for integers |a - b|.
 */
export function ulpDistance(dtype: Tensor['dtype'], a: number | bigint, b: number | bigint): number {
  if (dtype === 'float16' || dtype === 'bfloat16') {
    const line = (h: number): number => ((h & 0x8000) !== 0 ? -(h & 0x7fff) : h & 0x7fff);
    return Math.abs(line(a as number) - line(b as number));
  }
  return Math.abs(Number(a) - Number(b));
}

/** The exponent and fraction bits of the 16-bit float formats: all exponent bits and some fraction bit make a NaN. */
export const NAN_BITS = { float16: { exponent: 0x7c00, fraction: 0x03ff }, bfloat16: { exponent: 0x7f80, fraction: 0x007f } } as const;

/** Is the bit pattern a NaN in this format? */
export function isNaNElement(t: Tensor, i: number): boolean {
  const h = t.data[i] as number;
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    const bits = NAN_BITS[t.dtype];
    return (h & bits.exponent) === bits.exponent && (h & bits.fraction) !== 0;
  }
  if (t.dtype === 'float32') return Number.isNaN(h);
  return false;
}
