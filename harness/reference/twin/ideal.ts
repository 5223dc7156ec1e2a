/**
 * The ideal of an epilogue: the path's formula in double precision with the effective
 * parameters (the fp19 scale where the variant truncates, the packed 9-bit offset), before any output
 * rounding or saturation. It measures how far the kernel's rounding takes the result from exact math.
 */
import type { EpilogueArgs } from '../impl';
import { accWithIntBias, checkEpilogueArgs, floatBias, outputLayout, pertokenOf, positions } from './elements';
import { columnParams } from './scale';

/** Per element: (acc + b_i32) * scale [* pt] [+ float bias] [+ offset on int8], in double. */
export function ideal(args: EpilogueArgs): Float64Array {
  checkEpilogueArgs(args);
  const { n, count } = outputLayout(args.outShape);
  const params = columnParams(args.scale, args.offset, args.variant, n);
  const out = new Float64Array(count);
  for (const at of positions(args.outShape)) {
    const acc = accWithIntBias(args, at, n);
    if (args.path === 'int32-acc') { out[at.index] = acc; continue; }
    let y = acc * params.scale[at.column]!;
    const pt = pertokenOf(args, at);
    if (pt !== null) y *= pt;
    const fb = floatBias(args, at, n);
    if (fb !== null) y += fb;
    if (args.path === 'int8-requant') y += params.offset9[at.column]!;
    out[at.index] = y;
  }
  return out;
}
