import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import { loadNativeReference, type IsaName } from '../../harness/reference/native';
import { firstDifference, rng } from './native-fixtures';

const ref = loadNativeReference();

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fromBits(bits: number): number { u32[0] = bits >>> 0; return f32[0]!; }

/** Random fp32 bit patterns of every class (NaN, inf, subnormal, ties) plus hand-picked edges. */
function patterns(count: number): Float32Array {
  const next = rng(42);
  const out = new Float32Array(count);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) u[i] = next();
  const edges = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x00000001, 0x007fffff, 0x33000000, 0x33000001,
    0x387fc000, 0x38800000, 0x477fefff, 0x477ff000, 0x47800000, 0x3f808000, 0x3f818000, 0x3f800001, 0x7f7fffff];
  edges.forEach((e, i) => { u[i] = e; });
  return out;
}

describe('native reference: casts', () => {
  after(() => ref.configure({}));
  const isas: IsaName[] = ref.engineInfo().bestIsa === 'scalar' ? ['scalar'] : ['scalar', ref.engineInfo().bestIsa];

  it('fp16: known values, ties to even, subnormals, overflow, NaN', () => {
    const x = new Float32Array([1, -2, 65504, 65519.996, 65520, 1e-8, fromBits(0x33000000), fromBits(0x33000001), 2 ** -24 * 3, 1 + 2 ** -11, 1 + 3 * 2 ** -11, NaN]);
    for (const isa of isas) {
      ref.configure({ isa });
      assert.deepEqual([...ref.f32ToF16(x)], [0x3c00, 0xc000, 0x7bff, 0x7bff, 0x7c00, 0x0000, 0x0000, 0x0001, 0x0003, 0x3c00, 0x3c02, 0x7e00], isa);
    }
  });

  it('bf16: ties to even, subnormals kept (never flushed), carry to inf, NaN quiet', () => {
    const x = new Float32Array([1 + 2 ** -8, 1 + 3 * 2 ** -8, fromBits(0x00018000), fromBits(0x00008000), fromBits(0x7f7fffff), fromBits(0x7f800001), -0]);
    for (const isa of isas) {
      ref.configure({ isa });
      assert.deepEqual([...ref.f32ToBf16(x)], [0x3f80, 0x3f82, 0x0002, 0x0000, 0x7f80, 0x7fc0, 0x8000], isa);
    }
  });

  it('the SIMD and scalar casts agree on 200k random bit patterns', function () {
    if (isas.length < 2) this.skip();
    const x = patterns(200_000);
    ref.configure({ isa: 'scalar' });
    const h0 = ref.f32ToF16(x), b0 = ref.f32ToBf16(x);
    ref.configure({ isa: isas[1]! });
    assert.equal(firstDifference(ref.f32ToF16(x), h0), -1);
    assert.equal(firstDifference(ref.f32ToBf16(x), b0), -1);
  });
});

describe('native reference: npu_trans_quant_param', () => {
  it('reproduces the op-plugin doc examples', () => {
    // 70507248869376 = 0x40203F85E000: scale 1.0458984375, offset +1; 0x7FC03E326000: offset -2
    const out = ref.transQuantParam(new Float32Array([1.0458984375, fromBits(0x3e326000)]), new Float32Array([1, -2]), 0);
    assert.deepEqual([...out], [70507248869376n, 0x7fc03e326000n]);
  });

  it('round_mode 0 masks, round_mode 1 rounds to nearest even with carry', () => {
    const s = new Float32Array([fromBits(0x3f801000), fromBits(0x3f803000), fromBits(0x3f801001), fromBits(0x3fffffff), fromBits(0x7f7ff000), fromBits(0x00400000), fromBits(0x80000001)]);
    const flag = 1n << 46n;
    assert.deepEqual([...ref.transQuantParam(s, null, 0)].map((v) => v - flag), [0x3f800000n, 0x3f802000n, 0x3f800000n, 0x3fffe000n, 0x7f7fe000n, 0x00400000n & 0xffffe000n, 0x80000000n]);
    assert.deepEqual([...ref.transQuantParam(s, null, 1)].map((v) => v - flag), [0x3f800000n, 0x3f804000n, 0x3f802000n, 0x40000000n, 0x7f800000n, 0n, 0x80000000n]);
  });

  it('offsets: half to even on the device, half away from zero on the host; clipped to 9 bits', () => {
    const off = new Float32Array([2.5, -2.5, 300, -300, 0.5]);
    const dev = ref.transQuantParam(new Float32Array([1]), off, 0);
    const host = ref.transQuantParamHost(new Float32Array([1, 1, 1, 1, 1]), off);
    const decode = (v: bigint): number => { const r = Number((v >> 37n) & 0x1ffn); return r >= 256 ? r - 512 : r; };
    assert.deepEqual([...dev].map(decode), [2, -2, 255, -256, 0]);
    assert.deepEqual([...host].map(decode), [3, -3, 255, -256, 1]);
    assert.equal(dev.length, 5);
  });

  it('host variant keeps the low 13 bits and does not broadcast', () => {
    const host = ref.transQuantParamHost(new Float32Array([fromBits(0x3f801fff)]), new Float32Array([1, 2]));
    assert.deepEqual([...host], [0x3f801fffn | (1n << 46n) | (1n << 37n), 2n << 37n]);
  });
});
