import type { Command } from 'commander';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../../errors';
import { parseProfile } from '../../expand/profiles';
import type { CaseOrigin } from '../../forensics/locate';
import { parseShrunkId } from '../../forensics/moves';
import { reproduce } from '../../forensics/reproduce';
import { openSession } from '../../forensics/session';
import { loadExpectations } from '../../judge/expectations';
import { failureLine } from '../../report/console';
import { defaultSpecFiles } from '../../spec/load';
import { specIdOfCaseId } from '../../expand/spec-of-case';
import type { CommandContext } from '../context';
import { collect, parseSeed, SPEC_OPTION, specFilesOf, specsOf } from '../options';
import { DEFAULT_TIMEOUT_MS, replayCommand } from '../../run/session';
import { parseIntOption, parseKeyValues } from '../run-options';
import { parseTimeoutMs } from '../../run/timeout';

/** Options shared by `repro` and `shrink`: where the case comes from and where it runs. */
export interface ForensicsOptions {
  from?: string;
  spec?: string[];
  profile?: string;
  seed?: string;
  product?: string;
  out: string;
  backend?: string;
  device: string;
  timeout: string;
  reference?: 'native' | 'twin';
  expectations?: string;
  backendOpt?: string[];
}

export function forensicsFlags(cmd: Command): Command {
  return cmd
    .option('--from <dir>', 'a results folder (or results.jsonl) holding the case\'s record')
    .option(...SPEC_OPTION)
    .option('--profile <name>', 'profile to expand the case from (default full: every case id)')
    .option('--seed <n>', 'run seed the case ran with', undefined)
    .option('--product <id>', 'product (default: every product)')
    .option('--device <n>', 'device index for --backend', '0')
    .option('--timeout <ms>', 'per-call timeout', String(DEFAULT_TIMEOUT_MS))
    .option('--reference <impl>', 'native or twin (default native, twin if the addon is missing)')
    .option('--expectations <file>', 'expectation file (default none: every outcome other than the doc\'s counts)')
    .option('--backend-opt <key=value>', 'backend option (repeatable)', collect);
}

/** Where the case comes from: --from, or the recipe flags (not both). */
export function originOf(o: ForensicsOptions): CaseOrigin {
  if (o.from !== undefined) {
    if (o.profile !== undefined || o.seed !== undefined || o.product !== undefined) {
      throw new HarnessError(ErrorCode.BAD_ARGUMENT, '--from takes the recipe from the results; drop --profile/--seed/--product');
    }
    return { kind: 'results', dir: o.from };
  }
  return {
    kind: 'recipe', profile: parseProfile(o.profile ?? 'full'), seed: parseSeed(o.seed),
    ...(o.product ? { products: [o.product] } : {}),
  };
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The spec files a command must name to find the case again: none when specs/ holds them (the default
 * loads every spec there), else those named, since the case's spec is among them.
 */
function nonDefaultSpecs(o: ForensicsOptions): string[] {
  const defaults = new Set(defaultSpecFiles().map((f) => path.resolve(f)));
  const named = specFilesOf(undefined, o);
  return named.every((f) => defaults.has(path.resolve(f))) ? [] : named;
}

/** The flags that find a case again: --from, or product, profile, seed (and specs outside specs/). */
function originFlags(o: ForensicsOptions, product: string, profile: string, seed: number): string[] {
  if (o.from !== undefined) return [`--from ${quote(o.from)}`];
  const parts = [`--product ${product}`, `--profile ${profile}`, `--seed ${seed}`];
  for (const f of nonDefaultSpecs(o)) parts.push(`--spec ${quote(f)}`);
  return parts;
}

/** `a8w8 repro` for a case: writes its folder and repro.py; with a backend it also runs it there. */
export function reproCommand(o: ForensicsOptions, id: string, product: string, profile: string, seed: number, backend?: string): string {
  return ['npx a8w8 repro', quote(id), ...originFlags(o, product, profile, seed), ...(backend ? [`--backend ${quote(backend)}`] : []),
    `--out ${quote(o.out)}`].join(' ');
}

/**
 * The command that replays a case on the backend: `run --case` for a case of the spec's expansion, and
 * `repro --backend` for a shrunk variant (which no expansion lists).
 */
export function replayFor(o: ForensicsOptions, id: string, product: string, profile: string, seed: number, backend: string): string {
  if (parseShrunkId(id).originalId === id && o.from === undefined) {
    const specs = nonDefaultSpecs(o);
    // the case's own spec file is the one run --case needs; with several named, the id says which
    const spec = specs.length <= 1 ? specs[0] : specs.find((f) => specsOf(undefined, { spec: [f] })[0]?.id === specIdOfCaseId(id)) ?? specs[0];
    return replayCommand({ backend, product, profile, seed, ...(spec ? { spec } : {}) }, id);
  }
  return reproCommand(o, id, product, profile, seed, backend);
}

export function loadForensicsExpectations(o: ForensicsOptions): ReturnType<typeof loadExpectations> {
  return o.expectations ? loadExpectations(o.expectations) : [];
}

/** `a8w8 repro`: a case as a folder of .npy files, case.json and a standalone repro.py. */
export function registerRepro(program: Command, ctx: CommandContext): void {
  forensicsFlags(program
    .command('repro <caseId>')
    .description('rebuild one case (inputs from its seed, the reference\'s admissible answers) as .npy files, case.json and a standalone repro.py for an NPU host')
    .option('--out <dir>', 'output directory (the case goes to <dir>/cases/<id>/)', 'reports/repro')
    .option('--backend <name|path>', 'also run the case once on this backend and save its output and outcome'))
    .addHelpText('after', `
The folder holds every input, the kernel's output (with --backend) and every admissible answer as .npy
files, and case.json (format a8w8-saved-case, version 1). On the NPU host:
  python3 <dir>/cases/<id>/repro.py [--device N]
needs only python3, numpy, torch and torch_npu; it prints PASS or FAIL with the worst elements and exits 0 or 1.
A shrunk case's id (…~shrunk:m=17,…) is rebuilt from its original and its moves.`)
    .action(async (caseId: string, opts: ForensicsOptions) => {
      ctx.exitCode = await reproAction(caseId, opts, ctx);
    });
}

async function reproAction(caseId: string, o: ForensicsOptions, ctx: CommandContext): Promise<number> {
  const specs = specsOf(undefined, o);
  const origin = originOf(o);
  let replay = (id: string): string => id;
  const session = await openSession({
    specs, caseId, origin, ...(o.backend ? { backend: o.backend } : {}), device: parseIntOption(o.device, '--device', 0),
    timeoutMs: parseTimeoutMs(o.timeout), backendOptions: parseKeyValues(o.backendOpt, '--backend-opt'),
    ...(o.reference ? { reference: o.reference } : {}), expectations: loadForensicsExpectations(o), replay: (id) => replay(id),
  });
  try {
    const { located } = session;
    replay = (id) => replayFor(o, id, located.case.product, located.profile, located.runSeed, o.backend ?? '');
    const res = await reproduce({
      spec: session.spec, case: located.case, outDir: o.out, reference: session.reference, referenceOptions: session.referenceOptions,
      compare: session.compare, record: located.record, ...(session.run ? { run: session.run } : {}),
    });
    ctx.out(`case ${located.case.id}`);
    ctx.out(`saved: ${res.folder}`);
    ctx.out(`on the NPU host: python3 ${res.script}`);
    if (session.run && res.record) {
      const line = failureLine(res.record);
      ctx.out(line ?? `${res.record.outcome.status} (as expected) on ${res.record.backend}`);
      return res.record.asExpected ? 0 : 1;
    }
    return 0;
  } finally {
    await session.close();
  }
}
