import * as fs from 'fs';
import type { Case } from '../expand/case';
import type { Outcome, ResultTimings } from '../judge/outcome';
import type { PathId } from '../reference/types';

/** Version of results.jsonl records: a public interface (bump with a README note on change). */
export const RESULTS_VERSION = 1;

/** One line of results.jsonl: the case's whole recipe, where it ran, and what came out. */
export interface ResultRecord {
  version: typeof RESULTS_VERSION;
  caseId: string;
  product: string;
  backend: string;
  device: string;
  /** true for anything but the real kernel on a real NPU: never qualification */
  simulated: boolean;
  outcome: Outcome;
  /** false when the outcome is unexpected (it counts toward the exit code) */
  asExpected: boolean;
  /** an expectation file listed this case; its reason */
  expectation: { expected: string[]; reason: string } | null;
  /** the expectation said fail but the case passed (reported; unexpected until the file is updated) */
  unexpectedPass: boolean;
  /** passed only on a retry (D14) */
  flaky: boolean;
  attempts: number;
  path: PathId | null;
  timings: ResultTimings;
  startedAt: string;
  /** the command that replays this case */
  replay: string;
  case: Case;
}

/** Appends records to results.jsonl as they finish; each line is written whole, at once. */
export class ResultWriter {
  readonly #fd: number;
  constructor(readonly file: string, append: boolean) {
    if (append) dropTornLine(file);
    this.#fd = fs.openSync(file, append ? 'a' : 'w');
  }
  write(r: ResultRecord): void {
    fs.writeSync(this.#fd, JSON.stringify(r) + '\n');
  }
  close(): void {
    fs.closeSync(this.#fd);
  }
}

/** A run killed mid-write leaves a line without its newline: cut it, so appending starts a fresh line. */
function dropTornLine(file: string): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) fs.truncateSync(file, Buffer.byteLength(text.slice(0, end), 'utf8'));
}

/**
 * Reads results.jsonl. A torn last line (the run was killed mid-write) is dropped, not fatal;
 * a malformed line elsewhere is an error naming the line.
 */
export function readResults(file: string): ResultRecord[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  const out: ResultRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as ResultRecord);
    } catch (e) {
      if (i !== last) throw new Error(`${file}:${i + 1}: not a JSON record: ${(e as Error).message}`);
    }
  });
  return out;
}
