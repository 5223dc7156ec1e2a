import type { Command } from 'commander';
import { renderTables } from '../../doc/render';
import type { CommandContext } from '../context';
import { SPEC_ARGUMENT, SPEC_OPTION, specsOf } from '../options';

/** `a8w8 doc`: the spec's tables rendered back in the vendor doc's layout, for review by diff. */
export function registerDoc(program: Command, ctx: CommandContext): void {
  program
    .command('doc')
    .argument(...SPEC_ARGUMENT)
    .description("render the spec's dtype tables as Markdown in the vendor doc's layout")
    .option(...SPEC_OPTION)
    .action((files: string[], opts: { spec?: string[] }) => {
      const specs = specsOf(files, opts);
      // one spec renders as before; several each under a heading naming it
      const parts = specs.map((s) => (specs.length > 1 ? `<!-- spec ${s.id}: ${s.file} -->\n\n` : '') + renderTables(s).replace(/\n$/, ''));
      ctx.out(parts.join('\n\n'));
    });
}
