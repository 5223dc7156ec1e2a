/**
 * Registry of reference implementations by name. `twin` is the TypeScript twin, always present; `native`
 * is the C++ addon's binding in ./native, loaded on first use so that code which only needs the twin
 * never touches the addon (and a missing build fails where it is asked for, with its own error).
 */
import type { ReferenceImpl } from './impl';
import { twinImpl } from './twin';

/** The names getReferenceImpl accepts. */
export const REFERENCE_IMPL_NAMES = ['native', 'twin'] as const;
export type ReferenceImplName = (typeof REFERENCE_IMPL_NAMES)[number];

/** Whether the native binding module exists (it is written separately from the twin). */
export type NativeModuleStatus = { status: 'present' } | { status: 'absent'; reason: string };

let nativeCache: ReferenceImpl | null = null;

/** Is `value` a ReferenceImpl named 'native'? */
function isNativeImpl(value: unknown): value is ReferenceImpl {
  const v = value as Partial<ReferenceImpl> | null;
  return typeof v === 'object' && v !== null && v.name === 'native' && typeof v.gemm === 'function'
    && typeof v.epilogue === 'function';
}

/**
 * The ReferenceImpl ./native exports: an exported object that is one, or else the result of its exported
 * zero-argument loader (a function whose name starts with load, get or create).
 */
function findNativeImpl(exports: Record<string, unknown>): ReferenceImpl {
  for (const value of Object.values(exports)) if (isNativeImpl(value)) return value;
  for (const [key, value] of Object.entries(exports)) {
    if (typeof value === 'function' && /^(load|get|create)/.test(key) && value.length === 0) {
      const made: unknown = value();
      if (isNativeImpl(made)) return made;
    }
  }
  throw new TypeError(`reference: ./native exports no ReferenceImpl named 'native' (exports: ${Object.keys(exports).join(', ')})`);
}

/** Loads ./native once; its own errors (addon not built, wrong ABI) propagate unchanged. */
function loadNative(): ReferenceImpl {
  if (nativeCache === null) nativeCache = findNativeImpl(require('./native') as Record<string, unknown>);
  return nativeCache;
}

/** Whether ./native exists at all, without loading it (a missing module is different from a broken build). */
export function nativeModuleStatus(): NativeModuleStatus {
  try {
    require.resolve('./native');
    return { status: 'present' };
  } catch {
    return { status: 'absent', reason: 'harness/reference/native.ts is not written yet (the native binding of issue 3)' };
  }
}

/** The implementation of that name. An unknown name is an error listing the known ones. */
export function getReferenceImpl(name: ReferenceImplName): ReferenceImpl {
  switch (name) {
    case 'twin': return twinImpl;
    case 'native': return loadNative();
    default:
      throw new RangeError(`reference: unknown implementation '${String(name)}'; known: ${REFERENCE_IMPL_NAMES.join(', ')}`);
  }
}
