import type { ReportSummary } from './summary';

/**
 * summary.json: the ReportSummary as JSON, for dashboards and scripts. Its `version` is
 * SUMMARY_VERSION; `kind` tells it apart from other a8w8 JSON files. NaN and ±Infinity in metrics become
 * null, as in results.jsonl.
 */
export const SUMMARY_KIND = 'a8w8-summary';

export function renderJsonSummary(s: ReportSummary): string {
  const { version, ...rest } = s;
  return JSON.stringify({ kind: SUMMARY_KIND, version, ...rest }, null, 2) + '\n';
}
