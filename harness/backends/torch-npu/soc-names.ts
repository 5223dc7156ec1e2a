import type { ProductId } from '../../expand/case';
import { loadSpec } from '../../spec/load';
import type { SpecProductSocs } from '../types';

/**
 * SoC names `torch_npu.npu.get_device_name()` returns (the runtime's SoC name verbatim) mapped to
 * products. The names live in the spec only (`products.*.socNames`, docs/semantics.md §6); the backend
 * maps through the products it is given, or those of the default spec. Exact names only: upstream's
 * `get_device_name()[:10]` family test would take the legacy `Ascend910B` for an A2 part.
 */
export interface SocFamily {
  product: ProductId;
  label: string;
  names: readonly string[];
}

/** The SoC families of a spec's products, in the spec's order. */
export function socFamilies(products: readonly SpecProductSocs[]): SocFamily[] {
  return products.map((p) => ({ product: p.id, label: p.title, names: [...p.socNames] }));
}

let defaults: SocFamily[] | null = null;

/** The families of the default spec (loaded once), for callers that hold no spec. */
export function defaultSocFamilies(): readonly SocFamily[] {
  defaults ??= socFamilies(loadSpec().products);
  return defaults;
}

/** A SoC name that maps to no product this harness knows; the message lists the known families. */
export class UnknownSocError extends Error {
  override readonly name = 'UnknownSocError';
  constructor(readonly socName: string, families: readonly SocFamily[] = defaultSocFamilies()) {
    super(unknownSocMessage(socName, families));
  }
}

function unknownSocMessage(socName: string, families: readonly SocFamily[]): string {
  const why = socName === 'Ascend910B'
    ? `'Ascend910B' is the legacy Ascend 910 (not an Atlas A2 part, whose names carry a suffix such as Ascend910B2)`
    : `SoC '${socName}' is not a known Atlas product`;
  const list = families.map((f) => `  ${f.product}: ${f.label}: ${f.names.join(', ')}`).join('\n');
  return `${why}; the spec covers these SoCs only:\n${list}\n` +
    'Pass --product to run anyway on a product of your choice.';
}

/** The product of an exact SoC name; throws UnknownSocError for anything else (bare `Ascend910B` too). */
export function productForSoc(socName: string, families: readonly SocFamily[] = defaultSocFamilies()): ProductId {
  for (const family of families) {
    if (family.names.includes(socName)) return family.product;
  }
  throw new UnknownSocError(socName, families);
}
