import { Command, CommanderError } from 'commander';
import { ErrorCode, HarnessError } from '../errors';
import { EMPTY_SELECTION_EXIT_CODE } from '../expand/filter';
import { harnessVersion } from '../run/environment';
import type { CommandContext } from './context';
import { registerCommands } from './commands';

/**
 * The CLI entry: parses argv, runs one command, and returns the exit code. The only place exit codes
 * are decided: 0 all as expected, 1 unexpected outcomes or spec errors, 2 bad usage or an internal error,
 * 3 filters that select no case.
 */
export async function main(argv: string[], ctx: CommandContext = stdioContext()): Promise<number> {
  const program = new Command('a8w8')
    .description('conformance harness for torch_npu LinearA8W8Quant / npu_quant_matmul')
    .version(harnessVersion(), '-V, --version', 'print the harness version (package.json) and exit')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.replace(/\n$/, '')), writeErr: (s) => ctx.err(s.replace(/\n$/, '')) });
  registerCommands(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof HarnessError) {
      ctx.err(`a8w8: ${e.message} [${e.code}]`);
      if (e.code === ErrorCode.EMPTY_SELECTION) return EMPTY_SELECTION_EXIT_CODE;
      return e.diagnostics.length > 0 ? 1 : 2;
    }
    ctx.err(`a8w8: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 2;
  }
}

function stdioContext(): CommandContext {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    exitCode: 0,
  };
}
