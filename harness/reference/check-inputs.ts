/**
 * The reference's boundary: a case's inputs checked against its declared dtypes and shapes and against
 * the op's shape rules, before any implementation (native or twin) sees them. Every error names the
 * tensor: TypeError for a wrong dtype or storage, RangeError for a wrong shape or length.
 */
import type { Column } from '../dtypes';
import { numel, storageFor, type CaseInputs, type Tensor } from '../data/tensor';
import type { CaseShapes } from '../expand/case';
import type { CaseDtypes } from './paths';
import { gemmOutShape } from './twin/gemm';

/** The sizes the rest of the reference needs once the inputs are known to be consistent. */
export interface CheckedSizes {
  m: number;
  n: number;
  k: number;
  /** broadcast batch + (m, n) */
  outShape: number[];
}

type InputName = Exclude<keyof CaseInputs, 'scaleSource'>;  // scaleSource is not an input of the op
const COLUMN_OF: Readonly<Record<InputName, Column>> = {
  x1: 'x1', weight: 'weight', scale: 'scale', offset: 'offset', bias: 'bias', pertoken_scale: 'pertoken_scale',
};

/** One tensor against its declared dtype and shape, and its storage against both. */
function checkTensor(name: InputName, tensor: Tensor | null, dtypes: CaseDtypes, shapes: CaseShapes): void {
  const dtype = dtypes[COLUMN_OF[name]];
  const shape = shapes[name];
  if (tensor === null) {
    if (dtype !== null || shape !== null) throw new TypeError(`${name}: the case declares ${dtype} ${JSON.stringify(shape)} but no tensor was given`);
    return;
  }
  if (dtype !== tensor.dtype) throw new TypeError(`${name}: the case declares dtype ${dtype}, the tensor is ${tensor.dtype}`);
  if (shape === null || shape.length !== tensor.shape.length || shape.some((d, i) => d !== tensor.shape[i])) {
    throw new RangeError(`${name}: the case declares shape ${JSON.stringify(shape)}, the tensor has [${tensor.shape}]`);
  }
  if (!tensor.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${name}: dims must be non-negative integers, got [${tensor.shape}]`);
  }
  if (!(tensor.data instanceof storageFor(tensor.dtype))) {
    throw new TypeError(`${name}: ${tensor.dtype} data must be a ${storageFor(tensor.dtype).name}, got ${tensor.data.constructor.name}`);
  }
  if (tensor.data.length !== numel(tensor.shape)) {
    throw new RangeError(`${name}: shape [${tensor.shape}] needs ${numel(tensor.shape)} elements, the data has ${tensor.data.length}`);
  }
}

/** Throws unless `tensor`'s dtype is one of `allowed`. */
function requireDtype(name: string, tensor: Tensor, allowed: readonly string[]): void {
  if (!allowed.includes(tensor.dtype)) throw new TypeError(`${name}: dtype ${tensor.dtype} is not one of ${allowed.join(', ')}`);
}

/** A 1-D vector of length 1 or n (scale, offset). */
function requireVector(name: string, tensor: Tensor, n: number): void {
  if (tensor.shape.length !== 1 || (tensor.shape[0] !== 1 && tensor.shape[0] !== n)) {
    throw new RangeError(`${name}: shape must be (1) or (n=${n}), got [${tensor.shape}]`);
  }
}

/** Checks every input; returns m, n, k and the output shape. */
export function checkCaseInputs(c: { dtypes: CaseDtypes; shapes: CaseShapes }, inputs: CaseInputs): CheckedSizes {
  for (const name of Object.keys(COLUMN_OF) as InputName[]) checkTensor(name, inputs[name], c.dtypes, c.shapes);
  const { x1, weight, scale, offset, bias, pertoken_scale: pertoken } = inputs;
  // int32 x1/weight is the int4-packed path: accepted by the module, not modelled by this reference
  requireDtype('x1', x1, ['int8']);
  requireDtype('weight', weight, ['int8']);
  const outShape = gemmOutShape(x1.shape, weight.shape);
  const m = outShape[outShape.length - 2]!;
  const n = outShape[outShape.length - 1]!;
  const k = x1.shape[x1.shape.length - 1]!;

  requireDtype('scale', scale, ['float32', 'bfloat16', 'int64']);
  requireVector('scale', scale, n);
  if (offset !== null) {
    requireDtype('offset', offset, ['float32']);
    requireVector('offset', offset, n);
  }
  if (pertoken !== null) {
    requireDtype('pertoken_scale', pertoken, ['float32']);
    if (pertoken.shape.length !== 1 || pertoken.shape[0] !== m) {
      throw new RangeError(`pertoken_scale: shape must be (m=${m}), got [${pertoken.shape}]`);
    }
  }
  if (bias !== null) {
    requireDtype('bias', bias, ['int32', 'float16', 'bfloat16', 'float32']);
    const s = bias.shape;
    const batch = outShape.length === 3 ? outShape[0]! : -1;
    const ok = (s.length === 1 && s[0] === n)
      || (s.length === 3 && outShape.length === 3 && (s[0] === batch || s[0] === 1) && s[1] === 1 && s[2] === n);
    if (!ok) {
      throw new RangeError(`bias: shape must be (n=${n}) or, for a 3-D output, (batch, 1, n); got [${s}] for output [${outShape}]`);
    }
  }
  return { m, n, k, outShape };
}
