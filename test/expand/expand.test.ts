import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { COLUMNS } from '../../harness/dtypes';
import { expandCases } from '../../harness/expand';
import { filterCases } from '../../harness/expand/filter';
import { PROFILES } from '../../harness/expand/profiles';
import { loadSpec, defaultSpecPath } from '../../harness/spec/load';
import { brokenRules } from '../../harness/spec/shape-check';
import { realCases, realSpec } from '../helpers/spec';
import { testTmpDir } from '../helpers/tmp';

/** The counts the vendor doc's tables give the 240-combination domain. */
const EXPECTED = { 'atlas-inference': [12, 228], 'atlas-a2': [34, 206], 'atlas-a3': [34, 206] } as const;

describe('expand: case expansion', () => {
  for (const profile of PROFILES) {
    describe(`profile ${profile}`, () => {
      it('gives 12/228 and 34/206 distinct accepted and dtype-rejected combinations', () => {
        for (const [product, [acc, rej]] of Object.entries(EXPECTED)) {
          const own = realCases(profile).filter((c) => c.product === product);
          const key = (c: { dtypes: object }) => JSON.stringify(c.dtypes);
          assert.equal(new Set(own.filter((c) => c.expect === 'accept').map(key)).size, acc, `${product} accepted`);
          const rejected = new Set(own.filter((c) => c.rejectedBy?.kind === 'dtype').map(key));
          if (profile === 'full') assert.equal(rejected.size, rej, `${product} rejected`);
          else {
            // smoke keeps every near miss (one column off an allowed combination), counted here apart
            const allowed = own.filter((c) => c.expect === 'accept').map((c) => c.dtypes);
            const fullRejected = realCases('full').filter((c) => c.product === product && c.rejectedBy?.kind === 'dtype');
            const near = fullRejected.filter((c) => allowed.some((a) => COLUMNS.filter((k) => a[k] !== c.dtypes[k]).length === 1));
            assert.ok(near.length > 0 && near.every((c) => rejected.has(key(c))), `${product}: every near miss rejected in smoke`);
            assert.ok(rejected.size < rej, `${product}: smoke keeps fewer than all ${rej}`);
          }
        }
      });

      it('gives unique ids and complete records', () => {
        const cases = realCases(profile);
        assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
        for (const c of cases) {
          assert.match(c.id, /^[a-z0-9-]+\/[\w./+@-]+$/);
          for (const col of COLUMNS) assert.ok(col in c.dtypes, `${c.id}: dtypes.${col}`);
          for (const t of ['x1', 'weight', 'scale', 'offset', 'bias', 'pertoken_scale'] as const) {
            assert.ok(t in c.shapes, `${c.id}: shapes.${t}`);
            assert.equal(c.shapes[t] === null, t !== 'x1' && t !== 'weight' && t !== 'scale' && c.dtypes[t] === null, `${c.id}: ${t} presence`);
          }
          assert.ok(c.source.line > 0 && c.source.column > 0 && c.source.file.endsWith('.yml'), `${c.id}: source`);
          assert.ok(Number.isInteger(c.seed) && c.seed >= 0, `${c.id}: seed`);
          assert.ok(['accept', 'reject'].includes(c.expect));
          assert.equal(c.rejectedBy === null, c.expect === 'accept', `${c.id}: rejectedBy iff reject`);
          if (c.expect === 'accept') assert.ok(c.rows.length > 0, `${c.id}: rows`);
          assert.ok(c.distribution && c.shapeClass);
        }
      });

      it('breaks exactly the rule a shape-rejected case names, and no rule elsewhere', () => {
        for (const c of realCases(profile)) {
          const want = c.rejectedBy?.kind === 'shape' ? [c.rejectedBy.rule] : [];
          assert.deepEqual(brokenRules(realSpec(), { dtypes: c.dtypes, shapes: c.shapes }), want, c.id);
        }
      });

      it('puts every rule at its edge from both sides, and k or n at 65535 but never both', () => {
        const cases = realCases(profile).filter((c) => c.product === 'atlas-a2');
        for (const rule of realSpec().shapeRules) {
          const own = cases.filter((c) => c.rules.includes(rule.id));
          assert.ok(own.some((c) => c.expect === 'accept') && own.some((c) => c.expect === 'reject'), rule.id);
        }
        const k = (c: { shapes: { x1: number[] } }) => c.shapes.x1[c.shapes.x1.length - 1]!;
        const n = (c: { shapes: { weight: number[] } }) => c.shapes.weight[c.shapes.weight.length - 2]!;
        assert.ok(cases.some((c) => k(c) === 65535 && c.expect === 'accept'));
        assert.ok(cases.some((c) => n(c) === 65535 && c.expect === 'accept'));
        assert.ok(!realCases(profile).some((c) => k(c) >= 65535 && n(c) >= 65535));
        for (const c of realCases(profile).filter((x) => k(x) >= 65535 || n(x) >= 65535)) assert.ok(c.tags.includes('large'), c.id);
      });
    });
  }

  it('derives ids from content only: the seed changes seeds, never ids', () => {
    const a = realCases('smoke', 0);
    const b = realCases('smoke', 7);
    assert.deepEqual(a.map((c) => c.id), b.map((c) => c.id));
    assert.notDeepEqual(a.map((c) => c.seed), b.map((c) => c.seed));
  });

  it('changes only the edited row\'s ids when one row is edited', () => {
    const text = fs.readFileSync(defaultSpecPath(), 'utf8');
    const edited = text.replace(
      '{ row: 4, x1: int8, weight: int8, scale: float32, offset: None, bias: int32/float16/float32/None,',
      '{ row: 4, x1: int8, weight: int8, scale: float32, offset: None, bias: int32/float16/None,');
    assert.notEqual(edited, text, 'the edit applies');
    const dir = testTmpDir('a8w8-expand-');
    const file = path.join(dir, 'spec.yml');
    fs.writeFileSync(file, edited.replace('$schema=../schema/', '$schema=x/'));
    const before = new Set(expandCases(realSpec(), { profile: 'full', seed: 0 }).filter((c) => !c.rows.includes('table2#4') && c.rejectedBy?.kind !== 'dtype').map((c) => c.id.split('/').slice(1).join('/')));
    const after = expandCases(loadSpec(file), { profile: 'full', seed: 0 });
    const untouched = after.filter((c) => !c.rows.includes('table2#4') && c.rejectedBy?.kind !== 'dtype');
    for (const c of untouched) assert.ok(before.has(c.id.split('/').slice(1).join('/')), `new id ${c.id}`);
  });

  it('runs both spellings of int8 output (None and torch.int8)', () => {
    const int8 = realCases('smoke').filter((c) => c.dtypes.output_dtype === 'int8' && c.expect === 'accept');
    assert.ok(int8.some((c) => c.call.output_dtype === null) && int8.some((c) => c.call.output_dtype === 'int8'));
    for (const c of int8) assert.equal(c.id.endsWith('+none'), c.call.output_dtype === null, c.id);
  });

  it('attaches the known divergences where the library contradicts the doc', () => {
    const cases = realCases('full');
    const by = (id: string) => cases.filter((c) => c.divergence?.id === id);
    for (const c of by('fp16-float-bias-needs-pertoken')) {
      assert.equal(c.expect, 'accept');
      assert.ok(['float16', 'float32'].includes(c.dtypes.bias!) && c.dtypes.pertoken_scale === null && c.dtypes.output_dtype === 'float16');
    }
    assert.ok(by('fp16-float-bias-needs-pertoken').length > 0);
    assert.ok(by('pertoken-on-310p-with-newer-cann').every((c) => c.product === 'atlas-inference' && c.expect === 'reject'));
    assert.equal(by('pertoken-on-310p-with-newer-cann').length, 2);
    assert.ok(by('n-not-checked-for-transposed-weight').every((c) => c.shapes.weight[c.shapes.weight.length - 2] === 65536));
    for (const product of ['atlas-inference', 'atlas-a2', 'atlas-a3']) {
      assert.ok(by('n-not-checked-for-transposed-weight').some((c) => c.product === product), product);
    }
    // the k-limit waiver holds only with the dtypes it names: an fp32/bf16 scale and a pertoken_scale
    assert.ok(by('k-limit-waiver').length > 0);
    assert.ok(by('k-limit-waiver').every((c) => c.dtypes.pertoken_scale === 'float32' && ['float32', 'bfloat16'].includes(c.dtypes.scale!)));
    assert.ok(cases.some((c) => c.rules.includes('last-dim-limit') && c.expect === 'reject' && c.divergence === null
      && c.product === 'atlas-a2' && c.dtypes.pertoken_scale === null && c.shapes.x1[c.shapes.x1.length - 1] === 65536), 'k = 65536 without pertoken stays rejected');
    assert.ok(by('vllm-3257-pertoken-rank3').length > 0);
    assert.ok(by('vllm-3257-pertoken-rank3').every((c) => c.shapes.x1.length >= 3 && c.dtypes.pertoken_scale !== null));
    for (const c of cases.filter((x) => x.divergence)) assert.notEqual(c.divergence!.library, c.expect, c.id);
  });

  it('rejects an unknown product with the list of valid ones', () => {
    assert.throws(() => expandCases(realSpec(), { profile: 'smoke', seed: 0, products: ['atlas-x'] }),
      /unknown product 'atlas-x'; valid products: atlas-inference, atlas-a2, atlas-a3/);
  });
});

describe('expand: filters and shards', () => {
  it('partitions the list into deterministic shards', () => {
    const all = realCases('smoke');
    const shards = [1, 2, 3].map((i) => filterCases(all, { shard: `${i}/3` }));
    assert.equal(shards.reduce((n, s) => n + s.length, 0), all.length);
    assert.equal(new Set(shards.flat().map((c) => c.id)).size, all.length);
    assert.deepEqual(filterCases(all, { shard: '2/3' }).map((c) => c.id), shards[1]!.map((c) => c.id));
  });

  it('filters by grep and tag, and rejects bad arguments', () => {
    const all = realCases('smoke');
    assert.ok(filterCases(all, { grep: '^linear-a8w8-quant/atlas-a2/' }).every((c) => c.product === 'atlas-a2'));
    assert.ok(filterCases(all, { tags: ['nz'] }).every((c) => c.call.weightFormat === 'NZ'));
    assert.throws(() => filterCases(all, { shard: '4/3' }), /--shard expects i\/N/);
    assert.throws(() => filterCases(all, { grep: '(' }), /not a regular expression/);
    assert.throws(() => filterCases(all, { ids: ['nope'] }), /unknown case id/);
  });
});
