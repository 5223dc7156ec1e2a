import { failureLine, summaryLines } from '../report/console';
import type { RunView } from '../run/session';
import type { CommandContext } from './context';
import { progressReporter } from './progress';

/**
 * A run on the console: notes and the closing summary on stderr, a progress bar there when it is a
 * terminal (and `progress` is on), and every failure line, with its replay command, on stdout.
 */
export function consoleView(ctx: CommandContext, progress: boolean): RunView {
  let bar: ReturnType<typeof progressReporter> | null = null;
  return {
    note: (line) => {
      bar?.interrupt();
      ctx.err(line);
    },
    start: (total) => {
      bar = progress && process.stderr.isTTY ? progressReporter(total) : null;
    },
    result: (r) => {
      bar?.tick(r.outcome.status);
      const line = failureLine(r);
      if (line) {
        bar?.interrupt();
        ctx.out(line);
      }
    },
    finish: (summary, simulated) => {
      bar?.stop();
      bar = null;
      for (const line of summaryLines(summary, simulated)) ctx.err(line);
    },
  };
}
