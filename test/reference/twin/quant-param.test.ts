import assert from 'node:assert/strict';
import { f32FromBits } from '../../../harness/reference/twin/fp32';
import {
  decodeQuantParam, roundFp19Bits, transQuantParam, transQuantParamHost,
} from '../../../harness/reference/twin/quant-param';

const FLAG = 1n << 46n;
const packed = (low32: number, offset: number): bigint => BigInt(low32 >>> 0) | (BigInt(offset & 0x1ff) << 37n) | FLAG;

describe('twin/quant-param', () => {
  it('round_mode 1 rounds the mantissa to 10 bits, nearest even, with carry, flush and inf', () => {
    const cases: [number, number][] = [
      [0x3f801000, 0x3f800000], // half, even lsb: down
      [0x3f803000, 0x3f804000], // half, odd lsb: up
      [0x3f801001, 0x3f802000], // above half: up
      [0x3f800fff, 0x3f800000], // below half: down
      [0x3ffff000, 0x40000000], // carry into the exponent
      [0x7f7ff000, 0x7f800000], // past the largest finite: inf
      [0x00402000, 0x00000000], // subnormal: flushed to zero
      [0x80402000, 0x80000000], // negative subnormal: signed zero
      [0x7fc01234, 0x7fc00000], // NaN: truncated
      [0xbf803000, 0xbf804000], // sign kept
    ];
    for (const [input, expected] of cases) {
      assert.equal(roundFp19Bits(input), expected >>> 0, `0x${input.toString(16)}`);
    }
  });

  it('broadcasts a length-1 scale or offset over the longer one and sets bit 46', () => {
    const out = transQuantParam(new Float32Array([1, 2]), new Float32Array([3]), 0);
    assert.deepEqual([...out], [packed(0x3f800000, 3), packed(0x40000000, 3)]);
    const out2 = transQuantParam(new Float32Array([1]), new Float32Array([-1, 2, 0]), 0);
    assert.deepEqual([...out2], [packed(0x3f800000, -1), packed(0x3f800000, 2), packed(0x3f800000, 0)]);
    assert.deepEqual([...transQuantParam(new Float32Array([0.5]), null, 1)], [packed(0x3f000000, 0)]);
  });

  it('clips the device offset to 9 bits after rounding half to even', () => {
    const offsets = new Float32Array([255.5, 256, -256.5, -257, 1e9, -1e9, 0.5, -0.5, 1.5]);
    const got = [...transQuantParam(new Float32Array([1]), offsets, 0)].map((v) => decodeQuantParam(v).offset);
    assert.deepEqual(got, [255, 255, -256, -256, 255, -256, 0, 0, 2]);
  });

  it('host variant: no mask, half away from zero, no broadcasting (entries past an input stay empty)', () => {
    const s = f32FromBits(0x3f801234);
    assert.deepEqual([...transQuantParamHost(new Float32Array([s]), null)], [BigInt(0x3f801234) | FLAG]);
    assert.deepEqual([...transQuantParamHost(new Float32Array([s]), new Float32Array([2.5]))],
      [BigInt(0x3f801234) | (3n << 37n) | FLAG]);
    const longerOffset = transQuantParamHost(new Float32Array([1]), new Float32Array([1, -1]));
    assert.deepEqual([...longerOffset], [packed(0x3f800000, 1), BigInt(0x1ff) << 37n]);
    const longerScale = transQuantParamHost(new Float32Array([1, 2]), new Float32Array([4]));
    assert.deepEqual([...longerScale], [packed(0x3f800000, 4), BigInt(0x40000000) | FLAG]);
  });

  it('decodes as the fixpipe reads: masked low 32 bits, sign-extended bits 37-45', () => {
    const d = decodeQuantParam(BigInt(0x3f801fff) | (0x100n << 37n) | FLAG);
    assert.equal(d.scale, 1);
    assert.equal(d.offset, -256);
    assert.equal(decodeQuantParam(0xffn << 37n).offset, 255);
    // bits outside the layout (here 63 and 32) are not interpreted
    assert.deepEqual(decodeQuantParam(BigInt.asIntN(64, (1n << 63n) | (1n << 32n) | 0x40000000n)), { scale: 2, offset: 0 });
  });
});

describe('twin/quant-param raw bits', () => {
  it('copies a signalling NaN scale bit for bit (JS numbers would set its quiet bit)', () => {
    const scale = new Float32Array(new Uint32Array([0x7f800001]).buffer);
    assert.equal(Number(BigInt.asUintN(32, transQuantParamHost(scale, null)[0]!)), 0x7f800001);
    assert.equal(Number(BigInt.asUintN(32, transQuantParam(scale, null, 1)[0]!)), 0x7f800000); // exponent 255: truncated
  });
});
