import { accumulatorScale, type GenerateFn } from './types';

/** Values uniform within +-factor times the typical accumulator: large biases for the bias-path class. */
export const accumulatorScaled: GenerateFn<{ factor: number }> = ({ factor }, _count, ctx) => {
  const bound = factor * accumulatorScale(ctx);
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.round((2 * ctx.random() - 1) * bound);
  };
};
