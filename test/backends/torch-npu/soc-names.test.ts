import { strict as assert } from 'node:assert';
import { defaultSocFamilies, productForSoc, socFamilies, UnknownSocError } from '../../../harness/backends/torch-npu/soc-names';
import { loadSpec } from '../../../harness/spec/load';

describe('torch-npu: SoC names to products, from the spec', () => {
  const table: [string, string][] = [
    ['Ascend310P1', 'atlas-inference'], ['Ascend310P3', 'atlas-inference'], ['Ascend310P7', 'atlas-inference'],
    ['Ascend910B1', 'atlas-a2'], ['Ascend910B2C', 'atlas-a2'], ['Ascend910B4-1', 'atlas-a2'],
    ['Ascend910_9391', 'atlas-a3'], ['Ascend910_9363', 'atlas-a3'],
  ];
  for (const [soc, product] of table) {
    it(`${soc} -> ${product}`, () => assert.equal(productForSoc(soc), product));
  }

  it('takes its names from the spec only: socNames of every product (6 + 6 + 7, docs/semantics.md §6)', () => {
    const spec = loadSpec();
    assert.deepEqual(defaultSocFamilies().map((f) => [f.product, f.names]), spec.products.map((p) => [p.id, p.socNames]));
    assert.deepEqual(defaultSocFamilies().map((f) => f.names.length), [6, 6, 7]);
  });

  it('maps through the products it is given, and lists those when a name is unknown', () => {
    const families = socFamilies([{ id: 'made-up', title: 'A made-up product', socNames: ['Ascend999X'] }]);
    assert.equal(productForSoc('Ascend999X', families), 'made-up');
    assert.throws(() => productForSoc('Ascend910B2', families),
      (err: unknown) => err instanceof UnknownSocError && /made-up: A made-up product: Ascend999X/.test(err.message));
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
