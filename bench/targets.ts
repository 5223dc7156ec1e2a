/** The issues' targets (and the epilogue budget), judged from the measured numbers of this run. */
import { signed, type BenchReport } from './report';
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
  if (r.smallCalls.length > 0) {
    const slowest = r.smallCalls.reduce((a, b) => (b.gemmEpilogueS > a.gemmEpilogueS ? b : a));
    const all = r.smallCalls.map((c) => `${c.m}x${c.n}x${c.k} ${(c.gemmEpilogueS * 1e6).toFixed(2)}`).join(', ');
    out.push({ name: 'm*n*k <= 64 Ki: GEMM + epilogue under 2 us a call through the JS API', met: r.smallCalls.every((c) => c.gemmEpilogueS < 2e-6 && c.exact),
      detail: `GemmEpilogue.run us: ${all}; slowest ${slowest.m}x${slowest.n}x${slowest.k}` });
  }
  for (const t of [1, 2]) {
    const mid = find(r.shapes, 512, 512, 512, t);
    if (mid) out.push({ name: `512x512x512, ${t} thread(s): fused epilogue costs <= 5% of the GEMM`, met: mid.epilogueCost <= 0.05,
      detail: `${signed(mid.epilogueCost)} fused, ${signed(mid.epilogueCostUnfused)} as two calls (a negative cost is timing noise)` });
  }
  for (const [m, n, k] of [[1024, 4096, 4096], [16, 4096, 65535]] as const) {
    for (const t of [1, 2]) {
      const s = find(r.shapes, m, n, k, t);
      if (!s) continue;
      const fused = impl(s, 'reference gemm + int8 epilogue (one call')!;
      const dnnl = impl(s, 'oneDNN direct');
      const exact = r.engine !== null && typeof r.engine === 'object' && (r.engine as { probe?: { exact?: boolean } }).probe?.exact === true;
      const ratio = dnnl ? fused.gops / dnnl.gops : NaN;
      out.push({ name: `${m}x${n}x${k}, ${t} thread(s): reference with the epilogue >= 0.95x oneDNN's bare GEMM`, met: exact && dnnl ? ratio >= 0.95 : null,
        detail: dnnl ? `${fused.gops.toFixed(1)} vs ${dnnl.gops.toFixed(1)} GOPS = ${ratio.toFixed(2)}x${exact ? '' : ' (not judged: oneDNN is inexact on this host, it runs other instructions)'}` : 'oneDNN not linked' });
      const peak = r.machine.peakGops[t] ?? NaN;
      const kernel = impl(s, 'reference kernel')!;
      if (m === 1024 && r.machine.peakIsa === 'avx2') {
        out.push({ name: `${m}x${n}x${k}, ${t} thread(s): portable AVX2 engine >= 90% of the exact widening peak`, met: peak > 0 ? kernel.gops / peak >= 0.9 : null,
          detail: `${kernel.gops.toFixed(1)} of ${peak.toFixed(1)} GOPS = ${(100 * kernel.gops / peak).toFixed(0)}%` });
      }
    }
  }
  const one = find(r.shapes, 1024, 4096, 4096, 1), two = big;
  if (one && two) {
    const engines: [string, string][] = [['reference kernel', 'reference kernel'], ['reference gemm + int8 epilogue (one call', 'reference with the fused epilogue'],
      ['oneDNN direct', 'oneDNN'], ['onnxruntime', 'onnxruntime']];
    for (const [prefix, label] of engines) {
      const a = impl(one, prefix), b = impl(two, prefix);
      if (!a || !b || !Number.isFinite(a.gops) || !Number.isFinite(b.gops)) continue;
      out.push({ name: `1024x4096x4096: ${label} scales to 2 threads (>= 1.5x)`, met: b.gops / a.gops >= 1.5,
        detail: `${a.gops.toFixed(1)} -> ${b.gops.toFixed(1)} GOPS = ${(b.gops / a.gops).toFixed(2)}x` });
    }
  }
  if ('error' in r.rss) out.push({ name: '1 GiB weight: at most one extra copy', met: null, detail: r.rss.error });
  else out.push({ name: '1 GiB weight (k=65535, n=16384): at most one extra copy', met: r.rss.extraWeightCopies <= 1,
    detail: `${r.rss.extraWeightCopies.toFixed(3)} copies (+${(r.rss.extraBytes / 2 ** 20).toFixed(0)} MiB peak RSS over the inputs)` });
  return out;
}
