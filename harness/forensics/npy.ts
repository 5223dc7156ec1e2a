/**
 * NumPy's `.npy` format, version 1.0 (the one every numpy reads): the magic `\x93NUMPY`, the version,
 * a little-endian uint16 header length, a Python dict literal `{'descr': ..., 'fortran_order': False,
 * 'shape': (...), }` padded with spaces to a 64-byte boundary and ended by a newline, then the raw
 * C-order data. Saved cases are written in it so that the kernel's owners open them with numpy alone.
 */
import * as os from 'os';

/** How elements are stored on disk: numpy's own dtypes (bfloat16 travels as its uint16 bit patterns). */
export type NpyStorage = 'int8' | 'uint8' | 'int32' | 'int64' | 'float16' | 'uint16' | 'float32';

/** numpy's type string of each storage dtype, little-endian (`|` where byte order does not apply). */
export const NPY_DESCR: Readonly<Record<NpyStorage, string>> = {
  int8: '|i1', uint8: '|u1', int32: '<i4', int64: '<i8', float16: '<f2', uint16: '<u2', float32: '<f4',
};

export type NpyData = Int8Array | Uint8Array | Int32Array | BigInt64Array | Uint16Array | Float32Array;

/** An array as an .npy file holds it. */
export interface NpyArray {
  storage: NpyStorage;
  shape: number[];
  data: NpyData;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const ALIGN = 64;

/** The typed array each storage dtype reads into. */
const ARRAY_OF: Readonly<Record<NpyStorage, { new (b: ArrayBuffer, o: number, n: number): NpyData; BYTES_PER_ELEMENT: number }>> = {
  int8: Int8Array, uint8: Uint8Array, int32: Int32Array, int64: BigInt64Array, float16: Uint16Array, uint16: Uint16Array, float32: Float32Array,
};

/** Typed arrays are in the host's byte order; the format says little-endian, so refuse to mislabel. */
function requireLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new Error('npy: this writer assumes a little-endian host');
}

function shapeLiteral(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Encodes an array as the bytes of an .npy file (version 1.0). */
export function encodeNpy(a: NpyArray): Buffer {
  requireLittleEndian();
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (count !== a.data.length) throw new Error(`npy: shape [${a.shape.join(', ')}] holds ${count} elements, data has ${a.data.length}`);
  const dict = `{'descr': '${NPY_DESCR[a.storage]}', 'fortran_order': False, 'shape': ${shapeLiteral(a.shape)}, }`;
  // magic (6) + version (2) + header length (2) + dict + padding + newline, a multiple of ALIGN
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const header = dict + ' '.repeat((ALIGN - (unpadded % ALIGN)) % ALIGN) + '\n';
  if (header.length > 0xffff) throw new Error('npy: header too long for format version 1.0');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(prefix, 0);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/** Decodes an .npy file (versions 1.0 to 3.0, C order, the storage dtypes above); anything else is an error. */
export function decodeNpy(bytes: Buffer, what = 'npy'): NpyArray {
  requireLittleEndian();
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw new Error(`${what}: not an .npy file (bad magic)`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new Error(`${what}: .npy version ${major}.${bytes[7]} not supported`);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = 8 + lenBytes;
  const header = bytes.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`${what}: malformed .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new Error(`${what}: Fortran-order arrays are not supported`);
  const storage = (Object.keys(NPY_DESCR) as NpyStorage[]).find((s) => NPY_DESCR[s] === descr);
  if (storage === undefined) throw new Error(`${what}: dtype '${descr}' not supported (expected one of ${Object.values(NPY_DESCR).join(', ')})`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const n = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${what}: bad dimension '${s}' in shape`);
    return n;
  });
  const count = shape.reduce((x, y) => x * y, 1);
  const Ctor = ARRAY_OF[storage];
  const dataStart = start + headerLen;
  const need = count * Ctor.BYTES_PER_ELEMENT;
  if (bytes.length - dataStart !== need) throw new Error(`${what}: expected ${need} data bytes for shape [${shape.join(', ')}], found ${bytes.length - dataStart}`);
  // copy into a fresh, aligned buffer: a Buffer's offset in its pool need not suit the element size
  const copy = new ArrayBuffer(need);
  new Uint8Array(copy).set(bytes.subarray(dataStart, dataStart + need));
  return { storage, shape, data: new Ctor(copy, 0, count) };
}
