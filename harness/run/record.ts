import * as fs from 'fs';
import { ErrorCode, HarnessError } from '../errors';
import { fileKind, FILE_LIMITS, formatBytes, tooLarge } from '../files';
import type { Case } from '../expand/case';
import type { Outcome, ResultTimings } from '../judge/outcome';
import type { PathId } from '../reference/types';
import { LEGACY_RESULTS_VERSION, upgradeRecord } from './record-upgrade';

/** Version of results.jsonl records: a public interface (bump with a README note on change). */
export const RESULTS_VERSION = 2;

/** One line of results.jsonl: the case's whole recipe, where it ran, and what came out. */
export interface ResultRecord {
  version: typeof RESULTS_VERSION;
  caseId: string;
  /** the id of the spec the case comes from (version 2) */
  spec: string;
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
  /** passed only on a retry */
  flaky: boolean;
  attempts: number;
  path: PathId | null;
  timings: ResultTimings;
  startedAt: string;
  /** the command that replays this case */
  replay: string;
  case: Case;
  /** run --save: the saved case's folder relative to the run's folder, or null when not saved */
  saved?: string | null;
  /** why saving the case failed (the record is kept all the same) */
  saveError?: string;
}

/** Appends records to results.jsonl as they finish; each line is written whole, at once. */
export class ResultWriter {
  readonly #fd: number;
  constructor(readonly file: string, append: boolean) {
    if (append) dropTornLine(file);
    this.#fd = fs.openSync(file, append ? 'a' : 'w');
  }
  write(r: ResultRecord): void {
    fs.writeSync(this.#fd, formatRecordLine(r));
  }
  close(): void {
    fs.closeSync(this.#fd);
  }
}

/**
 * The one line format of results.jsonl, shared by writer and readers: one JSON object per line, ended
 * by `\n` (0x0A). JSON.stringify escapes every line break inside strings, so 0x0A only ends lines.
 */
export function formatRecordLine(r: ResultRecord): string {
  return JSON.stringify(r) + '\n';
}

/** The newline byte that ends every record. */
const LF = 0x0a;

/**
 * A run killed mid-write leaves a last line without its newline: cut the file just after its last 0x0A
 * byte, so appending starts a fresh line. Works on bytes from the end of the file, so the cut is exact
 * whatever the file holds (invalid UTF-8 included) and costs one chunk, not a read of the whole file.
 */
function dropTornLine(file: string): void {
  if (!fs.existsSync(file)) return;
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const end = lastLineEnd(fd, size);
    if (end < size) fs.ftruncateSync(fd, end);
  } finally {
    fs.closeSync(fd);
  }
}

/** The offset just past the last 0x0A byte of the first `size` bytes of the file (0 when there is none). */
function lastLineEnd(fd: number, size: number): number {
  const buf = Buffer.allocUnsafe(1 << 16);
  for (let pos = size; pos > 0;) {
    const start = Math.max(0, pos - buf.length);
    const n = fs.readSync(fd, buf, 0, pos - start, start);
    const i = buf.subarray(0, n).lastIndexOf(LF);
    if (i >= 0) return start + i + 1;
    pos = start;
  }
  return 0;
}

/** A record of results.jsonl with its 1-based line number. */
export interface ScannedRecord {
  record: ResultRecord;
  line: number;
}

/** results.jsonl as read: the records of its complete lines, and the torn last line, if any. */
export interface ResultScan {
  file: string;
  records: ScannedRecord[];
  /** bytes after the last newline: a line a killed run did not finish (its number and length) */
  torn: { line: number; bytes: number } | null;
}

/**
 * Reads results.jsonl in chunks (never as one string: it may be larger than a string can be) and parses
 * each complete line. Only bytes up to the last 0x0A form records, the same cut the writer makes before
 * appending, so reader and writer always agree on what was recorded; the bytes after it are reported as
 * torn. A line that is not a JSON object is an error naming it. `checkShape` also checks that each
 * record has the fields a run relies on (report and merge validate against the full schema instead).
 */
export function scanResults(file: string, opts: { checkShape?: boolean; fd?: number; asWritten?: boolean } = {}): ResultScan {
  const fd = opts.fd ?? openResults(file);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw unreadable(`${file}: results must be a regular file, got ${fileKind(st)}`);
    if (st.size > FILE_LIMITS.results) throw tooLarge(file, 'results.jsonl', st.size, FILE_LIMITS.results);
    return scanLines(fd, file, opts.checkShape === true, opts.asWritten === true);
  } finally {
    if (opts.fd === undefined) fs.closeSync(fd);
  }
}

function openResults(file: string): number {
  try {
    return fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw unreadable(`${file}: cannot read results: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function scanLines(fd: number, file: string, checkShape: boolean, asWritten: boolean): ResultScan {
  const records: ScannedRecord[] = [];
  const buf = Buffer.allocUnsafe(1 << 20);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let total = 0;
  const take = (bytes: Buffer): void => {
    line++;
    if (bytes.length === 0) return; // an empty line holds no record
    let r: unknown;
    try {
      r = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw unreadable(`${file}:${line}: not a JSON record: ${(e as Error).message}`);
    }
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw unreadable(`${file}:${line}: not a JSON object`);
    // version 1 records are read as version 2, unless the caller checks the file as it was written
    if (!asWritten) r = upgradeRecord(r);
    if (checkShape) {
      const problem = recordShapeProblem(r, asWritten);
      if (problem) throw unreadable(`${file}:${line}: not a results record v${RESULTS_VERSION}: ${problem}`);
    }
    records.push({ record: r as ResultRecord, line });
  };
  for (let n = fs.readSync(fd, buf, 0, buf.length, null); n > 0; n = fs.readSync(fd, buf, 0, buf.length, null)) {
    total += n;
    if (total > FILE_LIMITS.results) throw tooLarge(file, 'results.jsonl', null, FILE_LIMITS.results);
    let start = 0;
    for (let i = buf.indexOf(LF, start); i >= 0 && i < n; i = buf.indexOf(LF, start)) {
      const piece = buf.subarray(start, i);
      take(pendingBytes ? Buffer.concat([...pending, piece]) : Buffer.from(piece));
      pending = [];
      pendingBytes = 0;
      start = i + 1;
    }
    if (start < n) {
      pending.push(Buffer.from(buf.subarray(start, n)));
      pendingBytes += n - start;
      if (pendingBytes > FILE_LIMITS.resultLine) throw unreadable(`${file}:${line + 1}: a line longer than ${formatBytes(FILE_LIMITS.resultLine)}; not a results record`);
    }
  }
  return { file, records, torn: pendingBytes ? { line: line + 1, bytes: pendingBytes } : null };
}

/** What makes a parsed line no results record a run can use, or null: the fields resume and verify read. */
export function recordShapeProblem(r: unknown, legacyAllowed = false): string | null {
  const o = r as Partial<ResultRecord> | null;
  if (o === null || typeof o !== 'object') return 'not an object';
  const legacy = legacyAllowed && (o.version as number) === LEGACY_RESULTS_VERSION;
  if (o.version !== RESULTS_VERSION && !legacy) return `version ${JSON.stringify(o.version)}`;
  if (typeof o.caseId !== 'string') return 'no caseId';
  if (!legacy && typeof o.spec !== 'string') return 'no spec';
  if (typeof o.outcome?.status !== 'string') return 'no outcome status';
  if (typeof o.asExpected !== 'boolean') return 'no asExpected';
  if (o.case === null || typeof o.case !== 'object') return 'no case';
  return null;
}

/** Case ids recorded more than once, each with the lines that record it. */
export function duplicateIds(records: ScannedRecord[]): { caseId: string; lines: number[] }[] {
  const lines = new Map<string, number[]>();
  for (const { record, line } of records) lines.set(record.caseId, [...(lines.get(record.caseId) ?? []), line]);
  return [...lines].filter(([, l]) => l.length > 1).map(([caseId, l]) => ({ caseId, lines: l }));
}

/** How many duplicates a message lists before it says how many more there are. */
const LISTED_DUPLICATES = 5;

/** One message line for duplicate case ids: the first few, with their lines, and a count of the rest. */
export function duplicatesText(dups: { caseId: string; lines: number[] }[]): string {
  const shown = dups.slice(0, LISTED_DUPLICATES).map((d) => `${d.caseId} (lines ${d.lines.join(', ')})`).join('; ');
  return `${dups.length} case id(s) recorded more than once: ${shown}${dups.length > LISTED_DUPLICATES ? `; and ${dups.length - LISTED_DUPLICATES} more` : ''}`;
}

/**
 * Reads the results of a run that is to be resumed (or that just finished). A torn last line is
 * dropped, not fatal (the writer cuts it before appending); a line that is not a record, or a case
 * recorded twice (the file is not one run's output), is an error naming the lines.
 */
export function readResults(file: string): ResultRecord[] {
  if (!fs.existsSync(file)) return [];
  const scan = scanResults(file, { checkShape: true });
  const dups = duplicateIds(scan.records);
  if (dups.length) throw unreadable(`${file}: ${duplicatesText(dups)}; each case is recorded once per run`);
  return scan.records.map((s) => s.record);
}

function unreadable(message: string): HarnessError {
  return new HarnessError(ErrorCode.FILE_UNREADABLE, message);
}
