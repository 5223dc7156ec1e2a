/**
 * The inputs of each output element of an epilogue: which batch, row and column it is, its accumulator
 * with the int32 bias, its float bias and its pertoken scale. Also the epilogue's argument checks, so the
 * twin rejects what the native addon rejects instead of reading past an array.
 */
import type { BiasArg, EpilogueArgs } from '../impl';
import { GROUP_PATHS } from '../types';
import { bf16BitsToF32 } from './bf16';
import { f16BitsToF32 } from './fp16';

/** Position of one output element in batch + (m, n). */
export interface ElementPosition {
  /** flat index into the output */
  index: number;
  /** flat index of the batch (0 for a 2-D output) */
  batch: number;
  row: number;
  column: number;
}

/** m, n, the flat batch count and the element count of an output shape batch + (m, n). */
export function outputLayout(outShape: readonly number[]): { batches: number; m: number; n: number; count: number } {
  if (outShape.length < 2) throw new RangeError(`epilogue: outShape needs at least 2 dims, got [${outShape}]`);
  const m = outShape[outShape.length - 2]!;
  const n = outShape[outShape.length - 1]!;
  const batches = outShape.slice(0, -2).reduce((p, d) => p * d, 1);
  return { batches, m, n, count: batches * m * n };
}

/** Every element position of the output, in row-major order. */
export function positions(outShape: readonly number[]): ElementPosition[] {
  const { m, n, count } = outputLayout(outShape);
  const out: ElementPosition[] = [];
  for (let index = 0; index < count; index++) {
    out.push({ index, batch: Math.floor(index / (m * n)), row: Math.floor(index / n) % m, column: index % n });
  }
  return out;
}

/** Flat index into a bias of shape (n) or (batch, 1, n); a batch dim of 1 applies to every batch. */
function biasIndex(bias: BiasArg, at: ElementPosition, n: number): number {
  if (bias.shape.length === 1) return at.column;
  return (bias.shape[0] === 1 ? 0 : at.batch) * n + at.column;
}

/**
 * acc + int32 bias, in int32 two's complement like the L0C register (generated data keeps it in range,
 * docs/semantics.md §2.1; outside that range the hardware's behaviour is not known).
 */
export function accWithIntBias(args: EpilogueArgs, at: ElementPosition, n: number): number {
  const acc = args.acc[at.index]!;
  if (args.bias === null || args.bias.dtype !== 'int32') return acc;
  return (acc + args.bias.data[biasIndex(args.bias, at, n)]!) | 0;
}

/** The float bias of an element widened exactly to fp32, or null when the bias is absent or int32. */
export function floatBias(args: EpilogueArgs, at: ElementPosition, n: number): number | null {
  const bias = args.bias;
  if (bias === null || bias.dtype === 'int32') return null;
  const raw = bias.data[biasIndex(bias, at, n)]!;
  if (bias.dtype === 'float32') return raw;
  return bias.dtype === 'float16' ? f16BitsToF32(raw) : bf16BitsToF32(raw);
}

/** The pertoken scale of an element's row, or null. */
export function pertokenOf(args: EpilogueArgs, at: ElementPosition): number | null {
  return args.pertoken === null ? null : args.pertoken[at.row]!;
}

/** Throws RangeError naming the argument whose length does not fit outShape. */
export function checkEpilogueArgs(args: EpilogueArgs): void {
  if (GROUP_PATHS.includes(args.path)) {
    throw new RangeError(`epilogue: path ${args.path} dequantizes per k-group and has no whole-accumulator epilogue; use twin/group-dequant.ts`);
  }
  const { batches, m, n, count } = outputLayout(args.outShape);
  const fail = (what: string, got: number, expected: string): never => {
    throw new RangeError(`epilogue: ${what} has length ${got}, expected ${expected} for outShape [${args.outShape}]`);
  };
  if (args.acc.length !== count) fail('acc', args.acc.length, `${count}`);
  const sl = args.scale.data.length;
  if (sl !== 1 && sl !== n) fail('scale', sl, `1 or n=${n}`);
  if (args.offset !== null && args.offset.length !== 1 && args.offset.length !== n) {
    fail('offset', args.offset.length, `1 or n=${n}`);
  }
  if (args.pertoken !== null && args.pertoken.length !== m) fail('pertoken', args.pertoken.length, `m=${m}`);
  if (args.bias !== null) {
    const shape = args.bias.shape;
    const okShape = (shape.length === 1 && shape[0] === n) || (shape.length === 3 && args.outShape.length === 3
      && (shape[0] === 1 || shape[0] === batches) && shape[1] === 1 && shape[2] === n);
    if (!okShape) throw new RangeError(`epilogue: bias shape [${shape}] is neither (n) nor (batch, 1, n) for outShape [${args.outShape}]`);
    const expected = shape.reduce((p, d) => p * d, 1);
    if (args.bias.data.length !== expected) fail('bias', args.bias.data.length, `${expected} (shape [${shape}])`);
  }
}
