/**
 * Small products (m*n*k <= 64 Ki multiply-adds) through the JS API, per call: gemm() alone, gemm() then
 * epilogue() (two calls, fresh outputs), GemmEpilogue.run into a preallocated output (one call), and
 * runMany over many cases in one call (per case). The target is the one-call figure: under 2 us.
 */
import type { IsaName, NativeReference } from '../harness/reference/native';
import { int8Params } from './shape-bench';
import { BATCH_CASES, randomInt8, SMALL_SHAPES } from './shapes';
import { perCall } from './timing';

export interface SmallCallResult {
  m: number;
  n: number;
  k: number;
  /** seconds per call, 1 thread */
  gemmS: number;
  gemmThenEpilogueS: number;
  gemmEpilogueS: number;
  /** runMany: seconds per case */
  runManyPerCaseS: number;
  /** GemmEpilogue's output equals gemm() then epilogue() */
  exact: boolean;
}

// short rounds, many of them: on a shared host a round that the scheduler interrupts is discarded
const CALLS = 20, ROUNDS = 400;

/** The operands of small shape i (the same for every path and entry point). */
function operands(i: number): { x: Int8Array; w: Int8Array } {
  const { m, n, k } = SMALL_SHAPES[i]!;
  return { x: randomInt8(m * k, 31 + i), w: randomInt8(n * k, 47 + i) };
}

/** Seconds per GemmEpilogue.run of small shape i, on the engine and path chosen now. */
function fusedPerCall(ref: NativeReference, i: number): number {
  const { m, n, k } = SMALL_SHAPES[i]!;
  const { x, w } = operands(i);
  const fused = ref.gemmEpilogue([m, k], [n, k], int8Params(n));
  const out = fused.newOutput();
  return perCall(() => fused.run(x, w, out, 1), CALLS, ROUNDS);
}

export function benchSmallCalls(ref: NativeReference): SmallCallResult[] {
  return SMALL_SHAPES.map(({ m, n, k }, i) => {
    const { x, w } = operands(i);
    const params = int8Params(n);
    const gemmS = perCall(() => ref.gemm(x, [m, k], w, [n, k], 1), CALLS, ROUNDS);
    const gemmThenEpilogueS = perCall(() => ref.epilogue({ ...params, acc: ref.gemm(x, [m, k], w, [n, k], 1), outShape: [m, n] }), CALLS, ROUNDS);
    const gemmEpilogueS = fusedPerCall(ref, i);
    const fused = ref.gemmEpilogue([m, k], [n, k], params);
    const out = fused.newOutput();
    const xs = randomInt8(BATCH_CASES * m * k, 61 + i), ws = randomInt8(BATCH_CASES * n * k, 67 + i);
    const outs = fused.newOutput(BATCH_CASES);
    const runManyPerCaseS = perCall(() => fused.runMany(xs, ws, BATCH_CASES, outs, 1), 1, ROUNDS) / BATCH_CASES;
    const want = ref.epilogue({ ...params, acc: ref.gemm(x, [m, k], w, [n, k], 1), outShape: [m, n] });
    fused.run(x, w, out, 1);
    let exact = out.length === want.length;
    for (let j = 0; exact && j < out.length; j++) exact = out[j] === want[j];
    return { m, n, k, gemmS, gemmThenEpilogueS, gemmEpilogueS, runManyPerCaseS, exact };
  });
}

/** GemmEpilogue.run per call on one SIMD path. */
export interface IsaSmallCalls {
  isa: IsaName;
  /** seconds per call, 1 thread, in the order of SMALL_SHAPES */
  gemmEpilogueS: number[];
}

/**
 * The one-call figure again on every SIMD path this CPU runs (the VNNI path and the AVX2 path on a VNNI
 * host), so a run shows which path is the faster one for each small shape. The engine and path are put
 * back afterwards (named explicitly, so the engine's `reason` then says configure() chose them).
 */
export function benchSmallCallsByIsa(ref: NativeReference): IsaSmallCalls[] {
  // the SIMD paths, best first; a CPU runs its best one and every one after it (none when scalar is best)
  const order: IsaName[] = ['avx512vnni', 'avx2'];
  const before = ref.engineInfo();
  const best = order.indexOf(before.bestIsa);
  const isas = best < 0 ? [] : order.slice(best);
  const out: IsaSmallCalls[] = [];
  try {
    for (const isa of isas) {
      ref.configure({ engine: before.engine, isa });
      out.push({ isa, gemmEpilogueS: SMALL_SHAPES.map((_, i) => fusedPerCall(ref, i)) });
    }
  } finally {
    ref.configure({ engine: before.engine, isa: before.isa });
  }
  return out;
}
