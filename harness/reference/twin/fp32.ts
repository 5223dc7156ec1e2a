/**
 * fp32 bit access and the integer roundings the kernel uses. JS numbers are doubles; an fp32 value is a
 * double that `Math.fround` leaves unchanged, and every fp32 operation is the double operation followed
 * by one `Math.fround` (exact for * of two floats; correctly rounded for + because 53 >= 2*24 + 2).
 */

const scratch = new DataView(new ArrayBuffer(4));

/** The IEEE bit pattern of an fp32 value (the argument is rounded to fp32 first). */
export function f32Bits(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

/** The fp32 value of a 32-bit pattern. */
export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

/** fp19: keep sign, exponent and the top 10 mantissa bits of an fp32 value (the fixpipe's scale format). */
export function truncateFp19(x: number): number {
  return f32FromBits(f32Bits(x) & 0xffffe000);
}

/** Round to an integer, exact .5 ties to the even neighbour (np.round, CAST_RINT). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor; // exact: x and floor are within 2^52 of each other or x is already integral
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Round to an integer, exact .5 ties to the odd neighbour (the other answer of a requant tie, docs/semantics.md §2.8). */
export function roundHalfOdd(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor + 1 : floor;
}

/** Round to an integer, ties away from zero (C `round()`, used by the host-array trans_quant_param). */
export function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(Math.abs(x)); // Math.round ties toward +inf, which is away from zero for |x|
  return x < 0 ? -r : r;
}

/** Clip to [lo, hi]. */
export function clip(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
