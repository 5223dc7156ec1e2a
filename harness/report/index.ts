import * as fs from 'fs';
import * as path from 'path';
import { UnknownNameError } from '../errors';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { renderHtmlReport } from './html';
import { renderJsonSummary } from './json-summary';
import { renderJunit } from './junit';
import { loadResultSet } from './load';
import { specsFor } from './specs';
import { renderMarkdown } from './markdown';
import type { PeakOverride } from './perf';
import type { NoiseModel } from './perf-compare';
import type { HistoryRow } from './history';
import { summarize } from './summary';

/**
 * The report stage's public surface: `summarize` computes the aggregates every
 * format prints; `writeReports` writes the formats into a directory. The CLI's `report`, `qualify`'s
 * bundle and tests all go through `writeReports`.
 */

export { summarize, SUMMARY_VERSION } from './summary';
export type { AlternativeSeen, CaseBrief, DivergenceSeen, FailureDetail, PerfSummary, ReportSummary, RunInfo, SpecSummary, SummarizeOptions } from './summary';
export { recordedSpecs, specsFor } from './specs';
export type { ReportSpecs } from './specs';
export { OUTSIDE_ROW, placeCase } from './matrix';
export type { CellSummary, ProductSummary, RowKind, RowSummary, StatusCounts } from './matrix';
export { choosePeak, gemmDims, perfRows, topsOf } from './perf';
export type { FloatBaselineFigure, PeakOverride, PeakUsed, PerfRow } from './perf';
export { comparePerf, judgeMove, medianInterval, MIN_REPEATS, NOISE_MODELS } from './perf-compare';
export type { NoiseModel, PerfComparison, PerfMove, PerfMoveKind, TimingInterval } from './perf-compare';
export { renderJunit } from './junit';
export { groupLines } from './console';
export { renderMarkdown, MAX_LINES } from './markdown';
export { renderJsonSummary, SUMMARY_KIND } from './json-summary';
export { loadResultSet, readEnvironment, specFor } from './load';
export type { ResultSet } from './load';
export { validateRecord } from './results-schema';
export { historyRows, isRunFolder, loadRunFolder } from './history';
export type { HistoryRow, HistoryRun } from './history';
export { environmentFor, environmentsOf, productTitle, PRODUCT_NAMES, releaseLines, releaseText } from './release';
export type { ReleaseLine } from './release';

/** The formats `writeReports` and `a8w8 report --format` know. */
export type ReportFormat = 'junit' | 'markdown' | 'json' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['junit', 'markdown', 'json', 'html'];

/** The file each format is written to, inside the output directory. */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  junit: 'junit.xml', markdown: 'summary.md', json: 'summary.json', html: 'report.html',
};

/** Options of `writeReports`; every field is optional. */
export interface WriteReportsOptions {
  /** default: all of REPORT_FORMATS */
  formats?: readonly ReportFormat[];
  /** a previous run for performance regressions: its records (with run.json), or a results.jsonl / directory to read */
  baseline?: ResultRecord[] | string | { records: ResultRecord[]; env: RunEnvironment | null };
  /** the specs for labels and product peaks: loaded specs or files; default those run.json names, if unchanged */
  spec?: Spec | string | readonly (Spec | string)[];
  /** replaces the summary's title */
  title?: string;
  /** peak overrides (`--peak-tops`, `--peak-gbs`) */
  peak?: PeakOverride;
  /** how a baseline's noise interval is built (default ci95) */
  noise?: NoiseModel;
  /** earlier runs' counts (a folder of runs), newest first: a history table in Markdown and HTML */
  history?: HistoryRow[];
}

/** Checks format names; an unknown one is an error that lists the known ones. */
export function parseFormats(list: string): ReportFormat[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(REPORT_FORMATS as readonly string[]).includes(n)) throw new UnknownNameError('format', n, REPORT_FORMATS);
  return [...new Set(names)] as ReportFormat[];
}

/**
 * Writes the reports of a result set into `outDir` (created if needed) and returns the files written,
 * in REPORT_FORMATS order. Every format comes from the same summary, so they agree.
 */
export async function writeReports(records: ResultRecord[], env: RunEnvironment | null, outDir: string, opts: WriteReportsOptions = {}): Promise<string[]> {
  const formats = opts.formats ?? REPORT_FORMATS;
  const { specs } = specsFor(env, opts.spec);
  const baseline = typeof opts.baseline === 'string' ? loadResultSet(opts.baseline)
    : Array.isArray(opts.baseline) ? { records: opts.baseline, env: null } : opts.baseline ?? null;
  const summary = summarize(records, env, specs, {
    ...(opts.peak ? { peak: opts.peak } : {}), ...(opts.noise ? { noise: opts.noise } : {}), ...(opts.title ? { title: opts.title } : {}),
    ...(baseline ? { baseline: { records: baseline.records, env: baseline.env } } : {}), ...(opts.history ? { history: opts.history } : {}),
  });
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const format of REPORT_FORMATS.filter((f) => formats.includes(f))) {
    const file = path.join(outDir, REPORT_FILES[format]);
    const text = format === 'junit' ? renderJunit(records, env, specs, summary.title)
      : format === 'markdown' ? renderMarkdown(summary)
      : format === 'json' ? renderJsonSummary(summary)
      : renderHtmlReport(records, env, {
        specs, ...(opts.peak ? { peakOverride: opts.peak } : {}), summary,
      });
    await fs.promises.writeFile(file, text);
    written.push(file);
  }
  return written;
}
