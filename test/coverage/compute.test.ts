import assert from 'node:assert/strict';
import { computeCoverage, DEFECT_CLASSES } from '../../harness/coverage/compute';
import { PROFILES } from '../../harness/expand/profiles';
import { realCases, realSpec } from '../helpers/spec';

describe('coverage: contract coverage', () => {
  for (const profile of PROFILES) {
    it(`has no gap on any product in the ${profile} profile`, () => {
      for (const p of realSpec().products) {
        const cov = computeCoverage(realSpec(), p, realCases(profile));
        assert.deepEqual(cov.gaps, [], p.id);
        for (const t of DEFECT_CLASSES) assert.ok(cov.classes[t]! > 0, `${p.id} ${t}`);
      }
    });
  }

  it('reports rows exercised from one side when the rejected cases are missing', () => {
    const p = realSpec().products.find((x) => x.id === 'atlas-a2')!;
    const cov = computeCoverage(realSpec(), p, realCases('smoke').filter((c) => c.expect === 'accept'));
    assert.ok(cov.gaps.some((g) => g.startsWith('table2#3: only accepted cases')), cov.gaps.join('\n'));
    assert.ok(cov.gaps.some((g) => g.startsWith('rule rank: only accepted cases')));
  });

  it('reports a defect class with no case', () => {
    const p = realSpec().products[0]!;
    const cov = computeCoverage(realSpec(), p, realCases('smoke').filter((c) => !c.tags.includes('nz')));
    assert.ok(cov.gaps.includes('defect class nz: no case'));
  });

  it('says "no near miss exists" for cells whose every near miss another row allows', () => {
    const p = realSpec().products.find((x) => x.id === 'atlas-a2')!;
    const cov = computeCoverage(realSpec(), p, realCases('full'));
    const row2 = cov.rows.find((r) => r.row === 'table2#2')!;
    assert.equal(row2.cells.find((c) => c.column === 'offset' && c.alternative === 'float32')!.na?.reason, 'no near miss exists');
  });

  it('marks the pertoken rule not applicable on the Atlas inference series', () => {
    const p = realSpec().products.find((x) => x.id === 'atlas-inference')!;
    const rule = computeCoverage(realSpec(), p, realCases('full')).rules.find((r) => r.rule === 'pertoken-shape')!;
    assert.equal(rule.na?.side, 'both');
  });
});
