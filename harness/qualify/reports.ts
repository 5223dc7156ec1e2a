import * as fs from 'fs';
import * as path from 'path';
import { writeReports } from '../report';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { listFiles } from './manifest';
import type { ReportsState } from './verdict-file';

/**
 * Writes every report format (harness/report) into `<bundle>/<dirName>` and returns what happened, for
 * verdict.json. A report that fails to render is recorded and said, never fatal: the verdict comes
 * from results.jsonl, which the bundle holds either way.
 */
export async function writeBundleReports(records: ResultRecord[], env: RunEnvironment, specs: readonly Spec[], bundleDir: string, dirName: string): Promise<ReportsState> {
  const dir = path.join(bundleDir, dirName);
  fs.mkdirSync(dir, { recursive: true });
  try {
    await writeReports(records, env, dir, { spec: specs, title: `a8w8 qualification: ${env.product}` });
  } catch (e) {
    return { written: false, reason: `writeReports failed: ${(e as Error).message.split('\n')[0]}` };
  }
  return { written: true, dir: dirName, files: listFiles(dir) };
}
