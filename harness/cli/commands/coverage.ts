import type { Command } from 'commander';
import { computeCoverage } from '../../coverage/compute';
import { formatCoverage } from '../../coverage/format';
import { expandSpecs } from '../../expand';
import type { CommandContext } from '../context';
import { collect, parseSeed, profileOf, SPEC_ARGUMENT, SPEC_OPTION, specsOf, type SpecOptions } from '../options';

/** `a8w8 coverage`: per product, what exercises every row, cell, rule and defect class, from both sides. */
export function registerCoverage(program: Command, ctx: CommandContext): void {
  program
    .command('coverage')
    .argument(...SPEC_ARGUMENT)
    .description('contract coverage per product: rows, cell alternatives, shape rules, defect classes')
    .option(...SPEC_OPTION)
    .option('--product <id>', 'only this product (repeatable)', collect)
    .option('--profile <name>', 'smoke or full; full because coverage describes the whole contract', 'full')
    .option('--strict', 'exit 1 if anything is exercised from one side only (or not at all)')
    .option('--json', 'machine-readable output')
    .action((files: string[], opts: SpecOptions & { strict?: boolean; json?: boolean }) => {
      const specs = specsOf(files, opts);
      const profile = profileOf(opts, 'full');
      const cases = expandSpecs(specs, { profile, seed: parseSeed(opts.seed), ...(opts.product ? { products: opts.product } : {}) });
      // per spec, then product: a spec's coverage is counted on its own cases only
      const cov = specs.flatMap((spec) => spec.products
        .filter((p) => !opts.product?.length || opts.product.includes(p.id))
        .map((p) => ({ spec: spec.id, ...computeCoverage(spec, p, cases.filter((c) => c.spec === spec.id)) })));
      if (opts.json) ctx.out(JSON.stringify({ version: 1, profile, products: cov }, null, 2));
      else for (const line of formatCoverage(cov)) ctx.out(line);
      const gaps = cov.reduce((n, p) => n + p.gaps.length, 0);
      ctx.err(`coverage (${profile}): ${gaps} gap(s)${opts.strict && gaps ? ' — failing (--strict)' : ''}`);
      if (opts.strict && gaps > 0) ctx.exitCode = 1;
    });
}
