/**
 * fp32 -> fp16 with round to nearest even, subnormals kept, overflow to inf. Written with exact double
 * arithmetic (scaling by powers of two is exact) instead of bit tricks, so each step can be checked by eye.
 */
import { f32Bits, roundHalfEven } from './fp32';

const FP16_INF = 0x7c00;
const FP16_SIGN = 0x8000;
/** the largest finite fp16 value, 65504: what a saturating conversion gives for an overflow */
export const FP16_MAX_BITS = 0x7bff;

/** fp16 bits of one fp32 value (RNE). NaN stays NaN: sign kept, quiet bit set, top payload bits kept. */
export function f32ToF16Bits(x: number): number {
  const bits = f32Bits(x);
  const sign = (bits >>> 16) & FP16_SIGN;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return mantissa === 0 ? sign | FP16_INF : sign | FP16_INF | 0x200 | (mantissa >>> 13);
  const a = Math.abs(Math.fround(x));
  if (a < 2 ** -14) {
    // subnormal range: units of 2^-24; a count of 1024 is exactly the smallest normal's encoding
    return sign | roundHalfEven(a * 2 ** 24);
  }
  let e = exponent - 127; // a >= 2^-14 is a normal fp32, so this is floor(log2(a))
  let significand = roundHalfEven(a * 2 ** (10 - e)); // in [1024, 2048]
  if (significand === 2048) { significand = 1024; e += 1; }
  if (e > 15) return sign | FP16_INF; // 65520 and up round to inf
  return sign | ((e + 15) << 10) | (significand - 1024);
}

/** The fp32 value of fp16 bits (exact: every fp16 value is an fp32 value). */
export function f16BitsToF32(h: number): number {
  const sign = h & FP16_SIGN ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** Saturation instead of inf (docs/semantics.md §2.9): +-inf become +-65504; NaN and finite values are unchanged. */
export function saturateF16Bits(h: number): number {
  if ((h & 0x7fff) === FP16_INF) return (h & FP16_SIGN) | FP16_MAX_BITS;
  return h;
}

/** Elementwise f32ToF16Bits. */
export function f32ToF16(x: Float32Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f32ToF16Bits(x[i]!);
  return out;
}
