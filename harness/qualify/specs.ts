import { UnknownNameError } from '../errors';
import { chooseSpec } from '../spec/load';
import type { Spec } from '../spec/types';

/**
 * The specs a qualification covers: every spec loaded that defines the product (a bundle holds each of
 * them, with its required cases and its own verdict), or the one `--spec-id` names. A spec that does
 * not define the product has no full profile for it, so it cannot be part of the product's bundle.
 */
export function qualifiedSpecs(loaded: readonly Spec[], product: string, specId?: string): { specs: Spec[]; without: Spec[] } {
  const candidates = specId !== undefined ? [chooseSpec(loaded, specId)] : [...loaded];
  const defines = (s: Spec): boolean => s.products.some((p) => p.id === product);
  const specs = candidates.filter(defines);
  if (specs.length === 0) {
    throw new UnknownNameError('product', product, [...new Set(candidates.flatMap((s) => s.products.map((p) => p.id)))]);
  }
  return { specs, without: candidates.filter((s) => !defines(s)) };
}
