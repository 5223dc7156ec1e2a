/** The targets (and D10a's epilogue budget), judged from the measured numbers of this run. */
import type { BenchReport } from './report';
import type { ShapeResult } from './shape-bench';

type Target = BenchReport['targets'][number];

function find(shapes: ShapeResult[], m: number, n: number, k: number, threads: number): ShapeResult | undefined {
  return shapes.find((s) => s.m === m && s.n === n && s.k === k && s.threads === threads);
}

function impl(s: ShapeResult, prefix: string): { medianS: number; gops: number } | undefined {
  return s.impls.find((i) => i.impl.startsWith(prefix));
}

export function judgeTargets(r: Omit<BenchReport, 'targets'>): Target[] {
  const out: Target[] = [];
  const big = find(r.shapes, 1024, 4096, 4096, 2);
  const peak2 = r.machine.peakGops[2] ?? NaN;
  if (big) {
    const kernel = impl(big, 'reference kernel')!;
    const e2e = impl(big, 'reference gemm + int8')!;
    const ort = impl(big, 'onnxruntime');
    const share = kernel.gops / peak2;
    out.push({ name: '1024x4096x4096, 2 threads: >= 85% of the int8 peak', met: peak2 > 0 ? share >= 0.85 : null,
      detail: `${kernel.gops.toFixed(1)} of ${peak2.toFixed(1)} GOPS = ${(100 * share).toFixed(0)}%` });
    out.push({ name: '1024x4096x4096, 2 threads: faster than onnxruntime', met: ort && Number.isFinite(ort.gops) ? e2e.gops > ort.gops : null,
      detail: `reference with epilogue ${e2e.gops.toFixed(1)} GOPS vs onnxruntime ${ort ? ort.gops.toFixed(1) : '-'} GOPS` });
  }
  const long = find(r.shapes, 16, 4096, 65535, 2);
  if (long) {
    const kernel = impl(long, 'reference kernel')!;
    const bw = r.machine.readBandwidthGBs[2] ?? NaN;
    const boundS = (long.n * long.k) / (bw * 1e9);
    out.push({ name: '16x4096x65535: >= 80% of the bandwidth bound', met: Number.isFinite(bw) ? boundS / kernel.medianS >= 0.8 : null,
      detail: `${(kernel.medianS * 1e3).toFixed(1)} ms vs bound ${(boundS * 1e3).toFixed(1)} ms (${(long.n * long.k / 2 ** 20).toFixed(0)} MiB at ${bw.toFixed(1)} GB/s) = ${(100 * boundS / kernel.medianS).toFixed(0)}%` });
  }
  const tiny = find(r.shapes, 1, 128, 512, 1);
  if (tiny) {
    const call = impl(tiny, 'reference gemm (per call)')!;
    const e2e = impl(tiny, 'reference gemm + int8')!;
    out.push({ name: '1x128x512: under 10 microseconds a call', met: call.medianS < 10e-6,
      detail: `gemm ${(call.medianS * 1e6).toFixed(1)} us, with the epilogue ${(e2e.medianS * 1e6).toFixed(1)} us (1 thread, through the checked TS API)` });
  }
  for (const s of [big, long]) {
    if (!s) continue;
    out.push({ name: `${s.m}x${s.n}x${s.k}, 2 threads: epilogue costs <= 5% (D10a)`, met: s.epilogueCost <= 0.05,
      detail: `+${(100 * s.epilogueCost).toFixed(1)}% over the bare gemm` });
  }
  if ('error' in r.rss) out.push({ name: '1 GiB weight: at most one extra copy', met: null, detail: r.rss.error });
  else out.push({ name: '1 GiB weight (k=65535, n=16384): at most one extra copy', met: r.rss.extraWeightCopies <= 1,
    detail: `${r.rss.extraWeightCopies.toFixed(3)} copies (+${(r.rss.extraBytes / 2 ** 20).toFixed(0)} MiB peak RSS over the inputs)` });
  return out;
}
