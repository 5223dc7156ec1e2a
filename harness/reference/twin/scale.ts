/**
 * The effective per-column scale and 9-bit offset an epilogue uses (docs/semantics.md §2.3-2.5):
 * - int64 scale: the packed parameter decoded as the fixpipe reads it (low 32 bits masked to fp19, offset
 *   from bits 37-45); the separate offset array is ignored, as the 910B kernel never reads it;
 * - fp32 scale: as given, or masked to fp19 when the variant says the path truncates; the offset array
 *   rounded half to even and clipped to [-256, 255], as npu_trans_quant_param would pack it;
 * - bf16 scale: widened exactly to fp32.
 * A length-1 scale or offset applies to every column.
 */
import type { EpilogueVariant, ScaleArg } from '../impl';
import { bf16BitsToF32 } from './bf16';
import { clip, roundHalfEven, truncateFp19 } from './fp32';
import { decodeQuantParam } from './quant-param';

/** Per output column: the fp32 scale and the integer offset (0 where there is none). */
export interface ColumnParams {
  scale: number[];
  offset9: number[];
}

/** Index into a length-1-or-n vector. */
function broadcastIndex(length: number, column: number): number {
  return length === 1 ? 0 : column;
}

/** The effective scale and offset of each of the n output columns. */
export function columnParams(
  scale: ScaleArg, offset: Float32Array | null, variant: Pick<EpilogueVariant, 'scaleFp19'>, n: number,
): ColumnParams {
  const params: ColumnParams = { scale: [], offset9: [] };
  for (let j = 0; j < n; j++) {
    const s = broadcastIndex(scale.data.length, j);
    if (scale.dtype === 'int64') {
      const decoded = decodeQuantParam(scale.data[s]!);
      params.scale.push(decoded.scale);
      params.offset9.push(decoded.offset);
      continue;
    }
    const value = scale.dtype === 'bfloat16' ? bf16BitsToF32(scale.data[s]!) : scale.data[s]!;
    params.scale.push(variant.scaleFp19 ? truncateFp19(value) : value);
    const o = offset === null ? null : offset[broadcastIndex(offset.length, j)]!;
    params.offset9.push(o === null ? 0 : clip(roundHalfEven(o), -256, 255));
  }
  return params;
}
