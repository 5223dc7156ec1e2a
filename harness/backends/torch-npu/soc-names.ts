import type { ProductId } from '../../expand/case';

/**
 * SoC names `torch_npu.npu.get_device_name()` returns (aclrtGetSocName verbatim) mapped to products
 * (decisions D8, notes §6.2, from torch_npu's socVersionMap). Exact names only: upstream's
 * `get_device_name()[:10]` family test would take the legacy `Ascend910B` for an A2 part.
 */
export interface SocFamily {
  product: ProductId;
  label: string;
  names: readonly string[];
}

export const SOC_FAMILIES: readonly SocFamily[] = [
  {
    product: 'atlas-inference',
    label: 'Atlas inference series (310P)',
    names: ['Ascend310P1', 'Ascend310P2', 'Ascend310P3', 'Ascend310P4', 'Ascend310P5', 'Ascend310P7'],
  },
  {
    product: 'atlas-a2',
    label: 'Atlas A2 training series / Atlas 800I A2 (910B)',
    names: ['Ascend910B1', 'Ascend910B2', 'Ascend910B2C', 'Ascend910B3', 'Ascend910B4', 'Ascend910B4-1'],
  },
  {
    product: 'atlas-a3',
    label: 'Atlas A3 training series (910_93)',
    names: ['Ascend910_9391', 'Ascend910_9392', 'Ascend910_9381', 'Ascend910_9382', 'Ascend910_9372',
      'Ascend910_9362', 'Ascend910_9363'],
  },
];

/** A SoC name that maps to no product this harness knows; the message lists the known families. */
export class UnknownSocError extends Error {
  override readonly name = 'UnknownSocError';
  constructor(readonly socName: string) {
    super(unknownSocMessage(socName));
  }
}

function unknownSocMessage(socName: string): string {
  const why = socName === 'Ascend910B'
    ? `'Ascend910B' is the legacy Ascend 910 (not an Atlas A2 part, whose names carry a suffix such as Ascend910B2)`
    : `SoC '${socName}' is not a known Atlas product`;
  const families = SOC_FAMILIES.map((f) => `  ${f.product}: ${f.label}: ${f.names.join(', ')}`).join('\n');
  return `${why}; LinearA8W8Quant is documented for these SoCs only:\n${families}\n` +
    'Pass --product to run anyway on a product of your choice.';
}

/** The product of an exact SoC name; throws UnknownSocError for anything else (bare `Ascend910B` too). */
export function productForSoc(socName: string): ProductId {
  for (const family of SOC_FAMILIES) {
    if (family.names.includes(socName)) return family.product;
  }
  throw new UnknownSocError(socName);
}
