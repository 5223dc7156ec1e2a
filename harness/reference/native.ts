/**
 * The native reference: the C++ addon behind the ReferenceImpl interface (./impl), with every argument
 * checked here first (./native-checks). Also what the benchmark and the run environment need: which
 * engine runs and why, forcing an engine or SIMD path, and weights prepared for repeated products.
 */
import type { EpilogueArgs, ReferenceImpl } from './impl';
import {
  nativeAddon, type EngineChoice, type EngineInfo, type EngineName, type EpilogueOut, type EpilogueParams, type NativeAddon, type OnednnPrimitive,
  type RawGemmEpilogue, type RawPreparedWeight,
} from './native-addon';
import {
  checkData, checkEpilogueArgs, checkEpilogueParams, checkGemm, checkGemmShapes, checkOutput, checkQuantParamArgs, checkShape, checkThreads, epilogueInputs, MAX_K,
} from './native-checks';
import { outputArrayOf, type PathId } from './types';

export type { EngineChoice, EngineInfo, EngineName, EpilogueOut, EpilogueParams, IsaName, OnednnPrimitive } from './native-addon';

/** A 2-D weight (n, k) kept for repeated products with different x1. */
export class PreparedGemm {
  readonly #raw: RawPreparedWeight;
  /** the weight's rows and columns */
  readonly n: number;
  readonly k: number;

  constructor(raw: RawPreparedWeight, n: number, k: number) {
    this.#raw = raw;
    this.n = n;
    this.k = k;
  }

  /** the engine this weight was prepared for (fixed at prepare time) */
  get engine(): EngineName {
    return this.#raw.info().engine;
  }

  /** bytes of the engine's own copy of the weight (0: the portable engine reads it in place) */
  get packedBytes(): number {
    return this.#raw.info().packedBytes;
  }

  /**
   * Does the one-time reorder for products with m rows on `threads` threads now (oneDNN only), so it can
   * be timed apart.
   */
  packFor(m: number, threads?: number): void {
    checkShape('PreparedGemm.packFor: [m]', [m], 1, 1);
    checkThreads('PreparedGemm.packFor', threads);
    this.#raw.packFor(m, threads);
  }

  /** x1 (..., m, k) · weightᵀ -> Int32Array of (..., m, n). */
  run(x1: Int8Array, x1Shape: number[], threads?: number): Int32Array {
    const count = checkShape('PreparedGemm.run: x1', x1Shape);
    checkData(`PreparedGemm.run: x1 of shape [${x1Shape}]`, x1, Int8Array, count);
    if (x1Shape[x1Shape.length - 1] !== this.k) throw new RangeError(`PreparedGemm.run: x1 [${x1Shape}] has k=${x1Shape[x1Shape.length - 1]}, the weight has k=${this.k}`);
    checkThreads('PreparedGemm.run', threads);
    return this.#raw.run(x1, x1Shape, threads);
  }
}

/**
 * GEMM + one epilogue variant for one shape and one parameter set, in one native call per case: the
 * shapes and parameters are checked and read once, here; a call passes only x1, the weight and an output
 * it owns, and nothing is allocated or created per call (the int32 product is kept between calls).
 * Same result as gemm() then epilogue(), bit for bit.
 */
export class GemmEpilogue {
  readonly #raw: RawGemmEpilogue;
  readonly #out: typeof Int8Array | typeof Uint16Array | typeof Int32Array;
  /** elements of x1, of the weight and of the output of one case */
  readonly x1Elements: number;
  readonly weightElements: number;
  readonly outElements: number;
  readonly outShape: number[];

  constructor(raw: RawGemmEpilogue, path: PathId, x1Elements: number, weightElements: number, outShape: number[]) {
    this.#raw = raw;
    this.#out = outputArrayOf(path);
    this.x1Elements = x1Elements;
    this.weightElements = weightElements;
    this.outShape = outShape;
    this.outElements = outShape.reduce((a, b) => a * b, 1);
  }

  /** A new output array for `cases` cases (allocate once, pass to run/runMany every time). */
  newOutput(cases = 1): EpilogueOut {
    return new this.#out(cases * this.outElements);
  }

  /** One case into `out` (a new array when omitted); returns out. */
  run(x1: Int8Array, weight: Int8Array, out: EpilogueOut = this.newOutput(), threads?: number): EpilogueOut {
    checkData('GemmEpilogue.run: x1', x1, Int8Array, this.x1Elements);
    checkData('GemmEpilogue.run: weight', weight, Int8Array, this.weightElements);
    checkData('GemmEpilogue.run: out', out, this.#out, this.outElements);
    checkThreads('GemmEpilogue.run', threads);
    return this.#raw.run(x1, weight, out, threads);
  }

  /** `cases` cases laid end to end in x1s, weights and outs, in one native call; returns outs. */
  runMany(x1s: Int8Array, weights: Int8Array, cases: number, outs: EpilogueOut = this.newOutput(cases), threads?: number): EpilogueOut {
    checkShape('GemmEpilogue.runMany: [cases]', [cases], 1, 1);
    checkData('GemmEpilogue.runMany: x1s', x1s, Int8Array, cases * this.x1Elements);
    checkData('GemmEpilogue.runMany: weights', weights, Int8Array, cases * this.weightElements);
    checkData('GemmEpilogue.runMany: outs', outs, this.#out, cases * this.outElements);
    checkThreads('GemmEpilogue.runMany', threads);
    return this.#raw.runMany(x1s, weights, outs, cases, threads);
  }
}

/** The ReferenceImpl backed by the addon. */
export class NativeReference implements ReferenceImpl {
  readonly name = 'native' as const;
  readonly #addon: NativeAddon;

  constructor(addon: NativeAddon) {
    this.#addon = addon;
  }

  gemm(x1: Int8Array, x1Shape: number[], weight: Int8Array, weightShape: number[], threads?: number, out?: Int32Array): Int32Array {
    const outShape = checkGemm(x1, x1Shape, weight, weightShape, threads);
    if (out !== undefined && out !== null) checkOutput('native.gemm: out', out, Int32Array, outShape, [x1, weight]);
    return this.#addon.gemm(x1, x1Shape, weight, weightShape, threads, out);
  }

  epilogue(args: EpilogueArgs, out?: Int8Array | Uint16Array | Int32Array): Int8Array | Uint16Array | Int32Array {
    checkEpilogueArgs('native.epilogue', args);
    if (out !== undefined && out !== null) checkOutput('native.epilogue: out', out, outputArrayOf(args.path), args.outShape, epilogueInputs(args));
    return this.#addon.epilogue(args, undefined, out);
  }

  ideal(args: EpilogueArgs, out?: Float64Array): Float64Array {
    checkEpilogueArgs('native.ideal', args);
    if (out !== undefined && out !== null) checkOutput('native.ideal: out', out, Float64Array, args.outShape, epilogueInputs(args));
    return this.#addon.ideal(args, out);
  }

  transQuantParam(scale: Float32Array, offset: Float32Array | null, roundMode: 0 | 1): BigInt64Array {
    checkQuantParamArgs('native.transQuantParam', scale, offset, true);
    if (roundMode !== 0 && roundMode !== 1) throw new RangeError(`native.transQuantParam: roundMode must be 0 or 1, got ${String(roundMode)}`);
    return this.#addon.transQuantParam(scale, offset, roundMode);
  }

  transQuantParamHost(scale: Float32Array, offset: Float32Array | null): BigInt64Array {
    checkQuantParamArgs('native.transQuantParamHost', scale, offset, false);
    return this.#addon.transQuantParamHost(scale, offset);
  }

  f32ToF16(x: Float32Array): Uint16Array {
    checkData('native.f32ToF16: x', x, Float32Array);
    return this.#addon.f32ToF16(x);
  }

  f32ToBf16(x: Float32Array): Uint16Array {
    checkData('native.f32ToBf16: x', x, Float32Array);
    return this.#addon.f32ToBf16(x);
  }

  /** Which engine and SIMD path run, and why. */
  engineInfo(): EngineInfo {
    return this.#addon.engineInfo();
  }

  /**
   * Forces an engine and/or path for the whole process ({} or 'auto' restores the default). Throws
   * RangeError for a path this CPU cannot run or oneDNN when it is not linked. The env vars
   * A8W8_REF_ENGINE and A8W8_REF_ISA do the same at load.
   */
  configure(choice: EngineChoice): EngineInfo {
    if (typeof choice !== 'object' || choice === null) throw new TypeError('native.configure: choice must be { engine?, isa? }');
    return this.#addon.configure(choice);
  }

  /**
   * GEMM + epilogue of x1 (x1Shape) and weight (weightShape) with `params` (an EpilogueArgs without acc
   * and outShape), for repeated calls; the epilogue is fused into the product's output blocks.
   */
  gemmEpilogue(x1Shape: number[], weightShape: number[], params: EpilogueParams): GemmEpilogue {
    const x1Elements = checkShape('native.gemmEpilogue: x1', x1Shape);
    const weightElements = checkShape('native.gemmEpilogue: weight', weightShape);
    const outShape = checkGemmShapes('native.gemmEpilogue', x1Shape, weightShape);
    checkEpilogueParams('native.gemmEpilogue', params, outShape);
    const raw = new this.#addon.GemmEpilogue(x1Shape, weightShape, params);
    return new GemmEpilogue(raw, params.path, x1Elements, weightElements, outShape);
  }

  /** The oneDNN primitives cached now, each with the thread count it was created under ([] without oneDNN). */
  onednnPrimitives(): OnednnPrimitive[] {
    return this.#addon.onednnPrimitives();
  }

  /** Prepares a 2-D weight (n, k) for repeated products (no copy on the portable engine, one on oneDNN). */
  prepare(weight: Int8Array, weightShape: number[]): PreparedGemm {
    const count = checkShape('native.prepare: weight', weightShape, 2, 2);
    checkData(`native.prepare: weight of shape [${weightShape}]`, weight, Int8Array, count);
    const [n, k] = weightShape as [number, number];
    if (k > MAX_K) throw new RangeError(`native.prepare: k=${k} exceeds ${MAX_K}`);
    return new PreparedGemm(new this.#addon.PreparedWeight(weight, weightShape), n, k);
  }

  /** The raw addon, for the benchmark's machine measurements and oneDNN-direct peer. */
  get addon(): NativeAddon {
    return this.#addon;
  }
}

let instance: NativeReference | null = null;

/** The process-wide native reference (loads the addon on first call; throws if it is not built). */
export function loadNativeReference(): NativeReference {
  if (instance === null) instance = new NativeReference(nativeAddon());
  return instance;
}
