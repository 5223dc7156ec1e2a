/**
 * `npm run bench`: the native reference against the host's measured int8 peak and bandwidth, oneDNN direct
 * and onnxruntime, on the shapes with 1 and 2 threads; then the 1 GiB weight case in a child
 * process. Writes reports/bench.json and prints a table. Targets are judged here, never in timed tests.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadNativeReference } from '../harness/reference/native';
import { findPackageRoot } from '../harness/reference/native-addon';
import { measureMachine } from './machine';
import { printTable, writeReport, type BenchReport } from './report';
import type { RssResult } from './rss-case';
import { benchShape, type ShapeResult } from './shape-bench';
import { benchSmallCalls, benchSmallCallsByIsa } from './small-calls';
import { randomInt8, SHAPES, THREADS } from './shapes';
import { judgeTargets } from './targets';

function runRssCase(): RssResult | { error: string } {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'rss-case.js')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) return { error: `child exited ${child.status}: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as RssResult;
}

/**
 * An exact engine cannot beat the peak loop of the exact instructions: a figure above it means the peak
 * loop measures the wrong thing (or was depressed by load). Inexact engines (oneDNN or onnxruntime on a
 * host without VNNI use vpmaddubsw, twice the widening path's rate) may exceed it and are only noted.
 */
function peakWarnings(peak: Record<number, number>, shapes: ShapeResult[]): string[] {
  const out: string[] = [];
  for (const s of shapes) {
    const p = peak[s.threads] ?? 0;
    for (const i of s.impls) {
      if (!(p > 0) || !(i.gops > p)) continue;
      out.push(i.exact === false
        ? `${i.impl} at ${s.m}x${s.n}x${s.k}, ${s.threads}T: ${i.gops.toFixed(1)} GOPS above the exact peak ${p.toFixed(1)} (inexact instructions: possible)`
        : `${i.impl} at ${s.m}x${s.n}x${s.k}, ${s.threads}T: ${i.gops.toFixed(1)} GOPS above the peak ${p.toFixed(1)}: THE PEAK LOOP IS WRONG`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const ref = loadNativeReference();
  const engine = ref.engineInfo();
  console.log(`engine: ${engine.engine}, isa ${engine.isa} (${engine.reason})`);
  const root = findPackageRoot(__dirname);
  const machine = measureMachine(root, ref.addon, engine, THREADS);
  const shapes: ShapeResult[] = [];
  for (const s of SHAPES) {
    const x = randomInt8(s.m * s.k, 1 + s.k);
    const w = randomInt8(s.n * s.k, 2 + s.n);
    for (const t of THREADS) {
      process.stdout.write(`  ${s.m}x${s.n}x${s.k} on ${t} thread(s)...\n`);
      shapes.push(await benchShape(ref, s, t, x, w));
    }
  }
  process.stdout.write('  small calls...\n');
  const smallCalls = benchSmallCalls(ref);
  const smallCallsByIsa = benchSmallCallsByIsa(ref);
  const rss = runRssCase();
  const partial = { date: new Date().toISOString(), machine, engine, shapes, smallCalls, smallCallsByIsa, rss, primitives: ref.onednnPrimitives(), peakWarnings: peakWarnings(machine.peakGops, shapes) };
  const report: BenchReport = { ...partial, targets: judgeTargets(partial) };
  printTable(report);
  const file = writeReport(root, report);
  console.log(`\nwrote ${path.relative(process.cwd(), file)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
