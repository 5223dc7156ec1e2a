import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateInputs } from '../../harness/data/generate';
import type { Case } from '../../harness/expand/case';
import { checkManifest, judgementOf } from '../../harness/forensics/manifest';
import {
  caseSaver, parseSaveMode, readSavedCase, sanitiseCaseId, saveCase, SaveBudget, shouldSave,
} from '../../harness/forensics/save';
import type { FinishedCase } from '../../harness/run/runner';
import { getReferenceImpl } from '../../harness/reference';
import { computeReference } from '../../harness/reference/reference';
import type { ReferenceOutput } from '../../harness/reference/types';
import { RESULTS_VERSION, type ResultRecord } from '../../harness/run/record';
import { tmpDir } from '../helpers/cli';
import { realCases, realSpec } from '../helpers/spec';

function recordOf(c: Case, outcome: ResultRecord['outcome'], asExpected: boolean): ResultRecord {
  return {
    version: RESULTS_VERSION, caseId: c.id, spec: c.spec, product: c.product, backend: 'test', device: 'cpu', simulated: true, outcome, asExpected,
    expectation: null, unexpectedPass: false, flaky: false, attempts: 1, path: null,
    timings: { wallMs: 1, referenceMs: null, device: null }, startedAt: '2026-01-01T00:00:00Z', replay: 'npx a8w8 run ...', case: c,
  };
}

const find = (re: RegExp): Case => {
  const c = realCases('smoke').find((x) => re.test(x.id));
  if (!c) throw new Error(`no smoke case matches ${re}`);
  return c;
};

describe('forensics: saved cases', () => {
  const spec = realSpec();
  const twin = getReferenceImpl('twin');
  const options = { fp16Overflow: 'either' as const, bf16ScaleTruncation: 'either' as const };

  it('sanitises ids into distinct, plain folder names', () => {
    const a = sanitiseCaseId('atlas-a2/table2-r1/x/base/full-range');
    const b = sanitiseCaseId('atlas-a2/table2-r1_x/base/full-range');
    assert.match(a, /^[A-Za-z0-9._@+=,-]+$/);
    assert.notEqual(a, b);
    assert.equal(sanitiseCaseId('plain-id'), 'plain-id');
    assert.ok(!sanitiseCaseId('../../etc').startsWith('.'));
    assert.ok(sanitiseCaseId('x'.repeat(500)).length <= 200);
  });

  it('saves inputs, output and every admissible answer as .npy with case.json, and reads them back bit for bit', () => {
    // fp16 output with either overflow behaviour admissible: a per-tensor alternative; int8: per-element ones
    for (const re of [/y-f16\/.*\/overflow/, /y-i8\/.*ties/]) {
      const c = find(re);
      const inputs = generateInputs(spec, c);
      const ref: ReferenceOutput = computeReference(c, inputs, options, twin);
      assert.ok(ref.alternatives.length > 0, `${c.id} has alternatives`);
      const output = { ...ref.expected, data: ref.expected.data.slice() };
      output.data[0] = (output.data[0] as number) ^ 1;
      const dir = tmpDir();
      const rec = recordOf(c, { status: 'fail', reason: 'planted', metrics: null, worst: [] }, false);
      const res = saveCase(dir, rec, inputs, output, ref);
      assert.equal(res.status, 'saved');
      const folder = (res as { dir: string }).dir;
      assert.equal(path.dirname(folder), path.join(dir, 'cases'));
      const back = readSavedCase(folder);
      assert.equal(back.manifest.caseId, c.id);
      assert.deepEqual(back.manifest.case, c);
      assert.equal(back.manifest.outcome?.status, 'fail');
      const same = (a: { data: ArrayLike<number | bigint> }, b: { data: ArrayLike<number | bigint> }): void =>
        assert.deepEqual(Array.from(a.data), Array.from(b.data));
      same(back.inputs.x1, inputs.x1);
      same(back.inputs.scale, inputs.scale);
      same(back.output!, output);
      same(back.expected!, ref.expected);
      assert.equal(back.alternatives.length, ref.alternatives.length);
      for (const alt of back.manifest.reference!.alternatives) {
        const perTensor = ['fp16-overflow-inf', 'fp16-overflow-saturate', 'scale-truncated', 'scale-untruncated'].includes(alt.kind);
        assert.equal(alt.applies, perTensor ? 'per-tensor' : 'per-element', alt.kind);
      }
      assert.equal(back.manifest.inputs.weight.layout, c.call.weightFormat);
      if (c.dtypes.output_dtype === 'float16') assert.equal(back.manifest.output!.descr, '<f2');
      assert.equal(back.manifest.judgement.raise, 'never');
    }
  });

  it('keeps bfloat16 as uint16 bit patterns and int64 scales with their fp32 source', () => {
    const c = find(/s-i64_o-f32/);
    const inputs = generateInputs(spec, c);
    const folder = (saveCase(tmpDir(), recordOf(c, { status: 'error', message: 'x' }, false), inputs, null, null) as { dir: string }).dir;
    const m = readSavedCase(folder).manifest;
    assert.equal(m.inputs.scale.descr, '<i8');
    assert.equal(m.inputs.scaleSource?.scale.descr, '<f4');
    assert.equal(m.output, null);
    const bf = find(/b-bf16/);
    const bfIn = generateInputs(spec, bf);
    const bm = readSavedCase((saveCase(tmpDir(), recordOf(bf, { status: 'error', message: 'x' }, false), bfIn, null, null) as { dir: string }).dir).manifest;
    assert.deepEqual([bm.inputs.bias!.dtype, bm.inputs.bias!.storage, bm.inputs.bias!.descr], ['bfloat16', 'uint16', '<u2']);
  });

  it('a case over the budget is not saved, leaves no folder, and is listed with the reason', () => {
    const c = find(/tail-17x33x47/);
    const inputs = generateInputs(spec, c);
    const dir = tmpDir();
    const budget = new SaveBudget(1000);
    const res = saveCase(dir, recordOf(c, { status: 'error', message: 'x' }, false), inputs, null, null, { budget });
    assert.equal(res.status, 'not-saved');
    assert.match((res as { reason: string }).reason, /exceed the save budget/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'cases')), ['not-saved.jsonl']);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'cases', 'not-saved.jsonl'), 'utf8')).caseId, c.id);
    assert.equal(budget.usedBytes, 0);
  });

  it('--save modes: failures keeps unexpected outcomes, all keeps everything run, none nothing; skips never', () => {
    const c = find(/tail-17x33x47/);
    const fail = recordOf(c, { status: 'fail', reason: 'x', metrics: null, worst: [] }, false);
    const pass = recordOf(c, { status: 'pass', metrics: null as never }, true);
    const skip = recordOf(c, { status: 'skip', reason: 'x' }, true);
    assert.deepEqual([shouldSave('failures', fail), shouldSave('failures', pass), shouldSave('all', pass), shouldSave('all', skip), shouldSave('none', fail)],
      [true, false, true, false, false]);
  });

  it('reads what the judge expects of the call off the case', () => {
    const rejected = find(/outside-table/);
    assert.deepEqual(judgementOf(rejected), { raise: 'must', values: 'unjudged' });
    assert.deepEqual(judgementOf(find(/undefined-input/)), { raise: 'may', values: 'unjudged' });
  });

  it('a manifest from outside is validated: format, version, and file names inside the folder', () => {
    const c = find(/tail-17x33x47/);
    const folder = (saveCase(tmpDir(), recordOf(c, { status: 'error', message: 'x' }, false), generateInputs(spec, c), null, null) as { dir: string }).dir;
    const good = JSON.parse(fs.readFileSync(path.join(folder, 'case.json'), 'utf8'));
    assert.throws(() => checkManifest({ ...good, version: 2 }, 'case.json'), /version: expected 1/);
    assert.throws(() => checkManifest({ ...good, inputs: { ...good.inputs, x1: { ...good.inputs.x1, file: '../x1.npy' } } }, 'case.json'), /plain \.npy file name/);
    fs.writeFileSync(path.join(folder, 'x1.npy'), fs.readFileSync(path.join(folder, 'weight.npy')));
    assert.throws(() => readSavedCase(folder), /case\.json says/);
  });
});

describe('forensics: the run --save hook', () => {
  const spec = realSpec();
  it('saves by mode and budget, returns the folder relative to the run directory, or null', () => {
    const c = realCases('smoke').find((x) => /tail-17x33x47/.test(x.id))!;
    const inputs = generateInputs(spec, c);
    const dir = tmpDir();
    const finished = (asExpected: boolean): FinishedCase => ({
      record: recordOf(c, asExpected ? { status: 'pass', metrics: null as never } : { status: 'fail', reason: 'x', metrics: null, worst: [] }, asExpected),
      inputs, output: null, reference: () => null, compare: 'exact',
    });
    const save = caseSaver(dir, parseSaveMode('failures'));
    assert.equal(save(finished(true)), null);
    const rel = save(finished(false))!;
    assert.equal(rel, path.join('cases', sanitiseCaseId(c.id)));
    assert.equal(readSavedCase(path.join(dir, rel)).manifest.caseId, c.id);
    assert.equal(caseSaver(tmpDir(), 'all', new SaveBudget(10))(finished(true)), null, 'over the budget');
    assert.throws(() => parseSaveMode('some'), /unknown save mode 'some'; valid save modes: failures, all, none/);
  });
});
