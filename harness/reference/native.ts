/**
 * The native reference: the C++ addon behind the ReferenceImpl interface (./impl), with every argument
 * checked here first (./native-checks). Also what the benchmark and the run environment need: which
 * engine runs and why, forcing an engine or SIMD path, and weights prepared for repeated products.
 */
import type { EpilogueArgs, ReferenceImpl } from './impl';
import { nativeAddon, type EngineChoice, type EngineInfo, type EngineName, type NativeAddon, type RawPreparedWeight } from './native-addon';
import { checkData, checkEpilogueArgs, checkGemm, checkQuantParamArgs, checkShape, checkThreads, MAX_K } from './native-checks';

export type { EngineChoice, EngineInfo, EngineName, IsaName } from './native-addon';

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

  /** Does the one-time reorder for products with m rows now (oneDNN only), so it can be timed apart. */
  packFor(m: number): void {
    checkShape('PreparedGemm.packFor: [m]', [m], 1, 1);
    this.#raw.packFor(m);
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

/** The ReferenceImpl backed by the addon. */
export class NativeReference implements ReferenceImpl {
  readonly name = 'native' as const;
  readonly #addon: NativeAddon;

  constructor(addon: NativeAddon) {
    this.#addon = addon;
  }

  gemm(x1: Int8Array, x1Shape: number[], weight: Int8Array, weightShape: number[], threads?: number): Int32Array {
    checkGemm(x1, x1Shape, weight, weightShape, threads);
    return this.#addon.gemm(x1, x1Shape, weight, weightShape, threads);
  }

  epilogue(args: EpilogueArgs): Int8Array | Uint16Array | Int32Array {
    checkEpilogueArgs('native.epilogue', args);
    return this.#addon.epilogue(args);
  }

  ideal(args: EpilogueArgs): Float64Array {
    checkEpilogueArgs('native.ideal', args);
    return this.#addon.ideal(args);
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
