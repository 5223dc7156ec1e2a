import { backendFactory, detectBackend } from '../backends';
import type { Backend, OpenOptions, SpecProductSocs } from '../backends/types';
import { checkDeviceInfo } from '../backends/validate';
import { ErrorCode, HarnessError, UnknownNameError } from '../errors';
import { getReferenceImpl } from '../reference';
import type { ReferenceImpl } from '../reference/impl';
import type { Spec, Product } from '../spec/types';
import type { Slot } from './runner';
import { withDeadline } from './timeout';

/** Without an NPU, `--product auto` means the widest table. */
export const AUTO_PRODUCT_FALLBACK = 'atlas-a2';

/**
 * How much longer than the per-case --timeout a backend's open() or close() may take before the harness
 * gives up on it: torch-npu's open starts a Python worker (its own start-up limit is 120 s, after the
 * interpreter probes). A plugin is held to the per-case timeout itself by its host, which kills it.
 */
export const OPEN_CLOSE_ALLOWANCE_MS = 150_000;

/** What a backend needs of the spec's products to recognise its device by SoC name. */
export function productSocs(spec: Spec | readonly Spec[]): SpecProductSocs[] {
  const specs: readonly Spec[] = Array.isArray(spec) ? spec : [spec as Spec];
  // several specs name the same products: one entry per product, with every SoC name any spec gives it
  const byId = new Map<string, SpecProductSocs>();
  for (const p of specs.flatMap((s) => s.products)) {
    const seen = byId.get(p.id);
    if (seen) seen.socNames = [...new Set([...seen.socNames, ...p.socNames])];
    else byId.set(p.id, { id: p.id, title: p.title, socNames: [...p.socNames] });
  }
  return [...byId.values()];
}

/**
 * Opens one backend per device, each open() within the per-case timeout plus OPEN_CLOSE_ALLOWANCE_MS,
 * and checks the DeviceInfo it returns. A failure closes what was opened and says which device failed.
 */
export async function openSlots(name: string, devices: number[], open: Omit<OpenOptions, 'device'>): Promise<Slot[]> {
  const make = backendFactory(name);
  const limitMs = (open.timeoutMs ?? 0) + OPEN_CLOSE_ALLOWANCE_MS;
  const slots: Slot[] = [];
  try {
    for (const device of devices) {
      const backend = make();
      const opening = Promise.resolve().then(() => backend.open({ ...open, device }));
      const info = checkDeviceInfo(await withDeadline(opening, limitMs, 'open()').catch(async (e: unknown) => {
        await closeQuietly(backend);
        throw e;
      }));
      if (info instanceof Error) {
        await closeQuietly(backend);
        throw info;
      }
      slots.push({ backend, info, closeLimitMs: limitMs });
    }
  } catch (e) {
    await closeSlots(slots).catch(() => undefined); // the open failure is what the user must see
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `backend ${name}: cannot open device ${devices[slots.length] ?? '?'}: ${(e as Error).message}`);
  }
  return slots;
}

async function closeQuietly(backend: Backend): Promise<void> {
  await withDeadline(Promise.resolve().then(() => backend.close()), OPEN_CLOSE_ALLOWANCE_MS, 'close()').catch(() => undefined);
}

/**
 * Closes every slot (each within its limit). A close that fails or never finishes is an error after
 * all are tried: the device may not have been released, so the command must not exit 0.
 */
export async function closeSlots(slots: Slot[]): Promise<void> {
  const results = await Promise.allSettled(slots.map((s) => {
    const closing = Promise.resolve().then(() => s.backend.close());
    return s.closeLimitMs === undefined ? closing : withDeadline(closing, s.closeLimitMs, 'close()');
  }));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${slots[i]!.info.device}: ${(r.reason as Error)?.message ?? String(r.reason)}`] : []));
  if (failed.length > 0) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `backend ${slots[0]!.info.backend}: closing failed on ${failed.join('; ')}`);
  }
}

/** The product to run: named, or what the device says, or, without an NPU, AUTO_PRODUCT_FALLBACK; every device must agree. */
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

/** The product a run of several specs runs, each spec's own definition of it, and the specs without it. */
export interface RunProducts {
  id: string;
  why: string;
  /** the specs that define the product, in the order given, with their definition of it */
  specs: { spec: Spec; product: Product }[];
  /** specs that do not define the product: they add no case to the run */
  without: Spec[];
}

/**
 * resolveProduct over several specs: the product is chosen once (named, or what the devices report, or
 * the fallback); a spec that does not define it sits the run out, and when no spec does it is an error.
 */
export function resolveRunProducts(specs: readonly Spec[], requested: string, slots: Slot[]): RunProducts {
  let first: { product: Product; why: string } | null = null;
  let failure: unknown = null;
  const found: RunProducts['specs'] = [];
  const without: Spec[] = [];
  for (const spec of specs) {
    try {
      const r = resolveProduct(spec, requested, slots);
      first ??= r;
      found.push({ spec, product: r.product });
    } catch (e) {
      if (!(e instanceof UnknownNameError)) throw e;
      failure ??= e;
      without.push(spec);
    }
  }
  if (!first) {
    const known = [...new Set(specs.flatMap((s) => s.products.map((p) => p.id)))];
    const wanted = requested === 'auto' ? (failure as Error | null)?.message.match(/'([^']+)'/)?.[1] ?? requested : requested;
    throw new UnknownNameError('product', wanted, known);
  }
  return { id: first.product.id, why: first.why, specs: found, without };
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
