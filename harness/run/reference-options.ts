import type { DeviceInfo } from '../backends/types';
import type { Product } from '../spec/types';
import type { Fp16Overflow, ReferenceOptions } from '../reference/types';

/** Settings that pin an unsettled behaviour for a product (`--pin fp16Overflow=inf`). */
export interface Pins {
  fp16Overflow?: Fp16Overflow;
}

/**
 * The reference's admissible behaviours for a run: the product's facts (E4 fp16 overflow), the torch_npu
 * version (E6: 6.0.rc1/rc2 truncated an fp32 scale for bf16 output too), and pins that override both.
 */
export function referenceOptionsFor(product: Product, device: DeviceInfo, pins: Pins): ReferenceOptions {
  const version = device.versions.torch_npu;
  const old = version !== undefined && /(^|[^0-9])6\.0\.rc[12]/.test(version);
  const unknown = device.backend === 'torch-npu' && (version === undefined || version === 'unknown');
  return {
    fp16Overflow: pins.fp16Overflow ?? product.fp16Overflow?.value ?? 'either',
    bf16ScaleTruncation: old ? true : unknown ? 'either' : false,
  };
}
