import type { GenerateFn } from './types';

/**
 * The largest |bias| that keeps acc + bias inside int32 for every int8 input: |acc| is at most
 * 16384 k (k products of -128 * -128).
 */
export function int32BiasLimit(k: number): number {
  return 2 ** 31 - 1 - 16384 * Math.max(k, 1);
}

/**
 * Integers uniform over the whole legal int32 bias range +-int32BiasLimit(k): almost all of them past
 * 2^24, where int32 -> fp32 stops being exact, so the order of the bias add and the conversion shows.
 */
export const int32Range: GenerateFn<object> = (_params, _count, ctx) => {
  const limit = int32BiasLimit(ctx.k);
  const span = 2 * limit + 1;
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.min(limit, Math.floor(ctx.random() * span) - limit);
  };
};
