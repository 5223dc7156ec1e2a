import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { registerCoverage } from './coverage';
import { registerDoc } from './doc';
import { registerLint } from './lint';
import { registerList } from './list';
import { registerRun } from './run';

/** The registry of commands: one module per command. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerLint(program, ctx);
  registerList(program, ctx);
  registerCoverage(program, ctx);
  registerDoc(program, ctx);
  registerRun(program, ctx);
}
