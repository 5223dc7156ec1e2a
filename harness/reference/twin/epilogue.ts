/**
 * One epilogue variant over a whole output: per element, the path's formula (types.ts PathId) with the
 * variant's choices. The formula uses every input it is given; which inputs a path legally has is the
 * caller's business (reference.ts and the contract).
 */
import type { EpilogueArgs } from '../impl';
import { f32ToBf16Bits } from './bf16';
import { dequantF32 } from './dequant';
import { accWithIntBias, checkEpilogueArgs, floatBias, outputLayout, pertokenOf, positions } from './elements';
import { f32ToF16Bits, saturateF16Bits } from './fp16';
import { requantInt8 } from './requant';
import { columnParams } from './scale';

/** int8 -> Int8Array, fp16/bf16 -> Uint16Array bit patterns, int32 -> Int32Array. */
export function epilogue(args: EpilogueArgs): Int8Array | Uint16Array | Int32Array {
  checkEpilogueArgs(args);
  const { n, count } = outputLayout(args.outShape);
  const params = columnParams(args.scale, args.offset, args.variant, n);
  const elements = positions(args.outShape);
  const dequant = (at: (typeof elements)[number]): number => dequantF32({
    accWithBias: accWithIntBias(args, at, n),
    scale: params.scale[at.column]!,
    pertoken: pertokenOf(args, at),
    floatBias: floatBias(args, at, n),
  }, args.variant.pertokenOrder);

  switch (args.path) {
    case 'int32-acc': {
      const out = new Int32Array(count);
      for (const at of elements) out[at.index] = accWithIntBias(args, at, n); // the scale is not applied
      return out;
    }
    case 'int8-requant': {
      const out = new Int8Array(count);
      for (const at of elements) out[at.index] = requantInt8(dequant(at), params.offset9[at.column]!, args.variant);
      return out;
    }
    case 'bf16-vector': {
      const out = new Uint16Array(count);
      for (const at of elements) out[at.index] = f32ToBf16Bits(dequant(at));
      return out;
    }
    case 'fp16-fixpipe': case 'fp16-float-bias': case 'fp16-pertoken': {
      const out = new Uint16Array(count);
      for (const at of elements) {
        const h = f32ToF16Bits(dequant(at));
        out[at.index] = args.variant.fp16Overflow === 'saturate' ? saturateF16Bits(h) : h;
      }
      return out;
    }
    case 'group-dequant-bf16': case 'group-dequant-fp16':
      // refused by checkEpilogueArgs above; the per-group paths live in ./group-dequant
      throw new RangeError(`epilogue: path ${args.path} has no whole-accumulator epilogue`);
  }
}
