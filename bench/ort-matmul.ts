/**
 * onnxruntime-node's MatMulInteger as a peer: A fed as uint8 x ^ 0x80 with a_zero_point
 * 128 (the same integers, and MLAS's fast u8 path), B = weightᵀ (k, n) int8 as an initializer so that
 * ORT prepacks it once at session creation.
 */
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';

export interface OrtMatmul {
  /** y (m, n) int32 for the uint8 A */
  run(aU8: Uint8Array): Promise<Int32Array>;
  release(): Promise<void>;
}

/** The model bytes: Y = MatMulInteger(A u8 (m, k), B int8 (k, n), a_zero_point = 128). */
export function buildModel(m: number, n: number, k: number, weight: Int8Array): Uint8Array {
  const bT = new Int8Array(k * n);  // (n, k) -> (k, n)
  for (let j = 0; j < n; j++) {
    const row = j * k;
    for (let p = 0; p < k; p++) bT[p * n + j] = weight[row + p]!;
  }
  const DT = onnx.TensorProto.DataType;
  const tensorType = (elemType: number, shape: number[]): onnx.ITypeProto => ({ tensorType: { elemType, shape: { dim: shape.map((d) => ({ dimValue: d })) } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'a8w8-bench',
    graph: {
      name: 'matmul_integer',
      node: [{ opType: 'MatMulInteger', input: ['A', 'B', 'a_zero_point'], output: ['Y'], name: 'mm' }],
      input: [{ name: 'A', type: tensorType(DT.UINT8, [m, k]) }],
      output: [{ name: 'Y', type: tensorType(DT.INT32, [m, n]) }],
      initializer: [
        { name: 'B', dataType: DT.INT8, dims: [k, n], rawData: new Uint8Array(bT.buffer) },
        { name: 'a_zero_point', dataType: DT.UINT8, dims: [], rawData: Uint8Array.of(128) },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** x ^ 0x80 as uint8: x + 128. */
export function toUint8Shifted(x: Int8Array): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! + 128) & 0xff;
  return out;
}

export async function createOrtMatmul(m: number, n: number, k: number, weight: Int8Array, threads: number): Promise<OrtMatmul> {
  const session = await ort.InferenceSession.create(buildModel(m, n, k, weight), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return {
    async run(aU8: Uint8Array): Promise<Int32Array> {
      const out = await session.run({ A: new ort.Tensor('uint8', aU8, [m, k]) });
      return out['Y']!.data as Int32Array;
    },
    release: () => session.release(),
  };
}
