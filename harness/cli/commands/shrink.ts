import type { Command } from 'commander';
import { ErrorCode, HarnessError } from '../../errors';
import type { Case } from '../../expand/case';
import { parseShrunkId } from '../../forensics/moves';
import { reproduce } from '../../forensics/reproduce';
import { openSession } from '../../forensics/session';
import { DEFAULT_SHRINK_BUDGET, shrinkCase } from '../../forensics/shrink';
import { shrinkJson, shrinkText } from '../../forensics/shrink-report';
import { locateCase } from '../../forensics/locate';
import type { CommandContext } from '../context';
import { specsOf } from '../options';
import {
  forensicsFlags, loadForensicsExpectations, originOf, replayFor, reproCommand, type ForensicsOptions,
} from './repro';
import { parseIntOption, parseKeyValues } from '../run-options';
import { parseTimeoutMs } from '../../run/timeout';

interface ShrinkOptions extends ForensicsOptions {
  budget: string;
  json?: boolean;
}

/** `a8w8 shrink`: the smallest case the spec allows that still fails the same way. */
export function registerShrink(program: Command, ctx: CommandContext): void {
  forensicsFlags(program
    .command('shrink <caseId>')
    .description('search for a smaller case that fails the same way (smaller m/n/k, fewer batch dims, t=1, plainer data, fewer optional inputs), within the contract')
    .requiredOption('--backend <name|path>', 'the backend the case fails on')
    .option('--budget <n>', 'kernel calls at most, the first run included', String(DEFAULT_SHRINK_BUDGET))
    .option('--out <dir>', 'where the minimal case\'s folder and repro.py go (<dir>/cases/<id>/)', 'reports/repro')
    .option('--json', 'the report as JSON'))
    .addHelpText('after', `
A candidate still fails when its outcome has the same unexpected status as the original's. Every
candidate keeps the contract's verdict (same tables, same broken rules, same divergence). Its id is the
original's plus ~shrunk: and the moves, e.g. …~shrunk:m=17,k=1; repro and shrink rebuild it from the id.
Exit 1 when the case fails (the minimal case is written), 0 when it does not fail on this backend.`)
    .action(async (caseId: string, opts: ShrinkOptions) => {
      ctx.exitCode = await shrinkAction(caseId, opts, ctx);
    });
}

async function shrinkAction(caseId: string, o: ShrinkOptions, ctx: CommandContext): Promise<number> {
  const budget = parseIntOption(o.budget, '--budget', 1);
  const specs = specsOf(undefined, o);
  const origin = originOf(o);
  const backend = o.backend!;
  let replay = (id: string): string => id;
  const session = await openSession({
    specs, caseId, origin, backend, device: parseIntOption(o.device, '--device', 0),
    timeoutMs: parseTimeoutMs(o.timeout), backendOptions: parseKeyValues(o.backendOpt, '--backend-opt'),
    ...(o.reference ? { reference: o.reference } : {}), expectations: loadForensicsExpectations(o), replay: (id) => replay(id),
  });
  try {
    const { located, spec } = session;
    const run = session.run;
    if (!run) throw new HarnessError(ErrorCode.BAD_ARGUMENT, 'shrink needs --backend');
    const { product } = located.case;
    replay = (id) => replayFor(o, id, product, located.profile, located.runSeed, backend);
    const originalId = parseShrunkId(located.case.id).originalId;
    const original = originalId === located.case.id ? located.case : locateCase(spec, originalId, origin).case;
    const res = await shrinkCase({
      spec, case: located.case, original, runSeed: located.runSeed, slot: run.slot, context: run.context, budget,
      onStep: o.json ? undefined : (s) => ctx.err(`  ${s.kept ? 'still fails' : 'no'}: ${s.status} ${s.caseId}`),
    });
    if (res.status === 'not-failing') {
      ctx.out(`${located.case.id}: ${res.record.outcome.status} as expected on ${backend}; nothing to shrink`);
      return 0;
    }
    const saved = await reproduce({
      spec, case: res.minimal.case, outDir: o.out, reference: session.reference, referenceOptions: session.referenceOptions,
      compare: session.compare, record: res.minimal.record, output: res.minimal.output,
    });
    const commands = (c: Case): { replay: string; repro: string } => ({
      replay: replayFor(o, c.id, product, located.profile, located.runSeed, backend),
      repro: reproCommand(o, c.id, product, located.profile, located.runSeed),
    });
    if (o.json) ctx.out(JSON.stringify({ ...shrinkJson(res, commands), saved: saved.folder }));
    else for (const line of [...shrinkText(res, commands), `minimal case saved: ${saved.folder} (python3 ${saved.script})`]) ctx.out(line);
    return 1;
  } finally {
    await session.close();
  }
}
