import type { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, HarnessError } from '../../errors';
import { loadResultSet } from '../../report/load';
import { mergeResultSets, type MergeResult } from '../../report/merge';
import { writeEnvironment } from '../../run/environment';
import { ResultWriter } from '../../run/record';
import type { CommandContext } from '../context';

/** How many duplicates and conflicts are listed one per line before a count stands for the rest. */
const LISTED = 20;

/** `a8w8 merge A B ... --out DIR`: joins shards into one results.jsonl + run.json. */
export function registerMerge(program: Command, ctx: CommandContext): void {
  program
    .command('merge <results...>')
    .description('join shards or the runs of several products (results.jsonl files or their directories) into one result set; on a conflict (one case of one product with two outcomes, or shards of one product from different specs, backends or seeds) exit 1 and write nothing')
    .requiredOption('--out <dir>', 'output directory for the merged results.jsonl and run.json')
    .action((inputs: string[], opts: { out: string }) => {
      if (inputs.length < 2) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `merge expects at least two result sets, got ${inputs.length}`);
      const sets = inputs.map((i) => ({ name: i, ...loadResultSet(i) }));
      const out = path.resolve(opts.out);
      if (sets.some((s) => path.resolve(s.dir) === out)) {
        throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--out ${opts.out} is one of the inputs' directories: it would overwrite a shard`);
      }
      // argv records what was merged, in order: the shards are the run's provenance
      const merged = mergeResultSets(sets, ['merge', ...inputs, '--out', opts.out]);
      const lines = mergeLines(merged, sets.map((s) => `${s.name}: ${s.records.length} record(s)`));
      const envConflicts = merged.envDifferences.filter((d) => d.severity === 'conflict').length;
      if (merged.conflicts.length > 0 || envConflicts > 0) {
        // a set with a conflict would report whichever outcome came first: nothing is written
        for (const line of lines) ctx.err(line);
        ctx.err(`a8w8 merge: ${merged.conflicts.length} outcome conflict(s), ${envConflicts} environment conflict(s): nothing written to ${opts.out}`);
        ctx.exitCode = 1;
        return;
      }
      fs.mkdirSync(out, { recursive: true });
      const writer = new ResultWriter(path.join(out, 'results.jsonl'), false);
      try {
        for (const r of merged.records) writer.write(r);
      } finally {
        writer.close();
      }
      if (merged.env) writeEnvironment(out, merged.env);
      for (const line of lines) ctx.err(line);
      ctx.out(path.join(out, 'results.jsonl'));
      ctx.err(`merged: ${path.join(out, 'results.jsonl')}${merged.env ? ' + run.json' : ' (no input had run.json)'}`);
    });
}

/** The merge's report, in lines: inputs, counts, duplicates, conflicts, environment differences. */
export function mergeLines(m: MergeResult, inputs: string[]): string[] {
  const lines = [...inputs, `${m.records.length} case(s) merged, ${m.duplicates.length} duplicate(s), ${m.conflicts.length} conflict(s)`];
  for (const d of m.duplicates.slice(0, LISTED)) lines.push(`DUPLICATE ${d.caseId}: ${d.status} in ${d.sources.join(', ')} (first kept)`);
  if (m.duplicates.length > LISTED) lines.push(`  … and ${m.duplicates.length - LISTED} more duplicate(s)`);
  for (const c of m.conflicts.slice(0, LISTED)) {
    lines.push(`CONFLICT ${c.caseId}: ${c.outcomes.map((o) => `${o.status} in ${o.source}`).join(' vs ')} (first kept)`);
  }
  if (m.conflicts.length > LISTED) lines.push(`  … and ${m.conflicts.length - LISTED} more conflict(s)`);
  for (const d of m.envDifferences) {
    lines.push(`${d.severity === 'conflict' ? 'ENVIRONMENT CONFLICT' : 'environment differs'} ${d.field}: ${d.values.map((v) => `${v.value} (${v.source})`).join(' vs ')}`);
  }
  return lines;
}
