/** The bench's printed table and its JSON report (reports/bench.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OnednnPrimitive } from '../harness/reference/native';
import type { MachineFacts } from './machine';
import type { RssResult } from './rss-case';
import type { ShapeResult } from './shape-bench';
import type { IsaSmallCalls, SmallCallResult } from './small-calls';
import { ops, SMALL_SHAPES } from './shapes';

export interface BenchReport {
  date: string;
  machine: MachineFacts;
  engine: unknown;
  shapes: ShapeResult[];
  /** small products through the JS API, per call (1 thread) */
  smallCalls: SmallCallResult[];
  /** GemmEpilogue.run per call on each SIMD path the CPU runs (which path is faster for small shapes) */
  smallCallsByIsa: IsaSmallCalls[];
  rss: RssResult | { error: string };
  /** the oneDNN primitives the run created, each with the thread count it was created under */
  primitives: OnednnPrimitive[];
  /** figures above the kept peak (host-peak.ts) */
  peakWarnings: string[];
  targets: { name: string; met: boolean | null; detail: string }[];
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '-');
/** A relative cost with its sign, e.g. +4.1% or -2.0%. */
export const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%` : '-');
const num = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function time(sec: number): string {
  if (!Number.isFinite(sec)) return '-';
  if (sec < 1e-3) return `${(sec * 1e6).toFixed(1)} us`;
  if (sec < 1) return `${(sec * 1e3).toFixed(2)} ms`;
  return `${sec.toFixed(2)} s`;
}

/** One row per shape x threads x implementation. */
export function printTable(r: BenchReport): void {
  const m = r.machine;
  console.log(`\nCPU: ${m.cpuModel} (${m.logicalCpus} logical CPUs), load average ${m.loadAverage1m.toFixed(2)} when measured`);
  if (m.loadAverage1m > 0.5 * m.logicalCpus) console.log('WARNING: the host was busy; every figure below is depressed and noisy');
  console.log(`int8 peak (${m.peakLoop}), best kept for this host in ${m.peaksFile}: ${Object.entries(m.kept).map(([t, p]) => `${t}T ${num(p.gops, 0)} GOPS (${p.measuredAt}, load ${num(p.loadAverage1m, 2)}; this run ${num(p.thisRun.gops, 0)})`).join(', ')}`);
  console.log(`read bandwidth (${m.bandwidthBufferBytes >> 20} MiB sum): ${Object.entries(m.readBandwidthGBs).map(([t, g]) => `${t}T ${num(g)} GB/s`).join(', ')}`);
  const rows: Record<string, string>[] = [];
  for (const s of r.shapes) {
    const peak = m.peakGops[s.threads] ?? NaN;
    for (const i of s.impls) {
      rows.push({
        shape: `${s.m}x${s.n}x${s.k}`, T: String(s.threads), impl: i.impl, time: time(i.medianS), GOPS: num(i.gops),
        '%peak': peak > 0 ? pct(i.gops / peak) : '-', exact: i.exact === null ? '?' : i.exact ? 'yes' : 'NO', note: i.note,
      });
    }
    rows.push({ shape: `${s.m}x${s.n}x${s.k}`, T: String(s.threads), impl: 'packing (one-off) / epilogue cost', time: time(s.packS), GOPS: '', '%peak': '', exact: '',
      note: `end-to-end with packing ${num(ops(s) / ((s.impls[0]?.medianS ?? NaN) + s.packS) / 1e9)} GOPS; epilogue +${pct(s.epilogueCost)}` });
  }
  console.table(rows);
  console.log('\nSmall calls through the JS API (1 thread, per call):');
  console.table(r.smallCalls.map((c) => ({
    shape: `${c.m}x${c.n}x${c.k}`, gemm: time(c.gemmS), 'gemm then epilogue': time(c.gemmThenEpilogueS),
    'GemmEpilogue.run': time(c.gemmEpilogueS), 'runMany per case': time(c.runManyPerCaseS), exact: c.exact ? 'yes' : 'NO',
  })));
  if (r.smallCallsByIsa.length > 1) {
    console.log('\nGemmEpilogue.run per SIMD path (1 thread, per call):');
    console.table(SMALL_SHAPES.map((s, i) => Object.fromEntries([['shape', `${s.m}x${s.n}x${s.k}`], ...r.smallCallsByIsa.map((p) => [p.isa, time(p.gemmEpilogueS[i] ?? NaN)])])));
  }
  for (const w of r.peakWarnings) console.log(`PEAK: ${w}`);
  if ('error' in r.rss) console.log(`1 GiB weight case: ${r.rss.error}`);
  else console.log(`1 GiB weight case (${r.rss.m}x${r.rss.n}x${r.rss.k}, ${r.rss.engine}): peak RSS +${(r.rss.extraBytes / 2 ** 20).toFixed(0)} MiB over the inputs = ${num(r.rss.extraWeightCopies, 3)} weight copies, ${num(r.rss.gops)} GOPS`);
  console.log('\nTargets:');
  for (const t of r.targets) console.log(`  [${t.met === null ? '?' : t.met ? 'met' : 'NOT met'}] ${t.name}: ${t.detail}`);
}

export function writeReport(root: string, r: BenchReport): string {
  const file = path.join(root, 'reports', 'bench.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}
