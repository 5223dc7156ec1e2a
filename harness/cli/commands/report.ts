import type { Command } from 'commander';
import { ErrorCode, HarnessError, UnknownNameError } from '../../errors';
import { groupLines, historyRows, isRunFolder, loadResultSet, loadRunFolder, parseFormats, REPORT_FORMATS, specsFor, summarize, writeReports, type ReportFormat } from '../../report';
import { collect } from '../options';
import type { PeakOverride } from '../../report/perf';
import { NOISE_MODELS, type NoiseModel } from '../../report/perf-compare';
import type { CommandContext } from '../context';

interface ReportOptions {
  format?: string;
  out?: string;
  baseline?: string;
  spec?: string[];
  peakTops?: string;
  peakGbs?: string;
  noise?: string;
  title?: string;
}

/**
 * `a8w8 report RESULTS`: renders results.jsonl (+ run.json) as JUnit XML, Markdown, JSON and HTML. Given
 * a folder of runs, it reports the newest with a history table of them all. Exit 1 when the results
 * hold an unexpected outcome, as `run` would have.
 */
export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report <results>')
    .description('render a results.jsonl (or a directory holding one, or a folder of such run directories: the newest, with a history of all) as junit.xml, summary.md, summary.json, report.html; exit 1 when the results hold an unexpected outcome')
    .option('--format <list>', 'comma-separated formats', REPORT_FORMATS.join(','))
    .option('--out <dir>', 'output directory (default: the results\u2019 directory, or the folder of runs)')
    .option('--baseline <file>', 'a previous results.jsonl (or its directory): flag performance regressions and improvements beyond noise')
    .option('--spec <file>', 'a spec for labels and product peaks (repeatable; default: those run.json names, if unchanged)', collect)
    .option('--peak-tops <n>', 'int8 peak in TOPS for the percentages (overrides the spec and the host peak)')
    .option('--peak-gbs <n>', 'memory bandwidth in GB/s for the percentages (overrides the spec and the host\u2019s measured bandwidth)')
    .option('--noise <model>', `baseline noise interval: ${NOISE_MODELS.join(' or ')}`, 'ci95')
    .option('--title <text>', 'title of the reports (default: a8w8 <backends> on <products>)')
    .action(async (results: string, opts: ReportOptions) => {
      const formats: ReportFormat[] = opts.format ? parseFormats(opts.format) : [...REPORT_FORMATS];
      if (formats.length === 0) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--format expects one or more of ${REPORT_FORMATS.join(', ')}, got '${opts.format}'`);
      const runs = isRunFolder(results) ? loadRunFolder(results) : null;
      const set = runs ? runs[0]!.set : loadResultSet(results);
      const history = runs ? historyRows(runs) : undefined;
      if (runs) ctx.err(`a8w8 report: ${runs.length} run(s) in ${results}: reporting the newest, ${runs[0]!.name}, with the history of all`);
      const { specs, notes } = specsFor(set.env, opts.spec);
      for (const note of notes) ctx.err(`a8w8 report: ${note}`);
      const baseline = opts.baseline ? loadResultSet(opts.baseline) : null;
      const peak = peakOverride(opts);
      const noise = parseNoise(opts.noise);
      const written = await writeReports(set.records, set.env, opts.out ?? (runs ? results : set.dir), {
        formats, spec: specs, ...(baseline ? { baseline } : {}), peak, noise, ...(opts.title ? { title: opts.title } : {}),
        ...(history ? { history } : {}),
      });
      for (const f of written) ctx.out(f);
      const s = summarize(set.records, set.env, specs, { peak, noise, ...(baseline ? { baseline } : {}) });
      ctx.err(`a8w8 report: ${s.total} record(s), ${s.unexpectedCount} unexpected${s.simulated ? ' (simulated)' : ''}`);
      for (const line of groupLines(s)) ctx.err(`a8w8 report: ${line}`);
      const b = s.perf.baseline;
      if (b) ctx.err(`a8w8 report: baseline ${baseline!.file}: ${b.regressions} regression(s), ${b.improvements} improvement(s), ${b.withinNoise} within noise (${b.noise})`);
      // the README's rule for every command: unexpected outcomes exit 1, so a CI job re-reporting a run fails as the run did
      if (s.unexpectedCount > 0) ctx.exitCode = 1;
    });
}

/** A positive number option, or a BAD_ARGUMENT error naming the flag. */
export function parsePositive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `${flag} expects a positive number, got '${text}'`);
  return n;
}

/** `--noise`: a known noise model (default ci95). */
export function parseNoise(text: string | undefined): NoiseModel {
  if (text === undefined) return 'ci95';
  if (!(NOISE_MODELS as readonly string[]).includes(text)) throw new UnknownNameError('noise model', text, NOISE_MODELS);
  return text as NoiseModel;
}

function peakOverride(opts: ReportOptions): PeakOverride {
  return {
    ...(opts.peakTops !== undefined ? { int8Tops: parsePositive(opts.peakTops, '--peak-tops') } : {}),
    ...(opts.peakGbs !== undefined ? { bandwidthGBs: parsePositive(opts.peakGbs, '--peak-gbs') } : {}),
  };
}
