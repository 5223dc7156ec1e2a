/**
 * The reference's boundary: a case's inputs checked against its declared dtypes and shapes and against
 * the op's shape rules, before any implementation (native or twin) sees them. Every error names the
 * tensor: TypeError for a wrong dtype or storage, RangeError for a wrong shape or length. int32 x1 and
 * weight are int4 packed eight to an int32 (data/tensor.ts Int4Packing); their sizes are checked
 * unpacked: the storage's packed dim times 8 is the logical k (or n, for the op's contiguous x2).
 */
import type { Column } from '../dtypes';
import { numel, storageFor, type CaseInputs, type Tensor } from '../data/tensor';
import type { CaseShapes } from '../expand/case';
import { checkPacking, logicalShape } from './int4';
import type { CaseDtypes } from './paths';
import type { PathId } from './types';
import { gemmOutShape } from './twin/gemm';
import { GROUP_PATHS } from './types';

/** The sizes the rest of the reference needs once the inputs are known to be consistent. */
export interface CheckedSizes {
  m: number;
  n: number;
  k: number;
  /** broadcast batch + (m, n) */
  outShape: number[];
  /** the logical (unpacked) shapes of x1 (..., m, k) and the weight (..., n, k) */
  x1Shape: number[];
  weightShape: number[];
  /** the group size along k on the per-group path, else null */
  groupK: number | null;
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
  // a case's shapes are logical: a packed tensor is held against its unpacked shape
  const have = tensor.packing !== undefined && tensor.dtype === 'int32' && (name === 'x1' || name === 'weight') ? logicalShapeOf(name, tensor) : tensor.shape;
  if (shape === null || shape.length !== have.length || shape.some((d, i) => d !== have[i])) {
    throw new RangeError(`${name}: the case declares shape ${JSON.stringify(shape)}, the tensor has [${have}]${have === tensor.shape ? '' : ` (unpacked from [${tensor.shape}])`}`);
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

/** The logical (unpacked) shape of x1 or the weight, after checking its packing against its dtype. */
function logicalShapeOf(name: 'x1' | 'weight', tensor: Tensor): number[] {
  if (tensor.dtype === 'int8') {
    if (tensor.packing !== undefined) throw new TypeError(`${name}: an int8 tensor must not carry a packing (only int32 holds packed int4)`);
    return tensor.shape;
  }
  // int32 x1/weight hold int4 values eight to an int32 (docs/semantics.md 3.1); the marker says how
  if (tensor.packing === undefined) {
    throw new TypeError(`${name}: int32 data is int4 packed eight to an int32 and must carry packing { kind: 'int4', perStorage: 8, dim }`);
  }
  checkPacking(name, tensor.packing, tensor.shape.length);
  if (name === 'x1' && tensor.packing.dim !== -1) {
    throw new RangeError(`x1: packing.dim must be -1 (x1 (m, k/8) packs k; the library refuses a transposed x1), got ${tensor.packing.dim}`);
  }
  if (name === 'weight' && tensor.shape.length !== 2) {
    throw new RangeError(`weight: an int4-packed weight must be 2-D, got [${tensor.shape}]`);
  }
  return logicalShape(tensor.shape, tensor.packing);
}

/**
 * x1 and the weight: int8, or both int32 holding int4 (A8W4, int8 x1 with an int32 weight, is not
 * modelled). Returns their logical shapes, in the module's layout (..., m, k) and (..., n, k).
 */
function checkOperands(x1: Tensor, weight: Tensor): { x1Shape: number[]; weightShape: number[] } {
  requireDtype('x1', x1, ['int8', 'int32']);
  requireDtype('weight', weight, ['int8', 'int32']);
  if (x1.dtype !== weight.dtype) {
    throw new TypeError(`weight: dtype ${weight.dtype} with x1 ${x1.dtype}: both must be int8 or both int32 (int4); A8W4 is not modelled`);
  }
  const x1Shape = logicalShapeOf('x1', x1);
  const weightShape = logicalShapeOf('weight', weight);
  const k1 = x1Shape[x1Shape.length - 1];
  const k2 = weightShape[weightShape.length - 1];
  if (x1.dtype === 'int32' && k1 !== k2) {
    throw new RangeError(`weight: unpacked k=${k2} (storage [${weight.shape}], packing dim ${weight.packing!.dim}) differs from x1's k = 8 x ${x1.shape[x1.shape.length - 1]} = ${k1}`);
  }
  return { x1Shape, weightShape };
}

/** A 2-D (groups, n) per-group parameter (scale, offset). */
function requireGroupMatrix(name: string, tensor: Tensor, groups: number, n: number): void {
  if (tensor.shape.length !== 2 || tensor.shape[0] !== groups || tensor.shape[1] !== n) {
    throw new RangeError(`${name}: the per-group path needs shape (k/group_k=${groups}, n=${n}), got [${tensor.shape}]`);
  }
}

/**
 * The per-group path's inputs (docs/semantics.md 3.4): int4 operands, x1 2-D, fp32 scale and fp16
 * offset (groups, n), fp32 pertoken (m, 1), no bias; returns the group size along k. group_sizes
 * [gm, gn, gk]: gm and gn must be 0 or 1 (one pertoken per row, one scale per column); gk 0 means
 * k / groups (k must be a multiple of it either way).
 */
function checkGroupInputs(inputs: CaseInputs, m: number, n: number, k: number, groupSizes: readonly number[] | null | undefined): number {
  const { x1, scale, offset, bias, pertoken_scale: pertoken } = inputs;
  if (x1.dtype !== 'int32') throw new TypeError(`x1: the per-group path (float16 offset) needs int4 (int32-packed) x1 and weight, got ${x1.dtype}`);
  if (x1.shape.length !== 2) throw new RangeError(`x1: the per-group path needs a 2-D x1, got [${x1.shape}]`);
  if (bias !== null) throw new TypeError('bias: the per-group path takes no bias');
  requireDtype('scale', scale, ['float32']);
  if (scale.shape.length !== 2) throw new RangeError(`scale: the per-group path needs a 2-D (groups, n) scale, got [${scale.shape}]`);
  const groups = scale.shape[0]!;
  let groupK = groups > 0 ? k / groups : NaN;
  if (groupSizes !== null && groupSizes !== undefined) {
    if (groupSizes.length !== 3 || !groupSizes.every((g) => Number.isInteger(g) && g >= 0 && g <= 65535)) {
      throw new RangeError(`group_sizes: must be three integers [group_m, group_n, group_k] in [0, 65535], got ${JSON.stringify(groupSizes)}`);
    }
    const [gm, gn, gk] = groupSizes as [number, number, number];
    if (gm > 1 || gn > 1) throw new RangeError(`group_sizes: group_m and group_n must be 0 or 1 on the per-group path (a pertoken per row, a scale per column), got [${groupSizes}]`);
    if (gk > 0) groupK = gk;
  }
  if (!Number.isInteger(groupK) || groupK < 1 || k % groupK !== 0) {
    throw new RangeError(`group_sizes: k=${k} is not a whole number of groups (${groups} groups in the scale, group_k ${groupSizes?.[2] ?? 'not given'})`);
  }
  requireGroupMatrix('scale', scale, k / groupK, n);
  if (offset === null) throw new TypeError('offset: the per-group path needs a float16 (groups, n) offset');
  requireDtype('offset', offset, ['float16']);
  requireGroupMatrix('offset', offset, k / groupK, n);
  if (pertoken === null) throw new TypeError('pertoken_scale: the per-group path needs a float32 (m, 1) pertoken_scale');
  requireDtype('pertoken_scale', pertoken, ['float32']);
  if (pertoken.shape.length !== 2 || pertoken.shape[0] !== m || pertoken.shape[1] !== 1) {
    throw new RangeError(`pertoken_scale: the per-group path needs shape (m=${m}, 1), got [${pertoken.shape}]`);
  }
  return groupK;
}

/** Checks every input; returns m, n, k (unpacked) and the output shape, and group_k on the per-group path. */
export function checkCaseInputs(
  c: { dtypes: CaseDtypes; shapes: CaseShapes; groupSizes?: readonly number[] | null; path: PathId | null }, inputs: CaseInputs,
): CheckedSizes {
  if (c.path === null) throw new TypeError('the case has no numeric path: its spec\'s `numerics` names none for these dtypes');
  for (const name of Object.keys(COLUMN_OF) as InputName[]) checkTensor(name, inputs[name], c.dtypes, c.shapes);
  const { x1, weight, scale, offset, bias, pertoken_scale: pertoken } = inputs;
  const { x1Shape, weightShape } = checkOperands(x1, weight);
  const outShape = gemmOutShape(x1Shape, weightShape);
  const m = outShape[outShape.length - 2]!;
  const n = outShape[outShape.length - 1]!;
  const k = x1Shape[x1Shape.length - 1]!;
  if (GROUP_PATHS.includes(c.path)) {
    return { m, n, k, outShape, x1Shape, weightShape, groupK: checkGroupInputs(inputs, m, n, k, c.groupSizes) };
  }

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
  return { m, n, k, outShape, x1Shape, weightShape, groupK: null };
}
