import * as fs from 'fs';
import * as path from 'path';
import { createBackend as createTorchNpu } from '../../harness/backends/torch-npu';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import { loadExpectations } from '../../harness/judge/expectations';
import { packageRoot } from '../../harness/paths';
import type { ResultRecord } from '../../harness/run/record';
import { referenceOptionsFor } from '../../harness/run/reference-options';
import { runCase, type CaseRunContext, type Slot } from '../../harness/run/runner';
import { chooseReference } from '../../harness/run/setup';
import { replayCommand } from '../../harness/run/session';
import { SYSTEM_PYTHON, standinEnv } from '../backends/torch-npu/helpers';
import { loadSpec } from '../../harness/spec/load';
import { realSpec } from '../helpers/spec';
import { STANDIN_SOC } from './standin-faults';

export interface StandinRunOptions {
  product: string;
  /** the spec file whose smoke profile runs (default: the default spec, specs/linear-a8w8-quant.yml) */
  specFile?: string;
  seed: number;
  /** a planted fault (A8W8_STANDIN_FAULT), or null for the correct stand-in */
  fault: string | null;
  /** stop at the first unexpected outcome (enough to call a fault killed) */
  stopAtFirst: boolean;
  /** only these cases (default: the product's whole smoke profile) */
  filter?: (c: Case) => boolean;
  timeoutMs?: number;
}

export interface StandinRunResult {
  cases: number;
  run: number;
  unexpected: ResultRecord[];
  ms: number;
}

/** Simulated backends time perf cases with few repeats: their timings only prove the plumbing. */
const QUICK_TIMING = { timingWarmup: '1', timingRepeats: '3' };

/**
 * Cheap cases first, perf cases last: a faulty stand-in is usually caught by a small case, and a run
 * that stops at its first unexpected outcome then costs seconds, not a whole smoke profile.
 */
function cheapFirst(cases: Case[]): Case[] {
  const cost = (c: Case) => (c.tags.includes('perf') ? 1e15 : 0) + c.bytes * c.repeat;
  return cases.map((c, i) => ({ c, i })).sort((a, b) => cost(a.c) - cost(b.c) || a.i - b.i).map((x) => x.c);
}

/** Runs the smoke profile of one product on the stand-in torch_npu, judged as the conformance suite judges. */
export async function runStandinSmoke(o: StandinRunOptions): Promise<StandinRunResult> {
  const t0 = Date.now();
  const spec = o.specFile ? loadSpec(o.specFile) : realSpec();
  const cases = cheapFirst(expandCases(spec, { profile: 'smoke', seed: o.seed, products: [o.product] }).filter(o.filter ?? (() => true)));
  const env = standinEnv({ A8W8_STANDIN_SOC: STANDIN_SOC[o.product]!, ...(o.fault ? { A8W8_STANDIN_FAULT: o.fault } : {}) });
  const backend = createTorchNpu({ python: SYSTEM_PYTHON, env });
  const timeoutMs = o.timeoutMs ?? 60_000;
  const info = await backend.open({ timeoutMs, options: { ...QUICK_TIMING, product: o.product } });
  const slot: Slot = { backend, info };
  const expectationFile = path.join(packageRoot(), 'expectations', 'torch-npu.yml');
  const ctx: CaseRunContext = {
    specs: [spec], timeoutMs, retries: 0, reference: chooseReference(undefined).impl,
    referenceOptionsOf: (s) => referenceOptionsFor(s.products.find((p) => p.id === o.product)!, info, {}),
    expectations: fs.existsSync(expectationFile) ? loadExpectations(expectationFile) : [],
    replay: (c) => replayCommand({ backend: 'torch-npu', product: o.product, profile: 'smoke', seed: o.seed, ...(o.specFile ? { spec: o.specFile } : {}) }, c.id),
  };
  const unexpected: ResultRecord[] = [];
  let run = 0;
  try {
    for (const c of cases) {
      const r = await runCase(ctx, slot, c);
      run++;
      if (!r.asExpected) {
        unexpected.push(r);
        if (o.stopAtFirst) break;
      }
    }
  } finally {
    await backend.close();
  }
  return { cases: cases.length, run, unexpected, ms: Date.now() - t0 };
}
