import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expandCases } from '../../harness/expand';
import { GiB } from '../../harness/files';
import { formatRecordLine, readResults, ResultWriter, scanResults, type ResultRecord } from '../../harness/run/record';
import { tmpDir } from '../helpers/cli';
import { record } from '../qualify/helpers';
import { realSpec } from '../helpers/spec';

/** Four records of real cases (rejected as the doc says). */
function records(): ResultRecord[] {
  const cases = expandCases(realSpec(), { profile: 'smoke', seed: 0, products: ['atlas-a2'] }).filter((c) => c.expect === 'reject').slice(0, 4);
  return cases.map((c) => record(c, { status: 'rejected', errorType: 'ValueError', message: 'no', errorClass: 'parameter' }));
}

describe('run: results.jsonl records', () => {
  it('cuts a torn last line at its last newline byte, whatever bytes come before it', () => {
    const file = path.join(tmpDir(), 'results.jsonl');
    const [a, b, c] = records();
    // Invalid UTF-8 inside a JSON string of the first record: a reader that decodes and re-measures
    // miscounts these bytes (each becomes a 3-byte U+FFFD) and cuts too late.
    const first = Buffer.from(formatRecordLine(a!).replace('"replay":"', '"replay":"\u0001'));
    first[first.indexOf(0x01)] = 0xff;
    const bytes = Buffer.concat([first, Buffer.from(formatRecordLine(b!)), Buffer.from(formatRecordLine(c!).slice(0, 50))]);
    fs.writeFileSync(file, bytes);
    assert.deepEqual(scanResults(file).torn, { line: 3, bytes: 50 });
    const writer = new ResultWriter(file, true);
    writer.write(c!);
    writer.close();
    const after = fs.readFileSync(file);
    assert.deepEqual(after.subarray(0, first.length + Buffer.byteLength(formatRecordLine(b!))), bytes.subarray(0, first.length + Buffer.byteLength(formatRecordLine(b!))));
    assert.deepEqual(readResults(file).map((r) => r.caseId), [a!.caseId, b!.caseId, c!.caseId]);
  });

  it('reader and writer agree: a last line without its newline is torn even when it parses', () => {
    const file = path.join(tmpDir(), 'results.jsonl');
    const [a, b] = records();
    fs.writeFileSync(file, formatRecordLine(a!) + JSON.stringify(b));
    assert.deepEqual(readResults(file).map((r) => r.caseId), [a!.caseId]);
    new ResultWriter(file, true).close();
    assert.equal(fs.readFileSync(file, 'utf8'), formatRecordLine(a!));
  });

  it('names a line that is not a record, and refuses a case recorded twice', () => {
    const file = path.join(tmpDir(), 'results.jsonl');
    const [a, b] = records();
    fs.writeFileSync(file, formatRecordLine(a!) + 'garbage\n' + formatRecordLine(b!));
    assert.throws(() => readResults(file), /results\.jsonl:2: not a JSON record/);
    fs.writeFileSync(file, formatRecordLine(a!) + '{"version":1}\n');
    assert.throws(() => readResults(file), /results\.jsonl:2: not a results record v2: no caseId/);
    fs.writeFileSync(file, formatRecordLine(a!) + formatRecordLine(b!) + formatRecordLine(a!));
    assert.throws(() => readResults(file), new RegExp(`1 case id\\(s\\) recorded more than once: ${a!.caseId.replace(/[.+]/g, '\\$&')} \\(lines 1, 3\\)`));
  });

  it('refuses a results file over 2 GiB before reading it, and a FIFO without opening it blocked', () => {
    const dir = tmpDir();
    const big = path.join(dir, 'results.jsonl');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 2 * GiB + 1); // sparse: costs no disk
    assert.throws(() => readResults(big), /results\.jsonl is 2 GiB \(2147483649 bytes\), over the limit of 2 GiB for results\.jsonl/);
    const fifo = path.join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => readResults(fifo), /fifo\.jsonl: results must be a regular file, got a FIFO/);
  });
});
