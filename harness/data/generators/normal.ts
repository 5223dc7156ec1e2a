import { gaussian, type GenerateFn } from './types';

/** Normal deviates (like torch.randn for mean 0, std 1). */
export const normal: GenerateFn<{ mean: number; std: number }> = ({ mean, std }, _count, { random }) => (out) => {
  for (let i = 0; i < out.length; i++) out[i] = mean + std * gaussian(random);
};
