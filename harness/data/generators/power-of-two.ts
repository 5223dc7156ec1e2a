import type { GenerateFn } from './types';

/** Powers of two 2^e, e uniform in [minExp, maxExp]: products with integers land on exact ties. */
export const powerOfTwo: GenerateFn<{ minExp: number; maxExp: number }> = ({ minExp, maxExp }, _count, { random }) => (out) => {
  for (let i = 0; i < out.length; i++) out[i] = 2 ** (minExp + Math.floor(random() * (maxExp - minExp + 1)));
};
