/**
 * The implementations a reference test runs against: the twin and the native addon. A native load
 * failure (addon not built) fails the native suites loudly: the addon is part of every build.
 */
import type { ReferenceImpl } from '../../harness/reference/impl';
import { getReferenceImpl, type ReferenceImplName } from '../../harness/reference/index';

/** A describe per implementation; `impl()` resolves the implementation lazily inside the tests. */
export function describeEachImpl(title: string, body: (impl: () => ReferenceImpl, name: ReferenceImplName) => void): void {
  describe(`${title} [twin]`, () => body(() => getReferenceImpl('twin'), 'twin'));
  describeNative(title, (impl) => body(impl, 'native'));
}

/** A describe for the native implementation only. */
export function describeNative(title: string, body: (impl: () => ReferenceImpl) => void): void {
  describe(`${title} [native]`, () => body(() => getReferenceImpl('native')));
}
