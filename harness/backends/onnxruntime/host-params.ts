/**
 * What torch_npu does on the host before the kernel runs, done the same way here (docs/semantics.md
 * §2.2, §2.3):
 * an fp32 scale on the int8/fp16 outputs without pertoken goes through npu_trans_quant_param (round
 * mode 0: fp19 mask, offset rounded half to even and clipped to 9 bits, packed into an int64); the
 * kernel then reads a packed scale as fp19 scale bits + 9-bit offset. A bf16 scale is widened exactly,
 * and every other fp32 scale is used untruncated.
 *
 * Written independently of the reference's twin on purpose: this backend is a kernel under test, and a
 * shared helper would hide a shared mistake.
 */
import type { CaseInputs } from '../../data/tensor';
import type { Case } from '../../expand/case';

/** Per-column effective parameters, each of length 1 (broadcast over n) or n. */
export interface EffectiveParams {
  /** the fp32 scale the epilogue multiplies by */
  scale: Float32Array;
  /** the integer offset added after requant rounding (int8 output only; zeros elsewhere) */
  offset9: Float32Array;
}

const FP19_MASK = 0xffffe000;
const QUANT_SCALE_BIT = 1n << 46n;

const view = new DataView(new ArrayBuffer(4));
function bitsOf(x: number): number {
  view.setFloat32(0, x);
  return view.getUint32(0);
}
function floatOf(bits: number): number {
  view.setUint32(0, bits >>> 0);
  return view.getFloat32(0);
}

/** CAST_RINT: round to nearest, ties to even. */
function rint(x: number): number {
  const r = Math.round(x); // ties toward +inf
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** npu_trans_quant_param(scale, offset, round_mode=0) as the device kernel computes it. */
export function transQuantParam(scale: Float32Array, offset: Float32Array | null): BigInt64Array {
  const length = Math.max(scale.length, offset?.length ?? 0);
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    const s = scale[scale.length === 1 ? 0 : i]!;
    let packed = BigInt((bitsOf(s) & FP19_MASK) >>> 0) | QUANT_SCALE_BIT;
    if (offset !== null) {
      const o = Math.min(255, Math.max(-256, rint(offset[offset.length === 1 ? 0 : i]!)));
      packed |= BigInt(o & 0x1ff) << 37n;
    }
    out[i] = packed;
  }
  return out;
}

/** What the fixpipe reads from packed parameters: fp19 scale (low 32 bits masked), offset from bits 37-45. */
export function decodePacked(packed: BigInt64Array): EffectiveParams {
  const scale = new Float32Array(packed.length);
  const offset9 = new Float32Array(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const u = BigInt.asUintN(64, packed[i]!);
    scale[i] = floatOf(Number(u & 0xffffffffn) & FP19_MASK);
    const raw = Number((u >> 37n) & 0x1ffn);
    offset9[i] = raw >= 256 ? raw - 512 : raw;
  }
  return { scale, offset9 };
}

/** bf16 bit patterns widened to fp32 (exact: the bf16 bits are the fp32's top half). */
export function widenBf16(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i]! << 16;
  return new Float32Array(words.buffer);
}

/**
 * Whether torch_npu (HEAD) packs an fp32 scale with npu_trans_quant_param: no pertoken_scale and an
 * int8 or fp16 output (the bias is not looked at). bf16 and int32 outputs keep the scale as is.
 */
export function packsFp32Scale(c: Pick<Case, 'dtypes'>): boolean {
  const out = c.dtypes.output_dtype ?? 'int8';
  return c.dtypes.scale === 'float32' && c.dtypes.pertoken_scale === null && (out === 'int8' || out === 'float16');
}

/** The effective scale and offset of a case's inputs. */
export function effectiveParams(c: Pick<Case, 'dtypes'>, inputs: CaseInputs): EffectiveParams {
  const { scale, offset } = inputs;
  const offsetData = offset === null ? null : offset.data as Float32Array;
  switch (scale.dtype) {
    case 'int64':
      // the 910B kernel takes the offset from the packed bits only; the offset tensor is never read
      return decodePacked(scale.data as BigInt64Array);
    case 'bfloat16': {
      const s = widenBf16(scale.data as Uint16Array);
      return { scale: s, offset9: new Float32Array(s.length) };
    }
    case 'float32': {
      const data = scale.data as Float32Array;
      if (packsFp32Scale(c)) return decodePacked(transQuantParam(data, offsetData));
      return { scale: Float32Array.from(data), offset9: new Float32Array(data.length) };
    }
    default:
      throw new TypeError(`onnxruntime: scale dtype ${scale.dtype} is not one of int64, bfloat16, float32`);
  }
}
