import type { Command } from 'commander';
import { formatDiagnostic } from '../../errors';
import { lintFile, specFiles } from '../../spec/lint';
import type { CommandContext } from '../context';

/** `a8w8 lint [files...]`: every problem of every file in one pass; exit 1 on any. */
export function registerLint(program: Command, ctx: CommandContext): void {
  program
    .command('lint')
    .description('check spec files: YAML syntax, duplicate keys, schema and semantic errors, all at once')
    .argument('[files...]', 'spec files or directories', ['specs'])
    .option('--json', 'print diagnostics as JSON')
    .action((inputs: string[], opts: { json?: boolean }) => {
      const files = specFiles(inputs);
      const diagnostics = files.flatMap((f) => lintFile(f).diagnostics);
      if (opts.json) ctx.out(JSON.stringify({ files: files.length, diagnostics }, null, 2));
      else for (const d of diagnostics) ctx.out(formatDiagnostic(d));
      const errors = diagnostics.filter((d) => d.severity !== 'warning').length;
      if (!opts.json) ctx.err(`${files.length} file(s), ${errors} problem(s)${errors < diagnostics.length ? `, ${diagnostics.length - errors} warning(s)` : ''}`);
      // warnings (a row no path judges) do not fail lint: the spec is usable, the output says what is missing
      ctx.exitCode = errors > 0 || files.length === 0 ? 1 : 0;
    });
}
