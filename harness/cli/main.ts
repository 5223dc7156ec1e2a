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

/**
 * Makes `command`'s exit code the process's, and 2 if the process ends before the command does: when a
 * promise never settles and nothing else is pending (a backend's open() that never answers, with no
 * timer), Node empties its event loop and exits with code 0, which would read as success.
 */
export function exitWith(command: Promise<number>, proc: NodeJS.Process = process): Promise<void> {
  proc.exitCode = 2;
  let finished = false;
  const onBeforeExit = (): void => {
    if (finished) return;
    finished = true;
    proc.stderr.write('a8w8: internal error: the command never finished (a promise that never settles, e.g. in a backend); exit 2\n');
  };
  proc.on('beforeExit', onBeforeExit);
  return command.then((code) => {
    finished = true;
    proc.off('beforeExit', onBeforeExit);
    proc.exitCode = code;
  });
}

function stdioContext(): CommandContext {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    exitCode: 0,
  };
}
