/**
 * Small builders over onnx-proto's generated classes: value infos, nodes, scalar initializers and the
 * model envelope. They keep model.ts about the graph, not about protobuf spelling.
 */
import { onnx } from 'onnx-proto';

/** ONNX element types the graphs use (onnx.proto TensorProto.DataType). */
export const ElemType = {
  FLOAT: onnx.TensorProto.DataType.FLOAT,
  UINT8: onnx.TensorProto.DataType.UINT8,
  INT8: onnx.TensorProto.DataType.INT8,
  INT32: onnx.TensorProto.DataType.INT32,
  FLOAT16: onnx.TensorProto.DataType.FLOAT16,
  BFLOAT16: onnx.TensorProto.DataType.BFLOAT16,
} as const;
export type ElemType = (typeof ElemType)[keyof typeof ElemType];

/**
 * Opset 17 with IR version 8 (the newest IR onnx-proto 8.0.1 knows): every op used here (MatMulInteger-10,
 * Cast-13 with bfloat16, Round-11, Clip-13, Add/Mul-14, MatMul-13) has its final semantics by then.
 */
export const OPSET = 17;
export const IR_VERSION = 8;

/** A graph input or output of fixed shape (the graphs are built per shape, so no symbolic dims). */
export function valueInfo(name: string, elemType: ElemType, shape: readonly number[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

/** A node of the default domain; integer attributes only (Cast's `to` is the only attribute needed). */
export function node(
  opType: string, inputs: string[], output: string, intAttrs: Record<string, number> = {},
): onnx.INodeProto {
  const attribute = Object.entries(intAttrs).map(([name, i]) => ({
    name, i, type: onnx.AttributeProto.AttributeType.INT,
  }));
  return { opType, input: inputs, output: [output], name: output, attribute };
}

/** A scalar initializer (shape []) of a uint8 or float value, stored as raw little-endian bytes. */
export function scalarInitializer(name: string, elemType: typeof ElemType.UINT8 | typeof ElemType.FLOAT, value: number): onnx.ITensorProto {
  const raw = elemType === ElemType.UINT8
    ? Uint8Array.of(value)
    : new Uint8Array(Float32Array.of(value).buffer);
  return { name, dataType: elemType, dims: [], rawData: raw };
}

/** The serialized model of one graph, ready for InferenceSession.create. */
export function encodeModel(
  name: string, nodes: onnx.INodeProto[], inputs: onnx.IValueInfoProto[], outputs: onnx.IValueInfoProto[],
  initializers: onnx.ITensorProto[],
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'a8w8',
    graph: { name, node: nodes, input: inputs, output: outputs, initializer: initializers },
  });
  return onnx.ModelProto.encode(model).finish();
}
