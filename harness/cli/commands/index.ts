import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { registerCoverage } from './coverage';
import { registerDiff } from './diff';
import { registerDoc } from './doc';
import { registerExplain } from './explain';
import { registerLint } from './lint';
import { registerList } from './list';
import { registerMerge } from './merge';
import { registerQualify } from './qualify';
import { registerReport } from './report';
import { registerRepro } from './repro';
import { registerRun } from './run';
import { registerShrink } from './shrink';
import { registerVerifyBundle } from './verify-bundle';

/** The registry of commands: one module per command. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerLint(program, ctx);
  registerList(program, ctx);
  registerCoverage(program, ctx);
  registerDoc(program, ctx);
  registerExplain(program, ctx);
  registerRun(program, ctx);
  registerReport(program, ctx);
  registerMerge(program, ctx);
  registerDiff(program, ctx);
  registerQualify(program, ctx);
  registerVerifyBundle(program, ctx);
  registerRepro(program, ctx);
  registerShrink(program, ctx);
}
