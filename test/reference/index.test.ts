import assert from 'node:assert/strict';
import { REFERENCE_IMPL_NAMES, getReferenceImpl, nativeModuleStatus } from '../../harness/reference/index';
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

  it('loads native only when its module exists, and then it is named native', function () {
    const status = nativeModuleStatus();
    if (status.status === 'absent') {
      assert.match(status.reason, /native\.ts/);
      assert.throws(() => getReferenceImpl('native'), /Cannot find module/);
      return;
    }
    assert.equal(getReferenceImpl('native').name, 'native');
  });
});
