import type { GenerateFn } from './types';

/** The spec's spellings of the values JSON and strict ajv cannot hold as numbers. */
const SPECIAL: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN };

/** Each value drawn uniformly from a list (`inf`, `-inf`, `nan` as strings for undefined-input data). */
export const choice: GenerateFn<{ values: (number | string)[] }> = ({ values }, count, { random }) => {
  const numbers = values.map((v) => (typeof v === 'number' ? v : SPECIAL[v]!));
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = numbers[Math.floor(random() * numbers.length)]!;
  return out;
};
