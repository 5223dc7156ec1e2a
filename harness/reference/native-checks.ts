/**
 * Argument checks of the native reference, done in TypeScript before anything reaches C++ (the addon
 * checks again so that nothing can crash it). Each error names the function, the argument and what was
 * wrong: TypeError for a wrong type or storage, RangeError for a wrong shape, length or value.
 */
import type { BiasArg, EpilogueArgs, ScaleArg } from './impl';
import { numel } from '../data/tensor';
import type { PathId } from './types';

/** Dims of x1 and weight: the module's 2 to 6. */
export const MIN_RANK = 2;
export const MAX_RANK = 6;
/** Largest k: int32 accumulation is exact while k * 2^14 < 2^31. */
export const MAX_K = 131071;

const PATHS: readonly PathId[] = ['int8-requant', 'fp16-fixpipe', 'fp16-float-bias', 'bf16-vector', 'fp16-pertoken', 'int32-acc'];

/** A shape of minRank..maxRank dims, each a positive safe integer; returns its element count. */
export function checkShape(where: string, shape: unknown, minRank = MIN_RANK, maxRank = MAX_RANK): number {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array of dims, got ${typeof shape}`);
  if (shape.length < minRank || shape.length > maxRank) {
    throw new RangeError(`${where}: shape [${shape}] has ${shape.length} dims, expected ${minRank} to ${maxRank}`);
  }
  let count = 1;
  shape.forEach((d: unknown, i) => {
    if (typeof d !== 'number') throw new TypeError(`${where}: dim ${i} of [${shape}] is a ${typeof d}, not a number`);
    if (!Number.isSafeInteger(d) || d < 1) throw new RangeError(`${where}: dim ${i} of [${shape}] is ${d}; dims must be positive integers`);
    count *= d;
  });
  if (!Number.isSafeInteger(count) || count > 2 ** 40) throw new RangeError(`${where}: shape [${shape}] has too many elements (${count})`);
  return count;
}

/** `data` is an instance of `ctor` with exactly `length` elements. */
export function checkData(where: string, data: unknown, ctor: { new (n: number): ArrayLike<unknown>; name: string }, length?: number): void {
  if (!(data instanceof ctor)) {
    const got = data === null ? 'null' : typeof data === 'object' ? (data as object).constructor.name : typeof data;
    throw new TypeError(`${where}: must be a ${ctor.name}, got ${got}`);
  }
  if (length !== undefined && (data as ArrayLike<unknown>).length !== length) {
    throw new RangeError(`${where}: has ${(data as ArrayLike<unknown>).length} elements, expected ${length}`);
  }
}

/**
 * An output passed in: `ctor`, exactly the elements of `shape`, and no byte in common with any of
 * `inputs` (the call would read what it had already overwritten).
 */
export function checkOutput(where: string, out: unknown, ctor: { new (n: number): ArrayLike<unknown>; name: string }, shape: number[], inputs: ArrayBufferView[]): void {
  checkData(where, out, ctor, numel(shape));
  const o = out as ArrayBufferView;
  for (const a of inputs) {
    if (a.byteLength > 0 && a.buffer === o.buffer && a.byteOffset < o.byteOffset + o.byteLength && o.byteOffset < a.byteOffset + a.byteLength) {
      throw new RangeError(`${where}: shares memory with an input of the call`);
    }
  }
}

/** The arrays an epilogue reads. */
export function epilogueInputs(args: EpilogueArgs): ArrayBufferView[] {
  const list: (ArrayBufferView | null | undefined)[] = [args.acc, args.scale?.data, args.offset, args.bias?.data, args.pertoken];
  return list.filter((a): a is ArrayBufferView => a !== null && a !== undefined);
}

/** undefined, or an integer thread count >= 1. */
export function checkThreads(where: string, threads: unknown): void {
  if (threads === undefined) return;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 4096) {
    throw new RangeError(`${where}: threads must be an integer in [1, 4096], got ${String(threads)}`);
  }
}

/** Checks gemm's arguments; returns the output shape batch + (m, n). */
export function checkGemm(x1: unknown, x1Shape: unknown, weight: unknown, weightShape: unknown, threads: unknown): number[] {
  const xCount = checkShape('native.gemm: x1', x1Shape);
  const wCount = checkShape('native.gemm: weight', weightShape);
  checkData(`native.gemm: x1 of shape [${x1Shape as number[]}]`, x1, Int8Array, xCount);
  checkData(`native.gemm: weight of shape [${weightShape as number[]}]`, weight, Int8Array, wCount);
  checkThreads('native.gemm', threads);
  return checkGemmShapes('native.gemm', x1Shape as number[], weightShape as number[]);
}

/** Checks the shapes of a product (each already a valid shape); returns the output shape batch + (m, n). */
export function checkGemmShapes(where: string, xs: number[], ws: number[]): number[] {
  const k = xs[xs.length - 1]!;
  if (ws[ws.length - 1] !== k) throw new RangeError(`${where}: x1 [${xs}] has k=${k}, weight [${ws}] has k=${ws[ws.length - 1]}`);
  if (k > MAX_K) throw new RangeError(`${where}: k=${k} exceeds ${MAX_K}: int32 accumulation would not be exact`);
  const xb = xs.slice(0, -2);
  const wb = ws.slice(0, -2);
  const rank = Math.max(xb.length, wb.length);
  const batch: number[] = [];
  for (let i = 0; i < rank; i++) {
    const a = xb[xb.length - rank + i] ?? 1;
    const b = wb[wb.length - rank + i] ?? 1;
    if (a !== b && a !== 1 && b !== 1) {
      throw new RangeError(`${where}: batch dims of x1 [${xs}] and weight [${ws}] do not broadcast (batch dim ${i}: ${a} vs ${b})`);
    }
    batch.push(Math.max(a, b));
  }
  const out = [...batch, xs[xs.length - 2]!, ws[ws.length - 2]!];
  checkShape(`${where}: output`, out);
  return out;
}

function checkScale(scale: ScaleArg | undefined, n: number): void {
  if (typeof scale !== 'object' || scale === null) throw new TypeError('native.epilogue: scale must be { dtype, data }');
  const ctor = scale.dtype === 'float32' ? Float32Array : scale.dtype === 'bfloat16' ? Uint16Array : scale.dtype === 'int64' ? BigInt64Array : null;
  if (ctor === null) throw new TypeError(`native.epilogue: scale.dtype must be float32, bfloat16 or int64, got ${String(scale.dtype)}`);
  checkData(`native.epilogue: ${scale.dtype} scale.data`, scale.data, ctor);
  if (scale.data.length !== 1 && scale.data.length !== n) {
    throw new RangeError(`native.epilogue: scale has ${scale.data.length} elements, expected 1 or n=${n}`);
  }
}

function checkBias(bias: BiasArg, outShape: number[], n: number): void {
  const ctor = bias.dtype === 'int32' ? Int32Array : bias.dtype === 'float32' ? Float32Array
    : bias.dtype === 'float16' || bias.dtype === 'bfloat16' ? Uint16Array : null;
  if (ctor === null) throw new TypeError(`native.epilogue: bias.dtype must be int32, float32, float16 or bfloat16, got ${String(bias.dtype)}`);
  const count = checkShape('native.epilogue: bias', bias.shape, 1, 3);
  const s = bias.shape;
  const batches = outShape.length === 3 ? outShape[0]! : -1;
  const ok = (s.length === 1 && s[0] === n)
    || (s.length === 3 && outShape.length === 3 && (s[0] === 1 || s[0] === batches) && s[1] === 1 && s[2] === n);
  if (!ok) throw new RangeError(`native.epilogue: bias shape [${s}] is neither (n=${n}) nor, for a 3-D output, (batch, 1, n); output [${outShape}]`);
  checkData(`native.epilogue: ${bias.dtype} bias.data of shape [${s}]`, bias.data, ctor, count);
}

/** Checks an EpilogueArgs object (same rules as the twin's, plus types). */
export function checkEpilogueArgs(where: string, args: EpilogueArgs): void {
  if (typeof args !== 'object' || args === null) throw new TypeError(`${where}: args must be an object`);
  const count = checkShape(`${where}: outShape`, args.outShape);
  checkData(`${where}: acc for outShape [${args.outShape}]`, args.acc, Int32Array, count);
  checkEpilogueParams(where, args, args.outShape);
}

/** Checks everything of an EpilogueArgs but acc, for an output of shape outShape (already checked). */
export function checkEpilogueParams(where: string, args: Omit<EpilogueArgs, 'acc' | 'outShape'>, outShape: number[]): void {
  if (typeof args !== 'object' || args === null) throw new TypeError(`${where}: args must be an object`);
  if (!PATHS.includes(args.path)) throw new RangeError(`${where}: unknown path ${String(args.path)}; known: ${PATHS.join(', ')}`);
  const m = outShape[outShape.length - 2]!;
  const n = outShape[outShape.length - 1]!;
  checkScale(args.scale, n);
  if (args.offset !== null) {
    checkData(`${where}: offset`, args.offset, Float32Array);
    if (args.offset.length !== 1 && args.offset.length !== n) throw new RangeError(`${where}: offset has ${args.offset.length} elements, expected 1 or n=${n}`);
  }
  if (args.bias !== null) checkBias(args.bias, outShape, n);
  if (args.pertoken !== null) checkData(`${where}: pertoken`, args.pertoken, Float32Array, m);
  const v = args.variant;
  if (typeof v !== 'object' || v === null) throw new TypeError(`${where}: variant must be an EpilogueVariant`);
  if (typeof v.scaleFp19 !== 'boolean' || typeof v.int8Clamp9 !== 'boolean') throw new TypeError(`${where}: variant.scaleFp19 and variant.int8Clamp9 must be booleans`);
  if (v.pertokenOrder !== 'sequential' && v.pertokenOrder !== 'fused') throw new RangeError(`${where}: variant.pertokenOrder must be sequential or fused, got ${String(v.pertokenOrder)}`);
  if (v.fp16Overflow !== 'inf' && v.fp16Overflow !== 'saturate') throw new RangeError(`${where}: variant.fp16Overflow must be inf or saturate, got ${String(v.fp16Overflow)}`);
  if (v.int8Tie !== 'even' && v.int8Tie !== 'odd') throw new RangeError(`${where}: variant.int8Tie must be even or odd, got ${String(v.int8Tie)}`);
}

/** Checks transQuantParam's scale and offset; returns the output length. */
export function checkQuantParamArgs(where: string, scale: unknown, offset: unknown, broadcast: boolean): number {
  checkData(`${where}: scale`, scale, Float32Array);
  const sl = (scale as Float32Array).length;
  if (sl < 1) throw new RangeError(`${where}: scale is empty`);
  if (offset === null) return sl;
  checkData(`${where}: offset`, offset, Float32Array);
  const ol = (offset as Float32Array).length;
  if (ol < 1) throw new RangeError(`${where}: offset is empty`);
  if (broadcast && sl !== ol && sl !== 1 && ol !== 1) throw new RangeError(`${where}: scale (${sl}) and offset (${ol}) lengths must match or be 1`);
  return Math.max(sl, ol);
}
