import type { DeviceInfo } from '../backends/types';
import type { Product } from '../spec/types';
import type { Fp16Overflow, ReferenceOptions } from '../reference/types';

/** Settings that pin an unsettled behaviour for a product (`--pin fp16Overflow=inf`). */
export interface Pins {
  fp16Overflow?: Fp16Overflow;
}

/**
 * Whether the module truncates an fp32 scale on bf16 output (docs/semantics.md §2.2): release 6.0.rc1/rc2 did, HEAD does not.
 * torch_npu's `__version__` (e.g. `2.1.0.post3`) does not name the release, and no table from package
 * versions to releases is at hand, so only a version string that names the release decides; any other
 * real torch_npu admits both behaviours. Backends that are not torch_npu follow HEAD.
 */
export function bf16ScaleTruncationFor(device: DeviceInfo): boolean | 'either' {
  if (device.backend !== 'torch-npu') return false;
  const versions = Object.values(device.versions).join(' ');
  if (/(^|[^0-9])6\.0\.rc[12]([^0-9]|$)/i.test(versions)) return true;
  if (device.simulated) return false; // the stand-in implements HEAD
  return 'either';
}

/**
 * The reference's admissible behaviours for a run: the product's facts (docs/semantics.md §2.9 fp16 overflow), the torch_npu
 * version (docs/semantics.md §2.2), and pins that override the facts.
 */
export function referenceOptionsFor(product: Product, device: DeviceInfo, pins: Pins): ReferenceOptions {
  return {
    fp16Overflow: pins.fp16Overflow ?? product.fp16Overflow?.value ?? 'either',
    bf16ScaleTruncation: bf16ScaleTruncationFor(device),
  };
}
