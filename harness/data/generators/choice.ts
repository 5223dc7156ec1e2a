import type { GenerateFn } from './types';

/** The spec's spellings of the values JSON and strict ajv cannot hold as numbers. */
const SPECIAL: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN };

/** Each value drawn uniformly from a list (`inf`, `-inf`, `nan` as strings for undefined-input data). */
export const choice: GenerateFn<{ values: (number | string)[] }> = ({ values }, _count, { random }) => {
  const numbers = choiceNumbers(values);
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = numbers[Math.floor(random() * numbers.length)]!;
  };
};

/** The list a choice generator draws from, as numbers. The addon's twin draws from the same list. */
export function choiceNumbers(values: (number | string)[]): number[] {
  return values.map((v) => (typeof v === 'number' ? v : SPECIAL[v]!));
}
