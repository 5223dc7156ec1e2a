import { gaussian, type GenerateFn } from './types';

/** Normal deviates (like torch.randn for mean 0, std 1). */
export const normal: GenerateFn<{ mean: number; std: number }> = ({ mean, std }, count, { random }) => {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * gaussian(random);
  return out;
};
