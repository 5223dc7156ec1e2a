import assert from 'node:assert/strict';
import { mulberry32 } from '../../../harness/data/random';
import { bf16BitsToF32 } from '../../../harness/reference/twin/bf16';
import { f16BitsToF32, f32ToF16Bits } from '../../../harness/reference/twin/fp16';
import {
  groupDequant, groupDequantF32, groupDequantIdeal, type GroupDequantArgs,
} from '../../../harness/reference/twin/group-dequant';

const F16_HALF = 0x3800; // 0.5
const F16_MINUS_ONE = 0xbc00; // -1

/** Args for m rows and n columns with k = 16 and two groups of 8; everything else given. */
function args(extra: Partial<GroupDequantArgs> & Pick<GroupDequantArgs, 'x1' | 'weight' | 'scale' | 'offset' | 'pertoken'>): GroupDequantArgs {
  return { m: 1, n: 1, k: 16, groupK: 8, output: 'bfloat16', fp16Overflow: 'inf', ...extra };
}

describe('twin/group-dequant (A4W4 per-group, docs/semantics.md 3.4)', () => {
  it('subtracts the zero point per group, scales per group, sums, then multiplies by pertoken (k=16, gk=8)', () => {
    // group 0: x1 = 1 x8, w = 1 x8 -> acc 8, row sum 8, offset 0.5, scale 0.25 -> (8 - 4) * 0.25 = 1
    // group 1: x1 = [2, 0...], w = [3, 0...] -> acc 6, row sum 2, offset -1, scale 2 -> (6 + 2) * 2 = 16
    // y = (1 + 16) * 3 = 51
    const a = args({
      x1: Int8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0]),
      weight: Int8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0]),
      scale: Float32Array.from([0.25, 2]),
      offset: Uint16Array.from([F16_HALF, F16_MINUS_ONE]),
      pertoken: Float32Array.from([3]),
    });
    assert.deepEqual([...groupDequantF32(a)], [51]);
    assert.deepEqual([...groupDequant(a)], [0x424c]); // bf16 51
    assert.deepEqual([...groupDequant({ ...a, output: 'float16' })], [0x5260]); // fp16 51
    assert.deepEqual([...groupDequantIdeal(a)], [51]);
  });

  it('indexes (groups, n) parameters by group and column and rows by pertoken (m=2, n=2)', () => {
    // x1 row 0 = all 1, row 1 = all -1; weight col 0 = all 1, col 1 = all -2
    const x1 = Int8Array.from([...new Array<number>(16).fill(1), ...new Array<number>(16).fill(-1)]);
    const weight = Int8Array.from([...new Array<number>(16).fill(1), ...new Array<number>(16).fill(-2)]);
    // scale[g][j] and offset[g][j]: offsets 0 except group 1 column 1 = 0.5
    const a = args({
      m: 2, n: 2, x1, weight,
      scale: Float32Array.from([1, 2, 4, 8]),
      offset: Uint16Array.from([0, 0, 0, F16_HALF]),
      pertoken: Float32Array.from([1, 0.5]),
    });
    // (i=0, j=0): acc_g 8, 8 -> 8*1 + 8*4 = 40; (0, 1): acc_g -16, -16; r_g 8 -> -16*2 + (-16 - 4)*8 = -192
    // (1, 0): acc_g -8 -> (-8 - 32) * 0.5 = -20; (1, 1): acc_g 16, r_g -8 -> (32 + (16 + 4)*8) * 0.5 = 96
    assert.deepEqual([...groupDequantF32(a)], [40, -192, -20, 96]);
  });

  it('rounds every step in fp32 in the kernel order: the group sum loses what double keeps', () => {
    // group 0: acc 8, scale 2^21 -> part 2^24; group 1: acc 1, scale 1 -> part 1; fp32 2^24 + 1 ties to 2^24
    const x1 = Int8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    const a = args({
      x1, weight: x1, scale: Float32Array.from([2 ** 21, 1]), offset: new Uint16Array(2), pertoken: Float32Array.from([1]),
    });
    assert.deepEqual([...groupDequantF32(a)], [2 ** 24]);
    assert.deepEqual([...groupDequantIdeal(a)], [2 ** 24 + 1]);
  });

  it('starts the sum from +0, so an all -0 result is +0; fp16 overflow follows the variant', () => {
    const zero = args({
      x1: new Int8Array(16), weight: new Int8Array(16), scale: Float32Array.from([-1, -1]), offset: new Uint16Array(2),
      pertoken: Float32Array.from([1]),
    });
    assert.ok(Object.is(groupDequantF32(zero)[0], 0));
    const big = args({
      x1: new Int8Array(16).fill(7), weight: new Int8Array(16).fill(7), scale: Float32Array.from([1000, 1000]),
      offset: new Uint16Array(2), pertoken: Float32Array.from([1]), output: 'float16',
    });
    assert.deepEqual([...groupDequant(big)], [0x7c00]);
    assert.deepEqual([...groupDequant({ ...big, fp16Overflow: 'saturate' })], [0x7bff]);
  });

  it('stays within the fp32 rounding bound of the double-precision ideal on random data', () => {
    const r = mulberry32(20261207);
    const int4 = (count: number): Int8Array => Int8Array.from({ length: count }, () => Math.floor(r() * 16) - 8);
    for (let trial = 0; trial < 50; trial++) {
      const m = 3, n = 4, groupK = 8, k = 8 * (1 + Math.floor(r() * 4)), groups = k / groupK;
      const a: GroupDequantArgs = {
        x1: int4(m * k), weight: int4(n * k), m, n, k, groupK,
        scale: Float32Array.from({ length: groups * n }, () => Math.fround((r() + 0.01) * 2 ** -6)),
        offset: Uint16Array.from({ length: groups * n }, () => f32ToF16Bits((r() - 0.5) * 16)),
        pertoken: Float32Array.from({ length: m }, () => Math.fround(r() * 4)),
        output: 'bfloat16', fp16Overflow: 'inf',
      };
      const y = groupDequantF32(a);
      const ideal = groupDequantIdeal(a);
      const out = groupDequant(a);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          // |Σ|part|| bounds every partial sum; each of the 2 + 2·groups fp32 roundings adds at most 2^-24 of it
          let magnitude = 0;
          for (let g = 0; g < groups; g++) {
            let acc = 0, rowSum = 0;
            for (let p = g * groupK; p < (g + 1) * groupK; p++) { acc += a.x1[i * k + p]! * a.weight[j * k + p]!; rowSum += a.x1[i * k + p]!; }
            magnitude += Math.abs((acc - rowSum * f16BitsToF32(a.offset[g * n + j]!)) * a.scale[g * n + j]!);
          }
          const bound = (2 + 2 * groups) * 2 ** -24 * magnitude * a.pertoken[i]! * 1.0001;
          assert.ok(Math.abs(y[i * n + j]! - ideal[i * n + j]!) <= bound, `trial ${trial} (${i}, ${j}): ${y[i * n + j]} vs ${ideal[i * n + j]}`);
          // and the bf16 output is the nearest bf16 of the fp32 value (at most half a bf16 ulp away)
          const b = bf16BitsToF32(out[i * n + j]!);
          assert.ok(Math.abs(b - y[i * n + j]!) <= Math.abs(y[i * n + j]!) * 2 ** -8, `trial ${trial}: bf16 ${b} vs ${y[i * n + j]}`);
        }
      }
    }
  });

  it('refuses sizes that do not fit together', () => {
    const ok = args({
      x1: new Int8Array(16), weight: new Int8Array(16), scale: new Float32Array(2), offset: new Uint16Array(2),
      pertoken: new Float32Array(1),
    });
    assert.throws(() => groupDequant({ ...ok, groupK: 6 }), /k=16 is not a multiple of the group size 6/);
    assert.throws(() => groupDequant({ ...ok, scale: new Float32Array(1) }), /scale has 1 elements, expected 2/);
    assert.throws(() => groupDequant({ ...ok, offset: new Uint16Array(3) }), /offset has 3 elements/);
    assert.throws(() => groupDequant({ ...ok, pertoken: new Float32Array(2) }), /pertoken has 2 elements, expected 1/);
    assert.throws(() => groupDequant({ ...ok, m: 0 }), /m must be a positive integer/);
  });
});
