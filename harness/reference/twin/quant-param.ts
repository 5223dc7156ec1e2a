/**
 * The packed int64 quant parameter of npu_trans_quant_param (docs/semantics.md §2.3): bits 0-31 the fp32 scale
 * (fp19 after masking or rounding), bits 37-45 the offset as 9-bit two's complement, bit 46 always set.
 */
import { clip, f32FromBits, roundHalfAway, roundHalfEven } from './fp32';

/** bit 46: QUANT_SCALE, set in every packed parameter */
const QUANT_SCALE_FLAG = 1n << 46n;
const OFFSET_SHIFT = 37n;

/** round_mode 1 (V3 `R_INT`): the fp32 mantissa rounded to 10 bits, nearest even; fp19 bits in place. */
export function roundFp19Bits(bits: number): number {
  const sign = bits & 0x80000000;
  let exponent = (bits >>> 23) & 0xff;
  if (exponent === 0) return sign >>> 0; // zero and subnormals flush to signed zero
  if (exponent === 0xff) return (bits & 0xffffe000) >>> 0; // inf/NaN are truncated, not rounded
  let mantissa10 = (bits >>> 13) & 0x3ff;
  const roundBit = (bits >>> 12) & 1;
  const sticky = bits & 0xfff;
  if (roundBit === 1 && (sticky !== 0 || (mantissa10 & 1) === 1)) {
    mantissa10 += 1;
    if (mantissa10 === 0x400) { mantissa10 = 0; exponent += 1; } // carry into the exponent
    if (exponent === 0xff) mantissa10 = 0; // rounded past the largest finite value: inf
  }
  return (sign | (exponent << 23) | (mantissa10 << 13)) >>> 0;
}

/** Packs one parameter from the low 32 bits and an already integral, clipped offset. */
function pack(low32: number, offset9: number): bigint {
  return BigInt(low32 >>> 0) | (BigInt(offset9 & 0x1ff) << OFFSET_SHIFT) | QUANT_SCALE_FLAG;
}

/** Element i of a length-1-or-n vector, broadcasting length 1. */
function at(v: Float32Array, i: number): number {
  return v.length === 1 ? v[0]! : v[i]!;
}

/**
 * The raw fp32 bit patterns of a Float32Array. Read through an integer view, not through JS numbers:
 * turning a signalling NaN into a number and back sets its quiet bit, and the kernel copies bits as they are.
 */
function rawBits(v: Float32Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, v.length);
}

/**
 * Device npu_trans_quant_param (aclnnTransQuantParamV2/V3). Output length max(len scale, len offset), a
 * length-1 input broadcast; round_mode 0 masks the low 13 mantissa bits, 1 rounds them to nearest even;
 * the offset is cast with CAST_RINT (half to even) and clipped to 9 bits.
 */
export function transQuantParam(scale: Float32Array, offset: Float32Array | null, roundMode: 0 | 1): BigInt64Array {
  const length = offset === null ? scale.length : Math.max(scale.length, offset.length);
  const out = new BigInt64Array(length);
  const scaleBits = rawBits(scale);
  for (let i = 0; i < length; i++) {
    const bits = scaleBits[scale.length === 1 ? 0 : i]!;
    const low32 = roundMode === 0 ? (bits & 0xffffe000) >>> 0 : roundFp19Bits(bits);
    const offset9 = offset === null ? 0 : clip(roundHalfEven(at(offset, i)), -256, 255);
    out[i] = pack(low32, offset9);
  }
  return out;
}

/**
 * Host-array aclnnTransQuantParam ([NN] quant_util.cpp): the scale bits are not masked, the offset uses C
 * round() (half away from zero). Its loops do not broadcast: entry i gets scale[i] only for i < len(scale)
 * and offset[i] only for i < len(offset); a position past the scale has no scale bits and no flag bit.
 * (The C code also pads the length to an alignment; the padding is zeros and is not returned here.)
 */
export function transQuantParamHost(scale: Float32Array, offset: Float32Array | null): BigInt64Array {
  const length = offset === null ? scale.length : Math.max(scale.length, offset.length);
  const out = new BigInt64Array(length);
  const scaleBits = rawBits(scale);
  for (let i = 0; i < length; i++) {
    let value = 0n;
    if (i < scale.length) value = BigInt(scaleBits[i]!) | QUANT_SCALE_FLAG;
    if (offset !== null && i < offset.length) {
      const offset9 = clip(roundHalfAway(offset[i]!), -256, 255);
      value = (value & 0x4000ffffffffn) | (BigInt(offset9 & 0x1ff) << OFFSET_SHIFT);
    }
    out[i] = value;
  }
  return out;
}

/** What the kernel reads from a packed parameter: the fp19 scale (low 32 bits masked) and the 9-bit offset. */
export interface DecodedQuantParam {
  /** fp32 value of `low32 & 0xFFFFE000` */
  scale: number;
  /** bits 37-45, sign-extended: in [-256, 255] */
  offset: number;
}

/** Decodes one packed parameter as the fixpipe does. Bit 46 and the other bits are not interpreted. */
export function decodeQuantParam(packed: bigint): DecodedQuantParam {
  const low32 = Number(BigInt.asUintN(32, packed));
  const raw9 = Number((BigInt.asUintN(64, packed) >> OFFSET_SHIFT) & 0x1ffn);
  return { scale: f32FromBits(low32 & 0xffffe000), offset: raw9 >= 256 ? raw9 - 512 : raw9 };
}
