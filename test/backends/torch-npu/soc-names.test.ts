import { strict as assert } from 'node:assert';
import { productForSoc, SOC_FAMILIES, UnknownSocError } from '../../../harness/backends/torch-npu/soc-names';

describe('torch-npu: SoC names to products (D8)', () => {
  const table: [string, string][] = [
    ['Ascend310P1', 'atlas-inference'], ['Ascend310P3', 'atlas-inference'], ['Ascend310P7', 'atlas-inference'],
    ['Ascend910B1', 'atlas-a2'], ['Ascend910B2C', 'atlas-a2'], ['Ascend910B4-1', 'atlas-a2'],
    ['Ascend910_9391', 'atlas-a3'], ['Ascend910_9363', 'atlas-a3'],
  ];
  for (const [soc, product] of table) {
    it(`${soc} -> ${product}`, () => assert.equal(productForSoc(soc), product));
  }

  it('covers exactly the names of notes §6.2 (6 + 6 + 7)', () => {
    assert.deepEqual(SOC_FAMILIES.map((f) => f.names.length), [6, 6, 7]);
  });

  it('refuses the bare legacy Ascend910B and lists the known families', () => {
    assert.throws(() => productForSoc('Ascend910B'), (err: unknown) => {
      assert.ok(err instanceof UnknownSocError);
      assert.match(err.message, /legacy Ascend 910/);
      for (const p of ['atlas-inference', 'atlas-a2', 'atlas-a3', 'Ascend910B2', 'Ascend910_9391']) {
        assert.ok(err.message.includes(p), p);
      }
      return true;
    });
  });

  it('refuses unknown names and near misses instead of matching a prefix', () => {
    for (const soc of ['Ascend910A', 'Ascend910B2X', 'Ascend310P6', 'Ascend310B1', 'Ascend950PR', '']) {
      assert.throws(() => productForSoc(soc), UnknownSocError, soc);
    }
  });
});
