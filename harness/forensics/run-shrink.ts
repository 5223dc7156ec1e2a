/**
 * `run --shrink`: once a run is over, its first unexpected cases are shrunk one after the other on the
 * run's still-open first slot, each within its own budget of kernel calls, with the same search `a8w8
 * shrink` makes (shrink.ts). The run stage knows nothing of this: the CLI hands `shrinkAfterRun` in as
 * the run's after-run hook. The minimal cases are saved beside the run's saved cases, and the report
 * goes to the console and to `<out>/shrunk.json`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Case } from '../expand/case';
import { specOfCase } from '../expand/spec-of-case';
import { compareModeFor } from '../run/compare-mode';
import type { FinishedRun } from '../run/session';
import { reproduce } from './reproduce';
import { shrinkCase } from './shrink';
import { shrinkJson, shrinkText, type CaseCommands } from './shrink-report';

/** Version of `<out>/shrunk.json`: a public interface (bump with a README note on change). */
export const RUN_SHRINK_VERSION = 1;
export const RUN_SHRINK_FILE = 'shrunk.json';
/** How many unexpected cases `run --shrink` shrinks when no number is given. */
export const DEFAULT_SHRINK_COUNT = 5;

export interface RunShrinkOptions {
  /** shrink at most this many unexpected cases, in the order they finished */
  count: number;
  /** kernel calls per case, its first re-run included */
  budget: number;
  /** the replay and repro commands of a case of this run (the original or a shrunk variant) */
  commands: (c: Case, run: FinishedRun) => CaseCommands;
  /** a line of the report (stdout) */
  print: (line: string) => void;
  /** a progress line (stderr) */
  note: (line: string) => void;
}

/** A case left unshrunk, and why. */
interface NotShrunk {
  caseId: string;
  reason: string;
}

/** The after-run hook of `run --shrink`. */
export function shrinkAfterRun(o: RunShrinkOptions): (run: FinishedRun) => Promise<void> {
  return async (run) => {
    const unexpected = run.summary.records.filter((r) => !r.asExpected);
    const reports: Record<string, unknown>[] = [];
    const notShrunk: NotShrunk[] = unexpected.slice(o.count).map((r) => ({ caseId: r.caseId, reason: `over the first ${o.count} (--shrink ${o.count})` }));
    const slot = run.slots[0]!;
    const commands = (c: Case): CaseCommands => o.commands(c, run);
    for (const r of unexpected.slice(0, o.count)) {
      if (!r.case) {
        notShrunk.push({ caseId: r.caseId, reason: 'the record holds no recipe' });
        continue;
      }
      o.note(`a8w8 run --shrink: ${r.caseId} (${r.outcome.status}), at most ${o.budget} kernel call(s)`);
      const spec = specOfCase(run.specs, r.case);
      const res = await shrinkCase({
        spec, case: r.case, original: r.case, runSeed: run.seed, slot, context: { ...run.context, retries: 0 }, budget: o.budget,
      });
      if (res.status === 'not-failing') {
        notShrunk.push({ caseId: r.caseId, reason: `ran again as ${res.record.outcome.status}, as expected: it does not fail every time` });
        continue;
      }
      const saved = await reproduce({
        spec, case: res.minimal.case, outDir: run.out, reference: run.context.reference, referenceOptions: run.context.referenceOptionsOf(spec),
        compare: compareModeFor(spec, run.product.id, res.minimal.case.path), record: res.minimal.record, output: res.minimal.output,
      });
      reports.push({ ...shrinkJson(res, commands), saved: path.relative(run.out, saved.folder) });
      o.print('');
      for (const line of shrinkText(res, commands)) o.print(line);
      o.print(`minimal case saved: ${saved.folder} (python3 ${saved.script})`);
    }
    for (const n of notShrunk) o.print(`not shrunk: ${n.caseId}: ${n.reason}`);
    const file = path.join(run.out, RUN_SHRINK_FILE);
    fs.writeFileSync(file, JSON.stringify({
      kind: 'a8w8-run-shrink', version: RUN_SHRINK_VERSION, count: o.count, budget: o.budget, unexpected: unexpected.length,
      shrunk: reports, notShrunk,
    }, null, 2) + '\n');
    o.note(`a8w8 run --shrink: ${reports.length} case(s) shrunk, report in ${file}`);
  };
}
