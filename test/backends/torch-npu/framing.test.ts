import { strict as assert } from 'node:assert';
import type { Tensor } from '../../../harness/data/tensor';
import { encodeFrame, FrameReader } from '../../../harness/backends/torch-npu/framing';

const tensors: [string, Tensor][] = [
  ['a', { dtype: 'int8', shape: [2, 3], data: Int8Array.of(-128, -1, 0, 1, 2, 127) }],
  ['b', { dtype: 'float16', shape: [3], data: Uint16Array.of(0x7c00, 0x8001, 0x3c00) }],
  ['c', { dtype: 'bfloat16', shape: [1], data: Uint16Array.of(0xff81) }],
  ['d', { dtype: 'int64', shape: [2], data: BigInt64Array.of(-1n, (1n << 46n) | 0x3e800000n) }],
  ['e', { dtype: 'float32', shape: [1, 1], data: Float32Array.of(-0) }],
  ['f', { dtype: 'int32', shape: [0, 4], data: new Int32Array(0) }],
];

describe('torch-npu: protocol frames', () => {
  it('round-trips every dtype bit for bit, whatever the chunking', () => {
    const frame = encodeFrame({ cmd: 'run', id: 3 }, tensors);
    const two = Buffer.concat([frame, encodeFrame({ cmd: 'hello', id: 4 }, [])]);
    for (const step of [1, 7, two.length]) {
      const reader = new FrameReader();
      const got = [];
      for (let i = 0; i < two.length; i += step) got.push(...reader.push(two.subarray(i, i + step)));
      assert.equal(got.length, 2, `step ${step}`);
      assert.equal(got[0]!.header.id, 3);
      assert.equal(got[1]!.header.cmd, 'hello');
      for (const [name, t] of tensors) assert.deepEqual(got[0]!.tensors.get(name), t, `${name}, step ${step}`);
    }
  });

  it('refuses a tensor whose storage does not match its dtype or shape', () => {
    assert.throws(() => encodeFrame({}, [['x', { dtype: 'int32', shape: [3], data: new Int32Array(2) }]]), TypeError);
    assert.throws(() => encodeFrame({}, [['x', { dtype: 'float16', shape: [1], data: new Int16Array(1) as never }]]),
      TypeError);
  });
});
