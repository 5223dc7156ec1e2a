/** Builders shared by the reference tests: epilogue arguments and variants with readable defaults. */
import type { EpilogueArgs, EpilogueVariant } from '../../harness/reference/impl';

/** The primary variant of HEAD torch_npu on a truncating path. */
export const PRIMARY: EpilogueVariant = {
  scaleFp19: true, pertokenOrder: 'sequential', fp16Overflow: 'inf', int8Tie: 'even', int8Clamp9: true,
};

/** Epilogue args for a 2-D (m, n) output; every optional input absent unless given. */
export function epilogueArgs(
  path: EpilogueArgs['path'], acc: number[], outShape: number[], scale: number[], extra: Partial<EpilogueArgs> = {},
): EpilogueArgs {
  return {
    path, acc: new Int32Array(acc), outShape,
    scale: { dtype: 'float32', data: new Float32Array(scale) },
    offset: null, bias: null, pertoken: null, variant: PRIMARY, ...extra,
  };
}
