/**
 * int8 requantisation in the fixpipe (REQ8, docs/semantics.md §2.4, §2.5, §2.8):
 * t = round(v) with ties per the variant; with the golden's 9-bit clamp t is clipped to [-256, 255];
 * then the 9-bit offset is added and the sum saturates to [-128, 127].
 */
import type { EpilogueVariant } from '../impl';
import { clip, roundHalfEven, roundHalfOdd } from './fp32';

/** The int8 result of one fp32 value v = f32(acc+b)*scale and the column's 9-bit offset. */
export function requantInt8(v: number, offset9: number, variant: Pick<EpilogueVariant, 'int8Tie' | 'int8Clamp9'>): number {
  let t = variant.int8Tie === 'even' ? roundHalfEven(v) : roundHalfOdd(v);
  if (variant.int8Clamp9) t = clip(t, -256, 255);
  return clip(t + offset9, -128, 127);
}
