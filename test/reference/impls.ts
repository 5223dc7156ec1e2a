/**
 * The implementations a reference test runs against: always the twin; the native addon once its binding
 * module exists. While harness/reference/native.ts is not written, native suites skip and say why in
 * their title; once it exists, a load failure (addon not built) fails them loudly instead of skipping.
 */
import type { ReferenceImpl } from '../../harness/reference/impl';
import { getReferenceImpl, nativeModuleStatus, type ReferenceImplName } from '../../harness/reference/index';

/** A describe per implementation; `impl()` resolves the implementation lazily inside the tests. */
export function describeEachImpl(title: string, body: (impl: () => ReferenceImpl, name: ReferenceImplName) => void): void {
  describe(`${title} [twin]`, () => body(() => getReferenceImpl('twin'), 'twin'));
  describeNative(title, (impl) => body(impl, 'native'));
}

/** A describe for the native implementation only, skipped with its reason while the module is absent. */
export function describeNative(title: string, body: (impl: () => ReferenceImpl) => void): void {
  const status = nativeModuleStatus();
  const suffix = status.status === 'absent' ? ` [native: skipped, ${status.reason}]` : ' [native]';
  describe(`${title}${suffix}`, function () {
    if (status.status === 'absent') {
      before(function () { this.skip(); });
    }
    body(() => getReferenceImpl('native'));
  });
}
