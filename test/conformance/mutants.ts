/**
 * `npm run mutants`: the smoke profile's mutation score on the stand-in torch_npu.
 *
 * 1. clean baseline: the correct stand-in over seeds 0..9 of smoke on each product and each spec in
 *    specs/ must give no unexpected outcome (no false failures);
 * 2. every planted fault of the registry (test/fixtures/torch_npu_standin/torch_npu/faults.json) on every
 *    product its path exists on: killed when the smoke profile of one of its specs (the fault's `specs`,
 *    else every spec) has an unexpected outcome (each run stops there, and the next spec is not run).
 *    Prints the kill rate per product and the survivors, and writes reports/mutants.json.
 *
 * Options: --products a,b  --specs id,id  --faults a,b  --seeds 0..9|0,3  --jobs 1|2  --skip-clean  --skip-faults
 * At most two stand-in workers run at a time (the CI machine has two cores).
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';
import { loadStandinFaults, STANDIN_SOC } from './standin-faults';
import { runStandinSmoke, type StandinRunResult } from './standin-run';

interface Job {
  label: string;
  product: string;
  fault: string | null;
  seed: number;
  /** spec ids, run in turn until one has an unexpected outcome */
  specs: string[];
}

interface JobResult extends Job {
  result: StandinRunResult | null;
  /** the spec of `result` */
  spec: string | null;
  error: string | null;
}

/** Spec ids of the files in specs/ (a spec's id defaults to its file name). */
function specIds(): string[] {
  return fs.readdirSync(path.join(packageRoot(), 'specs')).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)).sort();
}

function specFile(id: string): string {
  return path.join(packageRoot(), 'specs', `${id}.yml`);
}

/** Runs a job's specs in turn; a fault run stops at the first spec where it is killed. */
async function runJob(job: Job): Promise<{ result: StandinRunResult; spec: string }> {
  let last: { result: StandinRunResult; spec: string } | null = null;
  for (const spec of job.specs) {
    const result = await runStandinSmoke({ product: job.product, specFile: specFile(spec), seed: job.seed, fault: job.fault, stopAtFirst: job.fault !== null });
    last = { result, spec };
    if (job.fault !== null && result.unexpected.length) break;
  }
  if (!last) throw new Error(`${job.label}: no spec to run`);
  return last;
}

function parseArgs(argv: string[]): { products: string[]; specs: string[]; faults: string[] | null; seeds: number[]; jobs: number; clean: boolean; mutants: boolean } {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (s: string | undefined): string[] | null => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : null);
  const seedsArg = value('--seeds') ?? '0..9';
  const range = /^(\d+)\.\.(\d+)$/.exec(seedsArg);
  const seeds = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i) : list(seedsArg)!.map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds: expected a..b or a comma list of integers, got ${seedsArg}`);
  const jobs = Number(value('--jobs') ?? '2');
  if (jobs !== 1 && jobs !== 2) throw new Error(`--jobs: 1 or 2 (the machine has two cores), got ${value('--jobs')}`);
  const products = list(value('--products')) ?? Object.keys(STANDIN_SOC);
  for (const p of products) if (!STANDIN_SOC[p]) throw new Error(`--products: unknown product ${p} (known: ${Object.keys(STANDIN_SOC).join(', ')})`);
  const known = specIds();
  const specs = list(value('--specs')) ?? known;
  for (const id of specs) if (!known.includes(id)) throw new Error(`--specs: unknown spec ${id} (known: ${known.join(', ')})`);
  return { products, specs, faults: list(value('--faults')), seeds, jobs, clean: !argv.includes('--skip-clean'), mutants: !argv.includes('--skip-faults') };
}

async function runJobs(jobs: Job[], parallel: number): Promise<JobResult[]> {
  const queue = [...jobs];
  const out: JobResult[] = [];
  let done = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      let r: JobResult;
      try {
        r = { ...job, ...(await runJob(job)), error: null };
      } catch (e) {
        r = { ...job, result: null, spec: null, error: (e as Error).message };
      }
      out.push(r);
      done++;
      const first = r.result?.unexpected[0];
      const what = r.error ? `ERROR ${r.error}`
        : job.fault === null ? `${r.result!.unexpected.length} unexpected of ${r.result!.run}`
          : first ? `killed by ${first.caseId} (${first.outcome.status}) after ${r.result!.run} case(s)` : `SURVIVED ${job.specs.join(', ')}`;
      console.log(`[${done}/${jobs.length}] ${job.label}: ${what} (${((r.result?.ms ?? 0) / 1000).toFixed(1)} s)`);
    }
  }));
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const registry = loadStandinFaults();
  for (const f of args.faults ?? []) if (!registry.some((r) => r.id === f)) throw new Error(`--faults: unknown fault ${f}`);
  const report: Record<string, unknown> = { products: args.products };
  let bad = 0;

  if (args.clean) {
    const jobs = args.products.flatMap((product) => args.specs.flatMap((spec) => args.seeds.map((seed): Job => ({ label: `clean ${spec} ${product} seed ${seed}`, product, fault: null, seed, specs: [spec] }))));
    console.log(`clean baseline: ${jobs.length} smoke run(s) of the correct stand-in`);
    const results = await runJobs(jobs, args.jobs);
    const failing = results.filter((r) => r.error || r.result!.unexpected.length);
    for (const r of failing) {
      console.log(`  ${r.label}: ${r.error ?? ''}`);
      for (const u of r.result?.unexpected ?? []) console.log(`    ${u.caseId}: ${u.outcome.status}  ${u.replay}`);
    }
    console.log(`clean baseline: ${failing.length ? `${failing.length} run(s) with unexpected outcomes` : 'no unexpected outcome'}`);
    report.clean = results.map((r) => ({ product: r.product, spec: r.spec, seed: r.seed, error: r.error, cases: r.result?.cases, unexpected: r.result?.unexpected.map((u) => u.caseId) }));
    bad += failing.length;
  }

  if (args.mutants) {
    const scored = registry.filter((f) => !args.faults || args.faults.includes(f.id));
    const jobs = args.products.flatMap((product) => scored.filter((f) => f.products.includes(product))
      .map((f): Job => ({ label: `${product} ${f.id}`, product, fault: f.id, seed: 0, specs: (f.specs ?? args.specs).filter((id) => args.specs.includes(id)) }))
      .filter((j) => j.specs.length));
    console.log(`mutants: ${jobs.length} fault run(s), stopping at the first unexpected outcome`);
    const results = await runJobs(jobs, args.jobs);
    const perProduct: Record<string, unknown> = {};
    console.log('\nkill rate per product (seed 0):');
    for (const product of args.products) {
      const own = results.filter((r) => r.product === product);
      const killed = own.filter((r) => r.result && r.result.unexpected.length);
      const survivors = own.filter((r) => !(r.result && r.result.unexpected.length));
      const notScored = registry.filter((f) => !f.products.includes(product)).map((f) => f.id);
      console.log(`  ${product}: ${killed.length}/${own.length} killed (${own.length ? ((100 * killed.length) / own.length).toFixed(1) : '-'}%)`
        + `${survivors.length ? `; survivors: ${survivors.map((r) => r.fault + (r.error ? ' (error)' : '')).join(', ')}` : ''}`);
      if (notScored.length) console.log(`    not scored here: ${notScored.join(', ')}`);
      perProduct[product] = {
        killed: killed.map((r) => ({ fault: r.fault, spec: r.spec, by: r.result!.unexpected[0]!.caseId, status: r.result!.unexpected[0]!.outcome.status })),
        survivors: survivors.map((r) => ({ fault: r.fault, error: r.error })), notScored,
      };
      bad += survivors.length;
    }
    report.mutants = perProduct;
  }
  const wallMs = Date.now() - t0;
  console.log(`wall time ${(wallMs / 1000).toFixed(0)} s`);
  const file = path.join(packageRoot(), 'reports', 'mutants.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...report, specs: args.specs, seeds: args.seeds, wallMs, finishedAt: new Date().toISOString() }, null, 2) + '\n');
  console.log(`written ${path.relative(process.cwd(), file)}`);
  return bad ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (e: unknown) => {
    console.error(`mutants: ${(e as Error).message}`);
    process.exitCode = 2;
  });
}
