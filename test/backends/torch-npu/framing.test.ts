import { strict as assert } from 'node:assert';
import type { Tensor } from '../../../harness/data/tensor';
import { encodeFrameParts, FrameReader } from '../../../harness/backends/torch-npu/framing';

/** A whole frame, as the worker receives the parts one after another. */
const encodeFrame = (header: Record<string, unknown>, tensors: ReadonlyArray<[string, Tensor]>): Buffer => Buffer.concat(encodeFrameParts(header, tensors));

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

  it('pads the header so that the tensors start 8-byte aligned, and reads aligned tensors in place', () => {
    for (const id of [1, 12, 123, 1234, 12345, 123456, 1234567, 12345678]) {
      const frame = encodeFrame({ cmd: 'run', id }, tensors);
      assert.equal((4 + frame.readUInt32LE(0)) % 8, 0, `id ${id}`);
      const [got] = new FrameReader().push(frame);
      // d (int64) starts at 6 + 6 + 2 = 14 bytes past the header: copied; a (int8) is viewed in place
      assert.equal(got!.tensors.get('a')!.data.buffer, frame.buffer, 'a: in the frame');
      assert.notEqual(got!.tensors.get('d')!.data.buffer, frame.buffer, 'd: copied to align it');
      for (const [name, t] of tensors) assert.deepEqual(got!.tensors.get(name), t, `${name}, id ${id}`);
    }
  });

  it('reads a frame whose header is not padded (every alignment of the tensors), copying where it must', () => {
    const one: [string, Tensor][] = [['x', { dtype: 'int64', shape: [2], data: BigInt64Array.of(-3n, 1n << 40n) }], ['y', { dtype: 'float32', shape: [1], data: Float32Array.of(1.5) }]];
    for (let extra = 0; extra < 8; extra++) {
      const json = JSON.stringify({ cmd: 'run', id: 1, pad: 'z'.repeat(extra), tensors: one.map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, nbytes: t.data.byteLength })) });
      const head = Buffer.alloc(4);
      head.writeUInt32LE(Buffer.byteLength(json), 0);
      const frame = Buffer.concat([head, Buffer.from(json), ...one.map(([, t]) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))]);
      const [got] = new FrameReader().push(frame);
      for (const [name, t] of one) assert.deepEqual(got!.tensors.get(name), t, `${name}, header of ${json.length} bytes`);
    }
  });

  it('refuses a tensor whose storage does not match its dtype or shape', () => {
    assert.throws(() => encodeFrame({}, [['x', { dtype: 'int32', shape: [3], data: new Int32Array(2) }]]), TypeError);
    assert.throws(() => encodeFrame({}, [['x', { dtype: 'float16', shape: [1], data: new Int16Array(1) as never }]]),
      TypeError);
  });
});
