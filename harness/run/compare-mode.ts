import type { CompareMode } from '../compare/types';
import type { PathId } from '../reference/types';
import type { Spec } from '../spec/types';

/** The comparison mode for a product and path: the spec's first matching override, else its default. */
export function compareModeFor(spec: Spec, product: string, path: PathId | null): CompareMode {
  const o = spec.comparison.overrides.find((x) =>
    (x.products.length === 0 || x.products.includes(product)) && (x.paths.length === 0 || (path !== null && x.paths.includes(path))));
  return o?.mode ?? spec.comparison.default;
}
