import assert from 'node:assert/strict';
import { REFERENCE_IMPL_NAMES, getReferenceImpl } from '../../harness/reference/index';
import { twinImpl } from '../../harness/reference/twin';

describe('reference/index', () => {
  it('returns the twin by name', () => {
    assert.equal(getReferenceImpl('twin'), twinImpl);
    assert.equal(twinImpl.name, 'twin');
  });

  it('rejects an unknown name and lists the known ones', () => {
    assert.throws(() => getReferenceImpl('fast' as 'twin'), /unknown implementation 'fast'; known: native, twin/);
    assert.deepEqual([...REFERENCE_IMPL_NAMES], ['native', 'twin']);
  });

  it('loads the native addon by name, once', () => {
    const native = getReferenceImpl('native');
    assert.equal(native.name, 'native');
    assert.equal(getReferenceImpl('native'), native);
  });
});
