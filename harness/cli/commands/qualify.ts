import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../../errors';
import { writeBundle } from '../../qualify/bundle';
import { productMismatch, refusalByName, refusalForDevices, strictPolicy, QUALIFYING_BACKEND } from '../../qualify/policy';
import { VERDICT_LABELS } from '../../qualify/verdict';
import { LOCK_FILE, lockOutput } from '../../run/lock';
import { executeRun, type RunOutcome, type RunSettings } from '../../run/session';
import { chooseReference, detectBackend } from '../../run/setup';
import { parseTimeoutMs } from '../../run/timeout';
import { qualifiedSpecs } from '../../qualify/specs';
import type { CommandContext } from '../context';
import { parseSeed, SPEC_OPTION, specsOf } from '../options';
import { ALL_DEVICES_HELP, resolveDevices } from '../run-options';
import { consoleView } from '../run-view';

export interface QualifyOptions {
  product: string;
  spec?: string[];
  specId?: string;
  backend?: string;
  devices?: string;
  out?: string;
  allowSimulated?: boolean;
  allowEagerOnly?: boolean;
  grep?: string;
  timeout: string;
  seed?: string;
  progress?: boolean;
}

/** How many disqualifying cases the console lists (verdict.json lists them all). */
const LISTED = 20;

/** `a8w8 qualify`: the full profile under the strict policy, and a bundle that verify-bundle can check. */
export function registerQualify(program: Command, ctx: CommandContext): void {
  program
    .command('qualify')
    .description('qualify one Atlas product: the full profile of every spec that defines it, under the strict policy, written as a verifiable bundle')
    .requiredOption('--product <id>', 'the Atlas product to qualify (the device must report it)')
    .option(...SPEC_OPTION)
    .option('--spec-id <id>', 'of the specs loaded, qualify this one only (default: every spec that defines the product)')
    .option('--backend <name|path>', `the backend (default: detected); only ${QUALIFYING_BACKEND} on a real NPU qualifies`)
    .option('--devices <list|all>', ALL_DEVICES_HELP, '0')
    .option('--out <dir>', 'bundle directory, absent or empty (default reports/qualify/<product>-<time>)')
    .option('--allow-simulated', 'run on a simulated backend anyway; the bundle is stamped "simulated: not a qualification"')
    .option('--allow-eager-only', 'exit 0 for a qualification for eager mode only (graph mode could not run on the host), not just for a full one')
    .option('--grep <re>', 'only case ids matching: the bundle is stamped "partial: not a qualification" unless it covers every required case')
    .option('--timeout <ms>', 'per-case timeout', '120000')
    .option('--seed <n>', 'run seed', '0')
    .option('--no-progress', 'no progress bar')
    .action(async (opts: QualifyOptions) => {
      ctx.exitCode = await qualifyCommand(opts, ctx, process.argv.slice(2));
    });
}

/** Raised by the policy checks: the command says why and exits 2, having run nothing. */
class Refusal extends Error {}

/**
 * Qualifies a product. Exit codes: 0 qualified (or qualified for eager mode, with --allow-eager-only);
 * 1 a bundle was written but is not a (full) qualification (not qualified, partial, simulated, or eager
 * mode only); 2 refused (simulated backend, wrong device) or bad usage.
 */
export async function qualifyCommand(opts: QualifyOptions, ctx: CommandContext, argv: string[]): Promise<number> {
  if (opts.product === 'auto') throw new HarnessError(ErrorCode.BAD_ARGUMENT, 'qualify --product: name the product to qualify; auto is not accepted');
  const { specs, without } = qualifiedSpecs(specsOf(undefined, opts), opts.product, opts.specId);
  if (without.length) ctx.err(`a8w8 qualify: note: ${without.map((s) => s.id).join(', ')} define(s) no product ${opts.product}: not in this bundle`);
  const allowSimulated = opts.allowSimulated === true;
  const policy = strictPolicy(allowSimulated);
  const backend = opts.backend ? { name: opts.backend, why: '--backend' } : await detectBackend();
  const refuse = (why: string): number => {
    ctx.err(`a8w8 qualify: refused: ${why}`);
    ctx.err('  qualification needs torch-npu on a real Ascend NPU; --allow-simulated writes a bundle stamped "simulated: not a qualification"');
    return 2;
  };
  const byName = refusalByName(backend.name);
  if (byName && !allowSimulated) return refuse(byName);
  const out = opts.out ?? path.join('reports', 'qualify', `${opts.product}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z')}`);
  const filter = opts.grep !== undefined ? { grep: opts.grep } : null;
  const settings: RunSettings = {
    specs, profile: policy.profile, seed: parseSeed(opts.seed), timeoutMs: parseTimeoutMs(opts.timeout),
    retries: policy.retries, devices: await resolveDevices(opts.devices, backend.name), pins: {},
    // torch-npu must name its product from the SoC (a forced product is no evidence); others cannot tell.
    backendOptions: backend.name === QUALIFYING_BACKEND ? {} : { product: opts.product },
    backend, product: opts.product, expectations: { list: [], file: null }, reference: chooseReference(undefined), filter: filter ?? {},
    out, resume: false, command: 'qualify',
  };
  // The bundle directory is held from the emptiness check to the manifest, so no other run writes into it.
  const lock = lockOutput(out, ['a8w8', ...argv].join(' '));
  try {
    if (fs.readdirSync(out).some((f) => f !== LOCK_FILE)) {
      throw new HarnessError(ErrorCode.BAD_ARGUMENT, `qualify --out ${out}: not an empty directory; a bundle holds only its own files`);
    }
    let simulatedWhy: string | null = byName;
    let run: RunOutcome;
    try {
      run = await executeRun(settings, consoleView(ctx, opts.progress !== false), argv, {
        beforeRun: (slots) => {
          const infos = slots.map((s) => s.info);
          const byDevice = refusalForDevices(infos);
          if (byDevice && !allowSimulated) throw new Refusal(byDevice);
          simulatedWhy ??= byDevice;
          if (!simulatedWhy) {
            const mismatch = productMismatch(infos, opts.product);
            if (mismatch) throw new Refusal(`the device is not ${opts.product}: ${mismatch}`);
          } else {
            // A simulated run is no qualification: --product decides; say so only where a device disagrees.
            const mismatch = productMismatch(infos.filter((d) => d.product !== null), opts.product);
            if (mismatch) ctx.err(`a8w8 qualify: note: ${mismatch} (simulated run; --product decides)`);
          }
        },
      }, lock);
    } catch (e) {
      if (e instanceof Refusal) return refuse(e.message);
      throw e;
    }
    const { verdict, manifestSha256 } = await writeBundle({
      dir: out, env: run.env, expanded: run.expanded, policy, filter, simulatedWhy, specs,
    });
    for (const line of verdictLines(verdict)) ctx.out(line);
    ctx.out(`bundle: ${out} (MANIFEST.json sha256 ${manifestSha256}); check it with: npx a8w8 verify-bundle ${out}`);
    return verdict.verdict === 'qualified' || (verdict.verdict === 'qualified-eager-only' && opts.allowEagerOnly === true) ? 0 : 1;
  } finally {
    lock.release();
  }
}

/** The console's account of a verdict: the label, the counts, the first disqualifying cases, divergences. */
function verdictLines(v: Awaited<ReturnType<typeof writeBundle>>['verdict']): string[] {
  const c = v.counts;
  const lines = [
    `verdict for ${v.product}: ${v.label}${v.stamps.filter((s) => s !== v.label).map((s) => ` [${s}]`).join('')}`,
    `  required ${c.required}, run ${c.requiredRun}, qualifying ${c.qualifying}, disqualifying ${c.disqualifying}` +
      `${c.notRun && v.partial ? `, not run (filter) ${c.notRun}` : ''}${c.notRequired ? `, not required (undefined-input) ${c.notRequired}` : ''}`,
  ];
  for (const d of v.disqualifying.slice(0, LISTED)) lines.push(`  ${d.status.toUpperCase()} ${d.caseId}: ${d.reason}`);
  if (v.disqualifying.length > LISTED) lines.push(`  ... and ${v.disqualifying.length - LISTED} more (verdict.json lists them all)`);
  const graph = v.graphNotRun ?? [];
  if (graph.length) lines.push(`  graph mode not run (${graph[0]!.reason}): ${graph.length} required case(s), listed in verdict.json's graphNotRun`);
  for (const d of graph.slice(0, LISTED)) lines.push(`  NOT RUN ${d.caseId}`);
  if (graph.length > LISTED) lines.push(`  ... and ${graph.length - LISTED} more`);
  for (const d of v.divergences) lines.push(`  divergence ${d.id} (library ${d.library}s; ${d.condition}): ${d.cases.length} case(s)`);
  // a bundle of several specs: each spec's standing, after the bundle's
  const specs = v.specs ?? [];
  if (specs.length > 1) {
    for (const s of specs) {
      lines.push(`  spec ${s.id}: ${s.label}; required ${s.counts.required}, run ${s.counts.requiredRun}, qualifying ${s.counts.qualifying}, disqualifying ${s.counts.disqualifying}`);
    }
  }
  if (v.reports.written === false) lines.push(`  reports not written: ${v.reports.reason}`);
  if (v.simulatedWhy) lines.push(`  ${VERDICT_LABELS.simulated}: ${v.simulatedWhy}`);
  return lines;
}
