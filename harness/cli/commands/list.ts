import type { Command } from 'commander';
import { expandSpecs } from '../../expand';
import { filterCases } from '../../expand/filter';
import type { CommandContext } from '../context';
import { collect, parseSeed, profileOf, SPEC_ARGUMENT, SPEC_OPTION, specsOf, type SpecOptions } from '../options';

/** Version of the `list --json` document: a public interface (bump with a README note on change). */
export const LIST_JSON_VERSION = 2;

interface ListOptions extends SpecOptions {
  grep?: string;
  tag?: string[];
  shard?: string;
  json?: boolean;
}

/** `a8w8 list`: the expanded cases, as ids or as complete JSON recipes. */
export function registerList(program: Command, ctx: CommandContext): void {
  program
    .command('list')
    .argument(...SPEC_ARGUMENT)
    .description('expand the specs into cases and list them')
    .option(...SPEC_OPTION)
    .option('--product <id>', 'only this product (repeatable)', collect)
    .option('--profile <name>', 'smoke or full; full because list describes the whole contract', 'full')
    .option('--seed <n>', 'run seed; case seeds derive from it and the case id', '0')
    .option('--grep <re>', 'only case ids matching this regular expression')
    .option('--tag <tag>', 'only cases with this tag (repeatable: all must match)', collect)
    .option('--shard <i/N>', 'only the i-th of N deterministic shards')
    .option('--json', 'one complete JSON record per case')
    .action((files: string[], opts: ListOptions) => {
      const specs = specsOf(files, opts);
      const profile = profileOf(opts, 'full');
      const seed = parseSeed(opts.seed);
      const all = expandSpecs(specs, { profile, seed, ...(opts.product ? { products: opts.product } : {}) });
      const cases = filterCases(all, { ...(opts.grep !== undefined ? { grep: opts.grep } : {}), ...(opts.tag ? { tags: opts.tag } : {}), ...(opts.shard ? { shard: opts.shard } : {}) });
      if (opts.json) {
        ctx.out(JSON.stringify({ version: LIST_JSON_VERSION, specs: specs.map((s) => ({ file: s.file, id: s.id, hash: s.hash })), profile, seed, count: cases.length, cases }));
      } else {
        for (const c of cases) ctx.out(c.id);
        ctx.err(`${cases.length} case(s) (${cases.filter((c) => c.expect === 'accept').length} accept, ${cases.filter((c) => c.expect === 'reject').length} reject), profile ${profile}`);
      }
    });
}
