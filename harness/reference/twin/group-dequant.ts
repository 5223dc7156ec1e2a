/**
 * The A4W4 per-group asymmetric path (docs/semantics.md 3.4, the op doc's Table 2 row 6): int4 x1 and
 * weight, a per-group fp32 scale and fp16 zero point of shape (groups, n), an fp32 pertoken per row.
 * Unlike every other path it cannot start from the whole accumulator: the kernel dequantizes each
 * k-group's partial accumulator on its own and sums the groups in fp32, so this module takes the int4
 * values (as int8) and does its own exact per-group integer sums.
 *
 * Per element, in the kernel's order (QuantBatchMatmulV4Pergroup: DequantAndAccu, X2OffsetProcess,
 * CastCopyOut), every step one fp32 operation with round to nearest even:
 *   accu = +0
 *   for each group g in k order:
 *     acc_g = Σ_{p∈g} x1[i,p]·w[j,p]      (exact int32, then to fp32)
 *     r_g   = Σ_{p∈g} x1[i,p]             (exact: the kernel's fp32 row sum of small integers)
 *     part  = (f32(acc_g) − r_g·f32(off[g,j])) · s[g,j]
 *     accu  = part + accu
 *   y = out_RNE(accu · pt[i])
 * The native addon does not implement this path; the reference always runs it here (reference.ts).
 */
import { f32ToBf16Bits } from './bf16';
import { f16BitsToF32, f32ToF16Bits, saturateF16Bits } from './fp16';

/** Everything the per-group path needs; int4 values are given unpacked, as int8 in [-8, 7]. */
export interface GroupDequantArgs {
  /** x1 (m, k), row-major */
  x1: Int8Array;
  /** the weight in the module's layout (n, k), row-major */
  weight: Int8Array;
  m: number;
  n: number;
  k: number;
  /** the group size along k (group_sizes[2]); k must be a multiple of it */
  groupK: number;
  /** fp32 (k/groupK, n), row-major */
  scale: Float32Array;
  /** the zero points as fp16 bit patterns, (k/groupK, n), row-major */
  offset: Uint16Array;
  /** fp32, one per row (the (m, 1) tensor's data) */
  pertoken: Float32Array;
  output: 'bfloat16' | 'float16';
  /** fp16 output only: results beyond fp16's range become ±inf or saturate to ±65504 */
  fp16Overflow: 'inf' | 'saturate';
}

/** Throws RangeError unless the sizes and lengths of `a` fit together. */
export function checkGroupDequantArgs(a: GroupDequantArgs): void {
  const { m, n, k, groupK } = a;
  for (const [name, v] of [['m', m], ['n', n], ['k', k], ['groupK', groupK]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`group-dequant: ${name} must be a positive integer, got ${v}`);
  }
  if (k % groupK !== 0) throw new RangeError(`group-dequant: k=${k} is not a multiple of the group size ${groupK}`);
  const groups = k / groupK;
  const expect = (name: string, got: number, want: number, what: string): void => {
    if (got !== want) throw new RangeError(`group-dequant: ${name} has ${got} elements, expected ${want} (${what})`);
  };
  expect('x1', a.x1.length, m * k, `m=${m} x k=${k}`);
  expect('weight', a.weight.length, n * k, `n=${n} x k=${k}`);
  expect('scale', a.scale.length, groups * n, `groups=${groups} x n=${n}`);
  expect('offset', a.offset.length, groups * n, `groups=${groups} x n=${n}`);
  expect('pertoken', a.pertoken.length, m, `m=${m}`);
}

/** What one k-group contributes to element (i, j): exact integer sums and the group's parameters. */
interface GroupTerms {
  /** Σ x1·w over the group (exact) */
  acc: number;
  /** Σ x1 over the group (exact) */
  rowSum: number;
  /** the zero point widened from fp16 to fp32 (exact) */
  offset: number;
  scale: number;
}

/**
 * Per element (i, j) of the (m, n) output: start from +0, fold the groups in k order with `step`, then
 * `finish` with the row's pertoken. The fp32 path and the double ideal differ only in those two.
 */
function perElement<T extends Float32Array | Float64Array>(
  a: GroupDequantArgs, out: T, step: (sum: number, t: GroupTerms) => number, finish: (sum: number, pertoken: number) => number,
): T {
  checkGroupDequantArgs(a);
  const { m, n, k, groupK } = a;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let g = 0, start = 0; start < k; g++, start += groupK) {
        let acc = 0;
        let rowSum = 0;
        for (let p = start; p < start + groupK; p++) {
          acc += a.x1[i * k + p]! * a.weight[j * k + p]!;
          rowSum += a.x1[i * k + p]!;
        }
        sum = step(sum, { acc, rowSum, offset: f16BitsToF32(a.offset[g * n + j]!), scale: a.scale[g * n + j]! });
      }
      out[i * n + j] = finish(sum, a.pertoken[i]!);
    }
  }
  return out;
}

/**
 * The fp32 value before the output cast, per element (m, n) row-major, in the kernel's order. The sum
 * starts at +0 because the kernel zeroes its accumulator (Duplicate 0), so a -0 part becomes +0.
 */
export function groupDequantF32(a: GroupDequantArgs): Float32Array {
  return perElement(a, new Float32Array(a.m * a.n), (accu, t) => {
    const zeroTerm = Math.fround(t.rowSum * t.offset);
    const part = Math.fround(Math.fround(Math.fround(t.acc) - zeroTerm) * t.scale);
    return Math.fround(part + accu);
  }, (accu, pt) => Math.fround(accu * pt));
}

/** The output as bit patterns (bf16 or fp16), rounded to nearest even. */
export function groupDequant(a: GroupDequantArgs): Uint16Array {
  const y = groupDequantF32(a);
  const out = new Uint16Array(y.length);
  for (let i = 0; i < y.length; i++) {
    if (a.output === 'bfloat16') out[i] = f32ToBf16Bits(y[i]!);
    else {
      const h = f32ToF16Bits(y[i]!);
      out[i] = a.fp16Overflow === 'saturate' ? saturateF16Bits(h) : h;
    }
  }
  return out;
}

/** The double-precision ideal: Σ_g (acc_g − r_g·off[g,j])·s[g,j] · pt[i], no intermediate rounding. */
export function groupDequantIdeal(a: GroupDequantArgs): Float64Array {
  return perElement(a, new Float64Array(a.m * a.n), (sum, t) => sum + (t.acc - t.rowSum * t.offset) * t.scale, (sum, pt) => sum * pt);
}
