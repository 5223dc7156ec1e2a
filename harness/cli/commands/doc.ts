import type { Command } from 'commander';
import { renderTables } from '../../doc/render';
import { loadSpec } from '../../spec/load';
import type { CommandContext } from '../context';
import { SPEC_ARGUMENT, specFileOf } from '../options';

/** `a8w8 doc`: the spec's tables rendered back in the vendor doc's layout, for review by diff. */
export function registerDoc(program: Command, ctx: CommandContext): void {
  program
    .command('doc')
    .argument(...SPEC_ARGUMENT)
    .description("render the spec's dtype tables as Markdown in the vendor doc's layout")
    .option('--spec <file>', 'spec file (default: specs/linear-a8w8-quant.yml)')
    .action((file: string | undefined, opts: { spec?: string }) => {
      ctx.out(renderTables(loadSpec(specFileOf(file, opts))).replace(/\n$/, ''));
    });
}
