/**
 * The fp32 part of every float-producing epilogue (docs/semantics.md §2.4, §2.6,
 * §2.7): the accumulator (int32 bias
 * included) converted to fp32, times the scale, times the pertoken scale in the variant's order, plus the
 * float bias; each operation one fp32 rounding.
 */
import type { EpilogueVariant } from '../impl';

/** One element's inputs to the fp32 dequant. */
export interface DequantInputs {
  /** acc + int32 bias, an integer */
  accWithBias: number;
  /** the effective fp32 scale of the column */
  scale: number;
  /** the row's pertoken scale, or null without pertoken */
  pertoken: number | null;
  /** the column's float bias widened to fp32, or null without one */
  floatBias: number | null;
}

/** The fp32 value before the output cast: f32(acc+b) * scale [* pt] [+ float bias]. */
export function dequantF32(x: DequantInputs, order: EpilogueVariant['pertokenOrder']): number {
  const acc = Math.fround(x.accWithBias); // int32 -> fp32, round to nearest even
  let y: number;
  if (x.pertoken === null) y = Math.fround(acc * x.scale);
  else if (order === 'sequential') y = Math.fround(Math.fround(acc * x.scale) * x.pertoken);
  else y = Math.fround(acc * Math.fround(x.pertoken * x.scale)); // the opt pertoken kernel (docs/semantics.md §2.7)
  // the float bias is added after dequant, never folded into the integer domain; skipping the add when
  // there is none keeps -0 as -0
  return x.floatBias === null ? y : Math.fround(y + x.floatBias);
}
