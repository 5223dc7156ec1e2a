/**
 * Loading the C++ addon (native/, built by node-gyp into build/Release/a8w8_ref.node) and its raw
 * interface. The package root is found by walking up to package.json, so this works from the sources and
 * from dist/ alike. Callers use ./native, which checks arguments before anything reaches C++.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EpilogueArgs } from './impl';

/** The GEMM engine in use: oneDNN where its load-time probe is exact, else this project's portable code. */
export type EngineName = 'onednn' | 'portable';
/** The SIMD path of the portable engine (and of the epilogue's casts). */
export type IsaName = 'avx512vnni' | 'avx2' | 'scalar';

/** What engine runs and why; recorded in every run's environment and the bench. */
export interface EngineInfo {
  engine: EngineName;
  /** the portable engine's path; also the epilogue's (scalar = no SIMD anywhere) */
  isa: IsaName;
  /** the best path this CPU can run */
  bestIsa: IsaName;
  /** why this engine and path were chosen (probe result, forced by env or configure()) */
  reason: string;
  /** threads a call may use: the persistent pool's workers plus the caller */
  threads: number;
  /** whether the build found oneDNN (libdnnl-dev) */
  onednnLinked: boolean;
  /** the saturation probe of oneDNN's int8 path, run at load when oneDNN is linked */
  probe: { ran: boolean; exact: boolean; detail: string };
}

/** A choice of engine and path; 'auto' (the default) means the probe's and the CPU's best. */
export interface EngineChoice {
  engine?: 'auto' | EngineName;
  isa?: 'auto' | IsaName;
}

/** The addon's PreparedWeight: a 2-D weight kept for repeated products (no copy on the portable engine). */
export interface RawPreparedWeight {
  run(x1: Int8Array, x1Shape: number[], threads?: number): Int32Array;
  packFor(m: number, threads?: number): void;
  info(): { engine: EngineName; n: number; k: number; packedBytes: number };
}

/** EpilogueArgs without the accumulator and its shape: what a GemmEpilogue applies to every product. */
export type EpilogueParams = Omit<EpilogueArgs, 'acc' | 'outShape'>;

/** The output array of an epilogue path: int8, fp16/bf16 bit patterns, or int32. */
export type EpilogueOut = Int8Array | Uint16Array | Int32Array;

/** The addon's GemmEpilogue: GEMM + epilogue of one shape and parameter set, into caller-owned outputs. */
export interface RawGemmEpilogue {
  run(x1: Int8Array, weight: Int8Array, out: EpilogueOut, threads?: number): EpilogueOut;
  runMany(x1s: Int8Array, weights: Int8Array, outs: EpilogueOut, cases: number, threads?: number): EpilogueOut;
  info(): { outShape: number[]; outElements: number };
}

/**
 * A cached oneDNN primitive. oneDNN fixes a primitive's parallel split when it is created, so the
 * addon creates one per thread count and records the count here.
 */
export interface OnednnPrimitive {
  m: number;
  n: number;
  k: number;
  /** 'plain': the module's (n, k) weight read in place; 'any': oneDNN's own layout (a prepared weight) */
  layout: 'plain' | 'any';
  /** the OpenMP thread count the primitive was created under and runs with */
  threads: number;
  /** oneDNN's implementation name */
  impl: string;
}

/** The raw exports of a8w8_ref.node. They re-check every argument, but with terser messages. */
export interface NativeAddon {
  abiVersion: number;
  /** `out`, where given, is written whole and returned; builds older than it ignore it and return a new array */
  gemm(x1: Int8Array, x1Shape: number[], weight: Int8Array, weightShape: number[], threads?: number, out?: Int32Array): Int32Array;
  epilogue(args: EpilogueArgs, threads?: number, out?: Int8Array | Uint16Array | Int32Array): Int8Array | Uint16Array | Int32Array;
  ideal(args: EpilogueArgs, out?: Float64Array): Float64Array;
  transQuantParam(scale: Float32Array, offset: Float32Array | null, roundMode: number): BigInt64Array;
  transQuantParamHost(scale: Float32Array, offset: Float32Array | null): BigInt64Array;
  f32ToF16(x: Float32Array): Uint16Array;
  f32ToBf16(x: Float32Array): Uint16Array;
  /**
   * Fills `out` with draws of a uniform ([lo, span]) or choice (the values) generator from mulberry32(seed),
   * stored as `store`; false when a value has no exact native store. Absent from builds older than it.
   */
  generateInto(kind: 'uniform' | 'choice', seed: number, params: Float64Array, store: string,
    out: Int8Array | Uint8Array | Int32Array | BigInt64Array | Uint16Array | Float32Array): boolean;
  /**
   * compare.ts's short path from `start` over outputs of one typed array type (Int8Array, Uint16Array
   * with its decode table, Int32Array): adds to state [sumIdeal, nanCount, maxUlp, laneCount], returns
   * where it stopped. With `lane` (fp16 / bf16), NaN outputs that neither the base nor any of `alts`
   * holds are taken too: counted in laneCount, their ulp distance kept in maxUlp. `exponent` (fp16 /
   * bf16: the format's exponent bits) lets stretches of equal finite elements skip the per-element tests.
   */
  compareShortRun(actual: ShortRunArray, expected: ShortRunArray, base: ShortRunArray, ideal: Float64Array, table: Float32Array | null,
    int8: boolean, overflow: number, start: number, state: Float64Array, lane?: NanLane, exponent?: number): number;
  /** the most per-element alternatives compareShortRun's lane takes (absent from builds older than it) */
  compareLaneMaxAlts?: number;
  /** The elements that differ between two typed arrays of one type (Int8Array, Uint16Array, Int32Array) and length. */
  countDiffering(a: ShortRunArray, b: ShortRunArray): number;
  engineInfo(): EngineInfo;
  configure(choice: EngineChoice): EngineInfo;
  /** oneDNN's implementation name for a shape, e.g. "brg:avx512_core_vnni"; "" when not linked */
  onednnImpl(m: number, n: number, k: number, threads?: number): string;
  /** the oneDNN primitives cached now ([] when not linked) */
  onednnPrimitives(): OnednnPrimitive[];
  /** oneDNN's matmul called directly (a bench peer); inexact on hosts where the probe fails */
  onednnGemm(x: Int8Array, w: Int8Array, m: number, n: number, k: number, threads?: number): Int32Array;
  /** GOPS of independent dot-product instructions of a path; 0 for scalar */
  measurePeak(isa: IsaName, threads: number, seconds: number): number;
  /** GB/s of a read-only sum over `bytes` */
  measureReadBandwidth(bytes: number, threads: number, reps: number): number;
  PreparedWeight: new (weight: Int8Array, shape: number[]) => RawPreparedWeight;
  GemmEpilogue: new (x1Shape: number[], weightShape: number[], params: EpilogueParams) => RawGemmEpilogue;
}

/** The output arrays the addon's compare helpers read. */
export type ShortRunArray = Int8Array | Uint16Array | Int32Array;

/** compareShortRun's NaN lane: the format's exponent and fraction bits, and the per-element alternatives (at most 4). */
export interface NanLane {
  exponent: number;
  fraction: number;
  alts: Uint16Array[];
}

/** The ABI the TypeScript side was written against; a stale build is reported, not half-used. */
const EXPECTED_ABI = 3;

/** The nearest directory at or above `start` that holds a package.json. */
export function findPackageRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`a8w8 native: no package.json above ${start}`);
    dir = parent;
  }
}

/**
 * Where the built addon lives: A8W8_ADDON_PATH when set (the sanitizer build of scripts/test-asan.sh lives
 * apart from build/Release so that it never replaces the one normal runs use), else build/Release.
 */
export function addonPath(): string {
  const override = process.env.A8W8_ADDON_PATH;
  if (override !== undefined && override !== '') return path.resolve(override);
  return path.join(findPackageRoot(__dirname), 'build', 'Release', 'a8w8_ref.node');
}

let cached: NativeAddon | null = null;

/** The addon, loaded once. Throws an Error that says how to build it when it is missing or stale. */
export function nativeAddon(): NativeAddon {
  if (cached !== null) return cached;
  const file = addonPath();
  if (!fs.existsSync(file)) {
    throw new Error(`a8w8 native: ${file} is not built; run \`npm ci\` (or \`npx node-gyp rebuild\`) in ${findPackageRoot(__dirname)}`);
  }
  const addon = require(file) as NativeAddon;
  if (addon.abiVersion !== EXPECTED_ABI) {
    throw new Error(`a8w8 native: ${file} has ABI ${addon.abiVersion}, expected ${EXPECTED_ABI}; rebuild it (npx node-gyp rebuild)`);
  }
  cached = addon;
  return addon;
}

/**
 * The addon when it is built and exports `name`, else null: for the harness's own speed-ups (input
 * generation, the compare's short path), whose TypeScript definitions run when this is null.
 */
export function optionalAddon(name: keyof NativeAddon): NativeAddon | null {
  try {
    const addon = nativeAddon();
    return typeof addon[name] === 'function' ? addon : null;
  } catch {
    return null;
  }
}
