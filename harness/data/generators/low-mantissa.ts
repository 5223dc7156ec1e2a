import { outputRange } from './output-range';
import type { GenerateFn } from './types';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Realistic scales whose low 13 mantissa bits are never all zero, so the fp19 truncation of
 * npu_trans_quant_param always changes them (the `scale-rounding` tag: silent truncation).
 *
 * The mantissa draws follow every output-range draw of the tensor (that order fixes the values), so this
 * generator holds its whole tensor as float64 on the first call; it is meant for scales, one value per
 * output channel (budget.ts counts the copy).
 */
export const lowMantissa: GenerateFn<{ target: number }> = (params, count, ctx) => {
  let values: Float64Array | null = null;
  let at = 0;
  return (out) => {
    if (values === null) {
      values = new Float64Array(count);
      outputRange(params, count, ctx)(values);
      for (let i = 0; i < count; i++) {
        f32[0] = values[i]!;
        u32[0] = (u32[0]! & ~0x1fff) | (1 + Math.floor(ctx.random() * 0x1fff));
        values[i] = f32[0];
      }
    }
    out.set(values.subarray(at, at + out.length));
    at += out.length;
  };
};
