import type { Command } from 'commander';
import { diffRuns, type OutcomeChange, type RunDiff } from '../../report/diff';
import { loadResultSet } from '../../report/load';
import type { CommandContext } from '../context';
import { parseNoise } from './report';

/** Version of `a8w8 diff --json` output: a public interface. */
export const DIFF_JSON_VERSION = 1;

/** Lines per list before a count stands for the rest. */
const LISTED = 25;

/** `a8w8 diff A B`: what changed from run A (old) to run B (new). */
export function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command('diff <a> <b>')
    .description('compare two runs (results.jsonl or directories): new unexpected outcomes, fixed cases, outcome changes, performance moves; exit 1 on new unexpected outcomes')
    .option('--noise <model>', 'performance noise interval: ci95 or p10-p90', 'ci95')
    .option('--fail-on-regression', 'also exit 1 when a performance regression lies beyond noise')
    .option('--fail-on-missing', 'also exit 1 when cases of A have no result in B (an interrupted or shortened run)')
    .option('--json', 'machine-readable output')
    .action((a: string, b: string, opts: { noise?: string; failOnRegression?: boolean; failOnMissing?: boolean; json?: boolean }) => {
      const noise = parseNoise(opts.noise);
      const old = loadResultSet(a);
      const now = loadResultSet(b);
      const d = diffRuns({ name: a, records: old.records, env: old.env }, { name: b, records: now.records, env: now.env }, noise);
      if (opts.json) ctx.out(JSON.stringify({ version: DIFF_JSON_VERSION, a: old.file, b: now.file, ...d }, null, 2));
      else for (const line of diffLines(d)) ctx.out(line);
      if (opts.failOnMissing && d.removed.length > 0) ctx.err(`a8w8 diff: ${d.removed.length} case(s) of ${a} have no result in ${b} (--fail-on-missing)`);
      if (d.newUnexpected.length > 0 || (opts.failOnRegression && d.perf.regressions > 0) || (opts.failOnMissing && d.removed.length > 0)) ctx.exitCode = 1;
    });
}

function changeLine(tag: string, c: OutcomeChange): string {
  return `${tag} ${c.caseId}: ${c.from ?? '(new case)'} -> ${c.to}: ${c.reason}\n  replay: ${c.replay}`;
}

function list(lines: string[], tag: string, items: OutcomeChange[]): void {
  for (const c of items.slice(0, LISTED)) lines.push(changeLine(tag, c));
  if (items.length > LISTED) lines.push(`  … and ${items.length - LISTED} more`);
}

/** The diff in lines: one per change, each problem with its replay command, then the counts. */
export function diffLines(d: RunDiff): string[] {
  const lines: string[] = [];
  for (const e of d.envDifferences) lines.push(`environment differs ${e.field}: ${e.values.map((v) => `${v.value} (${v.source})`).join(' vs ')}`);
  list(lines, 'NEW', d.newUnexpected);
  list(lines, 'FIXED', d.fixed);
  list(lines, 'CHANGED', d.changed);
  const p = d.perf;
  for (const w of p.warnings) lines.push(`performance: ${w}`);
  for (const m of p.moves.filter((x) => x.kind === 'regression' || x.kind === 'improvement').slice(0, LISTED)) {
    lines.push(`${m.kind === 'regression' ? 'SLOWER' : 'FASTER'} ${m.caseId}: ${m.baselineMedianUs.toFixed(1)} -> ${m.currentMedianUs.toFixed(1)} us (${m.change >= 0 ? '+' : ''}${(100 * m.change).toFixed(1)}%): ${m.why}`);
  }
  lines.push(
    `${d.newUnexpected.length} new unexpected, ${d.fixed.length} fixed, ${d.changed.length} other change(s), ${d.stillUnexpected} still unexpected; `
    + `${d.added.length} case(s) added, ${d.removed.length} removed`,
    `performance (${p.noise}): ${p.regressions} regression(s), ${p.improvements} improvement(s), ${p.withinNoise} within noise, ${p.unjudged} unjudged`,
  );
  return lines;
}
