import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeNpy, encodeNpy, type NpyArray } from '../../harness/forensics/npy';
import { tmpDir } from '../helpers/cli';
import { SYSTEM_PYTHON } from '../backends/torch-npu/helpers';

const ARRAYS: NpyArray[] = [
  { storage: 'int8', shape: [2, 3], data: Int8Array.from([-128, -1, 0, 1, 2, 127]) },
  { storage: 'uint8', shape: [3], data: Uint8Array.from([0, 128, 255]) },
  { storage: 'int32', shape: [1, 2], data: Int32Array.from([-(2 ** 31), 2 ** 31 - 1]) },
  { storage: 'int64', shape: [2], data: BigInt64Array.from([-(2n ** 63n), 0x1234_5678_9abc_def0n]) },
  { storage: 'float16', shape: [2, 2], data: Uint16Array.from([0x3c00, 0xfc00, 0x7e00, 0x8000]) },
  { storage: 'uint16', shape: [1], data: Uint16Array.from([0x3f80]) },
  { storage: 'float32', shape: [], data: Float32Array.from([1.5]) },
  { storage: 'float32', shape: [0, 4], data: new Float32Array(0) },
];

describe('forensics: .npy writer and reader', () => {
  it('writes version 1.0 with a 64-byte aligned, newline-terminated header', () => {
    for (const a of ARRAYS) {
      const b = encodeNpy(a);
      assert.deepEqual([...b.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      const headerEnd = 10 + b.readUInt16LE(8);
      assert.equal(headerEnd % 64, 0);
      assert.equal(b[headerEnd - 1], 0x0a);
      assert.equal(b.length - headerEnd, a.data.byteLength);
    }
  });

  it('reads back what it writes, bit for bit', () => {
    for (const a of ARRAYS) {
      const back = decodeNpy(encodeNpy(a));
      assert.equal(back.storage, a.storage);
      assert.deepEqual(back.shape, a.shape);
      assert.deepEqual([...back.data as ArrayLike<unknown> as unknown[]], [...a.data as ArrayLike<unknown> as unknown[]]);
    }
  });

  it('refuses what it cannot read, saying why', () => {
    assert.throws(() => decodeNpy(Buffer.from('not numpy at all')), /bad magic/);
    const b = encodeNpy(ARRAYS[0]!);
    assert.throws(() => decodeNpy(b.subarray(0, b.length - 1)), /expected 6 data bytes/);
    const fortran = Buffer.from(b.toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1');
    assert.throws(() => decodeNpy(fortran), /Fortran/);
    const big = Buffer.from(b.toString('latin1').replace("'|i1'", "'>f4'"), 'latin1');
    assert.throws(() => decodeNpy(big), /dtype '>f4' not supported/);
  });

  it('numpy reads every dtype with the right values', function () {
    if (!fs.existsSync(SYSTEM_PYTHON)) this.skip();
    const dir = tmpDir();
    ARRAYS.forEach((a, i) => fs.writeFileSync(path.join(dir, `a${i}.npy`), encodeNpy(a)));
    const out = execFileSync(SYSTEM_PYTHON, ['-c', `
import numpy as np, json, sys
res = []
for i in range(${ARRAYS.length}):
    a = np.load('${dir}/a%d.npy' % i)
    res.append([a.dtype.str, list(a.shape), [str(x) for x in a.reshape(-1).view(np.uint16 if a.dtype == np.float16 else a.dtype).tolist()]])
print(json.dumps(res))`], { encoding: 'utf8' });
    const got = JSON.parse(out) as [string, number[], string[]][];
    ARRAYS.forEach((a, i) => {
      assert.equal(got[i]![0], { int8: '|i1', uint8: '|u1', int32: '<i4', int64: '<i8', float16: '<f2', uint16: '<u2', float32: '<f4' }[a.storage]);
      assert.deepEqual(got[i]![1], a.shape);
      assert.deepEqual(got[i]![2], Array.from(a.data as ArrayLike<number | bigint>, (x) => String(x)));
    });
  });
});
