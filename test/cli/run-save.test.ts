import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { readResults } from '../../harness/run/record';
import { readSavedCase } from '../../harness/forensics/save';
import { tmpDir } from '../helpers/cli';
import { FAULTY, GREP, withFaults } from '../helpers/plugins';

describe('cli: run --save', function () {
  this.timeout(120_000);

  it('saves every failing case with its inputs, output, admissible answers and repro.py; the record points to it', async () => {
    const out = path.join(tmpDir(), 'run');
    const { code } = await withFaults('first-wrong@m=3', ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--out', out, '--no-progress']);
    assert.equal(code, 1);
    const records = readResults(path.join(out, 'results.jsonl'));
    const failed = records.filter((r) => !r.asExpected);
    assert.ok(failed.length >= 1);
    for (const r of records) {
      if (r.asExpected) assert.equal(r.saved ?? null, null, `${r.caseId} passed and is not saved`);
      else {
        assert.ok(r.saved, `${r.caseId} is saved`);
        const folder = path.join(out, r.saved!);
        const { manifest } = readSavedCase(folder);
        assert.equal(manifest.caseId, r.caseId);
        assert.ok(manifest.output && manifest.reference, 'the kernel output and the admissible answers are saved');
        assert.ok(fs.existsSync(path.join(folder, 'repro.py')));
      }
    }
  });

  it('--save none writes no case; --save all writes the passing ones too', async () => {
    const none = path.join(tmpDir(), 'run');
    await withFaults('first-wrong@m=3', ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--out', none, '--no-progress', '--save', 'none']);
    assert.equal(fs.existsSync(path.join(none, 'cases')), false);
    const all = path.join(tmpDir(), 'run');
    assert.equal((await withFaults('', ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--out', all, '--no-progress', '--save', 'all'])).code, 0);
    assert.ok(readResults(path.join(all, 'results.jsonl')).every((r) => typeof r.saved === 'string'));
  });

  it('a fresh run on the same folder drops the saved cases of the run before; --resume keeps them', async () => {
    const out = path.join(tmpDir(), 'run');
    await withFaults('first-wrong@m=3', ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--out', out, '--no-progress']);
    assert.ok(fs.readdirSync(path.join(out, 'cases')).length > 0);
    await withFaults('first-wrong@m=3', ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--out', out, '--no-progress', '--resume']);
    assert.ok(fs.readdirSync(path.join(out, 'cases')).length > 0, 'a resumed run keeps them');
    assert.equal((await withFaults('', ['run', '--backend', FAULTY, '--product', 'atlas-a2', '--grep', GREP, '--out', out, '--no-progress'])).code, 0);
    assert.equal(fs.existsSync(path.join(out, 'cases')), false, 'nothing failed in the fresh run, and nothing of the old one is left');
  });

  it('an unknown mode lists the valid ones', async () => {
    const { code, ctx } = await withFaults('', ['run', '--backend', FAULTY, '--grep', GREP, '--out', path.join(tmpDir(), 'r'), '--save', 'some']);
    assert.equal(code, 2);
    assert.match(ctx.text(), /failures, all, none/);
  });
});
