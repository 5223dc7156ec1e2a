import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { registerLint } from './lint';

/** The registry of commands: one module per command. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerLint(program, ctx);
}
