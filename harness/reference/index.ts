/**
 * Registry of reference implementations by name. `twin` is the TypeScript twin; `native` is the C++
 * addon, loaded on first use so that code which only needs the twin never touches the addon (and a
 * missing build fails where it is asked for, with its own error).
 */
import type { ReferenceImpl } from './impl';
import { twinImpl } from './twin';

/** The names getReferenceImpl accepts. */
export const REFERENCE_IMPL_NAMES = ['native', 'twin'] as const;
export type ReferenceImplName = (typeof REFERENCE_IMPL_NAMES)[number];

/** The implementation of that name. An unknown name is an error listing the known ones. */
export function getReferenceImpl(name: ReferenceImplName): ReferenceImpl {
  switch (name) {
    case 'twin': return twinImpl;
    // required here, not imported at the top: loading the addon is the expensive, fallible part
    case 'native': return (require('./native') as typeof import('./native')).loadNativeReference();
    default:
      throw new RangeError(`reference: unknown implementation '${String(name)}'; known: ${REFERENCE_IMPL_NAMES.join(', ')}`);
  }
}
