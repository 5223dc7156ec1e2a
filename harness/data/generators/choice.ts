import type { GenerateFn } from './types';

/** Each value drawn uniformly from a list. */
export const choice: GenerateFn<{ values: number[] }> = ({ values }, count, { random }) => {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = values[Math.floor(random() * values.length)]!;
  return out;
};
