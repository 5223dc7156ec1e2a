import type { GenerateFn } from './types';

/** Integers uniform over [min, max] (both inclusive). */
export const uniform: GenerateFn<{ min: number; max: number }> = ({ min, max }, _count, { random }) => {
  const { lo, span } = uniformRange(min, max);
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = lo + Math.floor(random() * span);
  };
};

/** The integers a uniform generator draws: lo + floor(random() * span). The addon's twin reads the same two numbers. */
export function uniformRange(min: number, max: number): { lo: number; span: number } {
  const lo = Math.ceil(min);
  return { lo, span: Math.floor(max) - lo + 1 };
}

/** Standard deviation of the discrete uniform distribution over [min, max]. */
export function uniformStd(min: number, max: number): number {
  const span = Math.floor(max) - Math.ceil(min) + 1;
  return Math.sqrt((span * span - 1) / 12);
}
