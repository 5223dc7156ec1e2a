import { backendFactory, detectBackend } from '../backends';
import type { OpenOptions } from '../backends/types';
import { ErrorCode, HarnessError, UnknownNameError } from '../errors';
import { getReferenceImpl } from '../reference';
import type { ReferenceImpl } from '../reference/impl';
import type { Spec, Product } from '../spec/types';
import type { Slot } from './runner';

/** D13: without an NPU, `--product auto` means the widest table. */
export const AUTO_PRODUCT_FALLBACK = 'atlas-a2';

/** Opens one backend per device. A failure closes what was opened and says which device failed. */
export async function openSlots(name: string, devices: number[], open: Omit<OpenOptions, 'device'>): Promise<Slot[]> {
  const make = backendFactory(name);
  const slots: Slot[] = [];
  try {
    for (const device of devices) {
      const backend = make();
      slots.push({ backend, info: await backend.open({ ...open, device }) });
    }
  } catch (e) {
    await closeSlots(slots);
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `backend ${name}: cannot open device ${devices[slots.length] ?? '?'}: ${(e as Error).message}`);
  }
  return slots;
}

export async function closeSlots(slots: Slot[]): Promise<void> {
  await Promise.allSettled(slots.map((s) => s.backend.close()));
}

/** The product to run: named, or what the device says, or the D13 fallback; every device must agree. */
export function resolveProduct(spec: Spec, requested: string, slots: Slot[]): { product: Product; why: string } {
  const known = spec.products.map((p) => p.id);
  let id: string;
  let why: string;
  if (requested !== 'auto') {
    id = requested;
    why = '--product';
  } else {
    const reported = [...new Set(slots.map((s) => s.info.product).filter((p): p is string => p !== null))];
    if (reported.length > 1) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `devices report different products: ${reported.join(', ')}; pass --product`);
    id = reported[0] ?? AUTO_PRODUCT_FALLBACK;
    why = reported[0] ? `reported by the device (${slots[0]!.info.socName})` : `no product reported by ${slots[0]?.info.backend}: ${AUTO_PRODUCT_FALLBACK} (no NPU: the default product)`;
  }
  const product = spec.products.find((p) => p.id === id);
  if (!product) throw new UnknownNameError('product', id, known);
  return { product, why };
}

/** The native reference where it loads, else the twin, with the reason. */
export function chooseReference(requested: 'native' | 'twin' | undefined): { impl: ReferenceImpl; engine: string | null; why: string } {
  if (requested === 'twin') return { impl: getReferenceImpl('twin'), engine: null, why: '--reference twin' };
  try {
    const impl = getReferenceImpl('native');
    const info = (impl as unknown as { engineInfo?: () => { engine: string; isa: string; reason: string } }).engineInfo?.();
    return { impl, engine: info ? `${info.engine}/${info.isa}` : null, why: info?.reason ?? 'native addon' };
  } catch (e) {
    if (requested === 'native') throw e;
    return { impl: getReferenceImpl('twin'), engine: null, why: `native addon unavailable (${(e as Error).message.split('\n')[0]}); using the twin` };
  }
}

export { detectBackend };
