/**
 * One shape at one thread count: the reference (GEMM + int8 epilogue), its bare GEMM, the kernel with the
 * weight prepared (packing timed apart), oneDNN direct and onnxruntime as peers, each checked
 * against the reference's exact result.
 */
import type { EpilogueArgs } from '../harness/reference/impl';
import type { EpilogueParams, NativeReference } from '../harness/reference/native';
import { createOrtMatmul, toUint8Shifted } from './ort-matmul';
import { ops, type BenchShape } from './shapes';
import { timeIt, timeOnce } from './timing';

export interface ImplResult {
  impl: string;
  medianS: number;
  gops: number;
  /** same integers as the reference's exact product (null: not checked) */
  exact: boolean | null;
  note: string;
}

export interface ShapeResult {
  m: number;
  n: number;
  k: number;
  threads: number;
  target: string;
  /** one-time weight preparation of the reference's engine (0 work on the portable engine: read in place) */
  packS: number;
  packedBytes: number;
  /** reference GEMM + epilogue in one call (GemmEpilogue, the epilogue fused into the blocks) over the bare GEMM, minus 1 */
  epilogueCost: number;
  /** the same with gemm() and epilogue() as two calls (how computeReference runs a case today) */
  epilogueCostUnfused: number;
  impls: ImplResult[];
}

function equalInt32(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The int8 path's epilogue parameters: per-channel fp32 scale and offset (the module's default output). */
export function int8Params(n: number): EpilogueParams {
  const scale = new Float32Array(n).map((_, j) => 1 / (2000 + j));
  const offset = new Float32Array(n).map((_, j) => (j % 7) - 3);
  return {
    path: 'int8-requant', scale: { dtype: 'float32', data: scale }, offset, bias: null, pertoken: null,
    variant: { scaleFp19: true, pertokenOrder: 'sequential', fp16Overflow: 'inf', int8Tie: 'even', int8Clamp9: true },
  };
}

function int8Epilogue(acc: Int32Array, m: number, n: number): EpilogueArgs {
  return { ...int8Params(n), acc, outShape: [m, n] };
}

function equalInt8(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function benchShape(ref: NativeReference, s: BenchShape, threads: number, x: Int8Array, w: Int8Array): Promise<ShapeResult> {
  const { m, n, k, iterations } = s;
  const addon = ref.addon;
  const gops = (sec: number): number => ops(s) / sec / 1e9;
  const exactOut = ref.gemm(x, [m, k], w, [n, k], threads);
  const impls: ImplResult[] = [];

  const pack = timeOnce(() => {
    const p = ref.prepare(w, [n, k]);
    p.packFor(m, threads);
    return p;
  });
  const onednnExact = ref.engineInfo().probe.exact;
  const prepared = pack.value;
  const kernel = await timeIt('kernel', () => prepared.run(x, [m, k], threads), iterations);
  impls.push({ impl: `reference kernel (${prepared.engine}, weight prepared)`, medianS: kernel.medianS, gops: gops(kernel.medianS), exact: equalInt32(prepared.run(x, [m, k], threads), exactOut), note: '' });

  const bare = await timeIt('gemm', () => ref.gemm(x, [m, k], w, [n, k], threads), iterations);
  impls.push({ impl: 'reference gemm (per call)', medianS: bare.medianS, gops: gops(bare.medianS), exact: true, note: 'checked exact in tests' });

  const withEpilogue = await timeIt('gemm+epilogue', () => addon.epilogue(int8Epilogue(ref.gemm(x, [m, k], w, [n, k], threads), m, n), threads), iterations);
  impls.push({ impl: 'reference gemm + int8 epilogue (two calls)', medianS: withEpilogue.medianS, gops: gops(withEpilogue.medianS), exact: true, note: 'gemm() then epilogue(), as computeReference runs a case' });

  const fused = ref.gemmEpilogue([m, k], [n, k], int8Params(n));
  const out = fused.newOutput();
  const withFused = await timeIt('gemmEpilogue', () => fused.run(x, w, out, threads), iterations);
  const unfusedOut = addon.epilogue(int8Epilogue(exactOut, m, n), threads);
  impls.push({ impl: 'reference gemm + int8 epilogue (one call, fused)', medianS: withFused.medianS, gops: gops(withFused.medianS),
    exact: equalInt8(fused.run(x, w, out, threads), unfusedOut), note: 'GemmEpilogue.run into a preallocated output' });

  const info = ref.engineInfo();
  if (info.onednnLinked) {
    const dnnl = await timeIt('onednn', () => addon.onednnGemm(x, w, m, n, k, threads), iterations);
    const exact = equalInt32(addon.onednnGemm(x, w, m, n, k, threads), exactOut);
    impls.push({ impl: `oneDNN direct (${addon.onednnImpl(m, n, k, threads) || '?'})`, medianS: dnnl.medianS, gops: gops(dnnl.medianS), exact,
      note: onednnExact ? 'probe exact' : 'probe NOT exact on this host: not used by the reference' });
  }

  try {
    const created = timeOnce(() => createOrtMatmul(m, n, k, w, threads));
    const session = await created.value;
    const a = toUint8Shifted(x);
    const result = await session.run(a);
    const ortRun = (await timeIt('onnxruntime', async () => { await session.run(a); }, iterations)).medianS;
    impls.push({ impl: 'onnxruntime MatMulInteger (u8 + zp 128)', medianS: ortRun, gops: gops(ortRun), exact: equalInt32(result, exactOut),
      note: `session ${(created.seconds * 1e3).toFixed(0)} ms to start` });
    await session.release();
  } catch (e) {
    impls.push({ impl: 'onnxruntime MatMulInteger (u8 + zp 128)', medianS: NaN, gops: NaN, exact: null, note: `failed: ${(e as Error).message}` });
  }

  return {
    m, n, k, threads, target: s.target, packS: pack.seconds, packedBytes: prepared.packedBytes,
    epilogueCost: withFused.medianS / bare.medianS - 1, epilogueCostUnfused: withEpilogue.medianS / bare.medianS - 1, impls,
  };
}
