import { strict as assert } from 'node:assert';
import { hashSeed } from '../../harness/data/random';
import type { Case } from '../../harness/expand/case';
import { comboKey } from '../../harness/expand/combos';
import { allowedCombos } from '../../harness/expand/dtype-cases';
import { applyMoves, candidateMoves, parseShrunkId, sameContract, shrunkId, type Moves } from '../../harness/forensics/moves';
import { brokenRules } from '../../harness/spec/shape-check';
import { realCases, realSpec } from '../helpers/spec';

describe('forensics: shrinking moves', () => {
  const spec = realSpec();
  const smoke = realCases('smoke', 7);
  const byId = (re: RegExp): Case => smoke.find((c) => re.test(c.id))!;

  it('a variant id spells its moves in a fixed order and parses back to them', () => {
    const moves: Moves = { k: 1, m: 17, drop: ['offset', 'bias'], t1: true, x1Batch: [], weightBatch: [2, 3], distribution: 'full-range' };
    const id = shrunkId('atlas-a2/x/y', moves);
    assert.equal(id, 'atlas-a2/x/y~shrunk:m=17,k=1,xb=,wb=2.3,t=1,dist=full-range,drop=bias+offset');
    const back = parseShrunkId(id);
    assert.equal(back.originalId, 'atlas-a2/x/y');
    assert.equal(shrunkId(back.originalId, back.moves), id);
    assert.deepEqual(parseShrunkId('plain/id'), { originalId: 'plain/id', moves: {} });
    assert.throws(() => parseShrunkId('a~shrunk:m=0'), /cannot read the move 'm=0'/);
    assert.throws(() => parseShrunkId('a~shrunk:drop=scale'), /cannot read the move/);
  });

  it('no expanded case id contains the variant marker (ids stay unambiguous)', () => {
    assert.ok(smoke.every((c) => !c.id.includes('~shrunk:')));
  });

  it('a variant follows its moves: shapes, call, flags, and its seed from (run seed, variant id)', () => {
    const c = byId(/b-i32_p-f32_y-bf16\/.*\//);
    const v = applyMoves(spec, c, { m: 3, k: 5, n: 2, drop: ['bias'], x1Batch: [], weightBatch: [] }, 7);
    assert.deepEqual(v.shapes.x1, [3, 5]);
    assert.deepEqual(v.shapes.weight, [2, 5]);
    assert.deepEqual(v.shapes.pertoken_scale, [3]);
    assert.equal(v.shapes.bias, null);
    assert.equal(v.dtypes.bias, null);
    assert.deepEqual([v.call.in_features, v.call.out_features, v.call.bias], [5, 2, false]);
    assert.equal(v.seed, hashSeed(7, v.id));
    assert.ok(v.id.startsWith(`${c.id}~shrunk:`));
    assert.equal(applyMoves(spec, c, {}, 7), c);
  });

  it('every candidate the contract check lets through is accepted by the contract, like its accepted original', () => {
    let checked = 0;
    for (const c of smoke.filter((x) => x.expect === 'accept' && x.product === 'atlas-a2').slice(0, 40)) {
      const product = spec.products.find((p) => p.id === c.product)!;
      const allowed = new Set(allowedCombos(spec, product).map((a) => a.key));
      for (const moves of candidateMoves(c, {})) {
        const v = applyMoves(spec, c, moves, 0);
        if (!sameContract(spec, c, v)) continue;
        checked++;
        assert.deepEqual(brokenRules(spec, { dtypes: v.dtypes, shapes: v.shapes }), [], v.id);
        assert.ok(allowed.has(comboKey(v.dtypes)), v.id);
        assert.equal(v.divergence?.id ?? null, c.divergence?.id ?? null);
      }
    }
    assert.ok(checked > 100, `${checked} candidates checked`);
  });

  it('a drop that brings in another divergence is refused (fp16 output, float bias, no pertoken)', () => {
    const c = smoke.find((x) => x.product === 'atlas-a2' && x.dtypes.output_dtype === 'float16' && x.dtypes.bias === 'float16' && x.dtypes.pertoken_scale !== null)!;
    const v = applyMoves(spec, c, { drop: ['pertoken_scale'] }, 0);
    assert.equal(v.divergence?.id, 'fp16-float-bias-needs-pertoken');
    assert.equal(sameContract(spec, c, v), false);
  });

  it('dims shrink smallest first: 1, the halves, one less', () => {
    const c = byId(/tile-tail-33x257x129/) ?? realCases('full').find((x) => x.id.includes('tile-tail-33x257x129'))!;
    const ms = candidateMoves(c, {}).filter((m) => m.m !== undefined).map((m) => m.m);
    assert.deepEqual(ms, [1, 16, 17, 32]);
  });
});
