import type { GenerateFn } from './types';

/** Integers uniform over [min, max] (both inclusive). */
export const uniform: GenerateFn<{ min: number; max: number }> = ({ min, max }, count, { random }) => {
  const out = new Float64Array(count);
  const span = Math.floor(max) - Math.ceil(min) + 1;
  for (let i = 0; i < count; i++) out[i] = Math.ceil(min) + Math.floor(random() * span);
  return out;
};

/** Standard deviation of the discrete uniform distribution over [min, max]. */
export function uniformStd(min: number, max: number): number {
  const span = Math.floor(max) - Math.ceil(min) + 1;
  return Math.sqrt((span * span - 1) / 12);
}
