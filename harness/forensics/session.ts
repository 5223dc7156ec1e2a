/**
 * What `repro` and `shrink` set up before their work: the spec, the case located by id, its product,
 * the reference and its options, the comparison mode, and (when a backend is named) one opened slot
 * with the context runCase needs.
 */
import type { CompareMode } from '../compare/types';
import { ErrorCode, HarnessError } from '../errors';
import type { Expectation } from '../judge/expectations';
import type { ReferenceImpl } from '../reference/impl';
import type { ReferenceOptions } from '../reference/types';
import { compareModeFor } from '../run/compare-mode';
import { referenceOptionsFor } from '../run/reference-options';
import type { CaseRunContext, Slot } from '../run/runner';
import { chooseReference, closeSlots, openSlots, productSocs } from '../run/setup';
import type { Product, Spec } from '../spec/types';
import { specOfCaseId } from '../expand/spec-of-case';
import { locateCase, type CaseOrigin, type LocatedCase } from './locate';
import { referenceOptionsWithoutDevice } from './reproduce';

export interface SessionOptions {
  /** the specs loaded; the case's id names the one it comes from */
  specs: readonly Spec[];
  caseId: string;
  origin: CaseOrigin;
  backend?: string;
  device?: number;
  timeoutMs: number;
  backendOptions?: Record<string, string>;
  reference?: 'native' | 'twin';
  expectations: Expectation[];
  /** builds the replay command recorded with each result */
  replay: (caseId: string) => string;
}

export interface Session {
  spec: Spec;
  located: LocatedCase;
  product: Product;
  reference: ReferenceImpl;
  referenceOptions: ReferenceOptions;
  compare: CompareMode;
  run: { slot: Slot; context: CaseRunContext } | null;
  close(): Promise<void>;
}

export async function openSession(o: SessionOptions): Promise<Session> {
  const spec = specOfCaseId(o.specs, o.caseId);
  const located = locateCase(spec, o.caseId, o.origin);
  const c = located.case;
  const product = spec.products.find((p) => p.id === c.product);
  if (!product) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `case ${c.id}: product '${c.product}' is not in the spec`);
  const reference = chooseReference(o.reference).impl;
  const compare = compareModeFor(spec, product.id, c.path);
  if (!o.backend) {
    const device = located.env?.devices[0];
    const referenceOptions = device ? referenceOptionsFor(product, device, {}) : referenceOptionsWithoutDevice(product);
    return { spec, located, product, reference, referenceOptions, compare, run: null, close: async () => {} };
  }
  const slots = await openSlots(o.backend, [o.device ?? 0], {
    timeoutMs: o.timeoutMs, options: { ...(o.backendOptions ?? {}), product: product.id }, products: productSocs(spec),
  });
  const slot = slots[0]!;
  const referenceOptions = referenceOptionsFor(product, slot.info, {});
  const context: CaseRunContext = {
    specs: [spec], timeoutMs: o.timeoutMs, retries: 0, reference, referenceOptionsOf: () => referenceOptions, expectations: o.expectations,
    replay: (x) => o.replay(x.id),
  };
  return {
    spec, located, product, reference, referenceOptions, compare, run: { slot, context },
    close: () => closeSlots(slots),
  };
}
