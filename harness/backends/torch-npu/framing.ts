import { endianness } from 'node:os';
import { DTYPES, DTYPE_BYTES, type Dtype } from '../../dtypes';
import { numel, storageFor, type Tensor } from '../../data/tensor';

/**
 * The worker protocol's frames (README.md here): a uint32 LE header length, a UTF-8 JSON header, then
 * the raw little-endian bytes of every tensor the header's `tensors` list names, in order.
 */

/** One tensor's description in a header. */
export interface WireTensor {
  name: string;
  dtype: Dtype;
  shape: number[];
  nbytes: number;
}

/** A decoded frame: the JSON header and the tensors by name. */
export interface Frame {
  header: Record<string, unknown>;
  tensors: Map<string, Tensor>;
}

// Typed arrays are host-endian and the wire is little-endian; every Node platform we run on is LE.
if (endianness() !== 'LE') throw new Error('a8w8 torch-npu backend: big-endian hosts are not supported');

function bytesOf(t: Tensor): Buffer {
  const expected = numel(t.shape) * DTYPE_BYTES[t.dtype];
  if (t.data.byteLength !== expected || !(t.data instanceof storageFor(t.dtype))) {
    throw new TypeError(`tensor of ${t.dtype} ${JSON.stringify(t.shape)}: storage does not match`);
  }
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/**
 * A frame as its parts: the length and header, then each tensor's bytes in place (no copy of the inputs
 * is made; a stream writes the parts one after another). `tensors` in the header is filled in here, and
 * the header padded with spaces so that the tensors start 8-byte aligned in the frame.
 */
export function encodeFrameParts(header: Record<string, unknown>, tensors: ReadonlyArray<[string, Tensor]>): Buffer[] {
  const specs: WireTensor[] = [];
  const blobs: Buffer[] = [];
  for (const [name, t] of tensors) {
    const bytes = bytesOf(t);
    specs.push({ name, dtype: t.dtype, shape: [...t.shape], nbytes: bytes.length });
    blobs.push(bytes);
  }
  const json = JSON.stringify({ ...header, tensors: specs });
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  const pad = (8 - ((4 + jsonBytes) % 8)) % 8;
  const head = Buffer.alloc(4 + jsonBytes + pad, 0x20);
  head.writeUInt32LE(jsonBytes + pad, 0);
  head.write(json, 4, 'utf8');
  return [head, ...blobs];
}

function decodeTensor(spec: WireTensor, bytes: Buffer): Tensor {
  if (!(DTYPES as readonly string[]).includes(spec.dtype)) throw new TypeError(`unknown dtype ${spec.dtype}`);
  const count = numel(spec.shape);
  const size = DTYPE_BYTES[spec.dtype];
  if (count * size !== bytes.length) {
    throw new TypeError(`tensor ${spec.name}: ${bytes.length} bytes for ${spec.dtype} ${JSON.stringify(spec.shape)}`);
  }
  const Storage = storageFor(spec.dtype);
  // in place where the bytes are aligned for the element type (the worker pads its headers so that
  // they are): a large output is then not copied a second time. Otherwise copied into new storage.
  if (bytes.byteOffset % size === 0) return { dtype: spec.dtype, shape: [...spec.shape], data: new Storage(bytes.buffer, bytes.byteOffset, count) };
  const data = new Storage(count);
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes);
  return { dtype: spec.dtype, shape: [...spec.shape], data };
}

/** Incremental decoder for a byte stream of frames (stdout of the worker arrives in arbitrary chunks). */
export class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** bytes the frame at the front needs, once its header says (0: not known yet); avoids re-joining chunks */
  #need = 0;

  /** Adds bytes; returns every frame completed by them. Throws on a malformed frame. */
  push(chunk: Buffer): Frame[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  #next(): Frame | null {
    if (this.#buffered < Math.max(4, this.#need)) return null;
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [all];
    const hlen = all.readUInt32LE(0);
    if (all.length < 4 + hlen) {
      this.#need = 4 + hlen;
      return null;
    }
    const header = JSON.parse(all.subarray(4, 4 + hlen).toString('utf8')) as Record<string, unknown>;
    const specs = (header.tensors ?? []) as WireTensor[];
    const total = 4 + hlen + specs.reduce((sum, s) => sum + s.nbytes, 0);
    if (all.length < total) {
      this.#need = total;
      return null;
    }
    const tensors = new Map<string, Tensor>();
    let at = 4 + hlen;
    for (const spec of specs) {
      tensors.set(spec.name, decodeTensor(spec, all.subarray(at, at + spec.nbytes)));
      at += spec.nbytes;
    }
    const rest = all.subarray(total);
    this.#chunks = rest.length ? [rest] : [];
    this.#buffered = rest.length;
    this.#need = 0;
    return { header, tensors };
  }
}
