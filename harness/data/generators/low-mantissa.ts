import { outputRange } from './output-range';
import type { GenerateFn } from './types';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Realistic scales whose low 13 mantissa bits are never all zero, so the fp19 truncation of
 * npu_trans_quant_param always changes them (defect class 9: silent truncation).
 */
export const lowMantissa: GenerateFn<{ target: number }> = (params, count, ctx) => {
  const out = outputRange(params, count, ctx);
  for (let i = 0; i < count; i++) {
    f32[0] = out[i]!;
    u32[0] = (u32[0]! & ~0x1fff) | (1 + Math.floor(ctx.random() * 0x1fff));
    out[i] = f32[0];
  }
  return out;
};
