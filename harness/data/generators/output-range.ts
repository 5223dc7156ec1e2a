import { accumulatorScale, gaussian, type GenerateFn } from './types';

/**
 * Realistic scales: sized so the typical |acc * scale| is `target`, each element jittered log-normally
 * (a factor within about e^+-0.5), one in ten negative (legal, and it exercises the sign paths).
 */
export const outputRange: GenerateFn<{ target: number }> = ({ target }, _count, ctx) => {
  const base = target / accumulatorScale(ctx);
  return (out) => {
    for (let i = 0; i < out.length; i++) {
      const sign = ctx.random() < 0.1 ? -1 : 1;
      out[i] = sign * base * Math.exp(0.25 * gaussian(ctx.random));
    }
  };
};
