/**
 * fp32 -> bf16 with round to nearest even on the bit pattern: add 0x7FFF plus the lsb of the kept half,
 * then drop the low 16 bits. Subnormals are rounded like any other value (never flushed, unlike the x86
 * conversion instruction); a carry out of the largest finite value correctly becomes inf.
 */
import { f32Bits, f32FromBits } from './fp32';

/** bf16 bits of one fp32 value (RNE). NaN stays NaN with the quiet bit set (the trick could make it inf). */
export function f32ToBf16Bits(x: number): number {
  const u = f32Bits(x);
  if ((u & 0x7fffffff) > 0x7f800000) return (u >>> 16) | 0x0040;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The fp32 value of bf16 bits (exact: a bf16 is the top half of an fp32). */
export function bf16BitsToF32(h: number): number {
  return f32FromBits((h & 0xffff) << 16);
}

/** Elementwise f32ToBf16Bits. */
export function f32ToBf16(x: Float32Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f32ToBf16Bits(x[i]!);
  return out;
}
