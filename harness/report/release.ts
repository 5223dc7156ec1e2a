import { ErrorCode, HarnessError } from '../errors';
import { runSpecs, type RunEnvironment } from '../run/environment';
import { specProductGroups } from './groups';
import type { ResultRecord } from '../run/record';
import type { Spec } from '../spec/types';
import { isUnexpected } from './outcome-text';

/**
 * The release view: a result set may join the runs of several products (`a8w8 merge`), each run on its
 * own device with its own environment. A report of such a set opens with one verdict line per spec and
 * product, so a reader sees every product's standing before any matrix.
 */

/** English names of the products, set beside the vendor's (Chinese) titles: see docs/glossary.md. */
export const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  'atlas-inference': 'Atlas inference series',
  'atlas-a2': 'Atlas A2 training / inference series',
  'atlas-a3': 'Atlas A3 training / inference series',
};

/**
 * A product's title for a report: the English name with the vendor's title beside it, e.g.
 * `Atlas A2 training / inference series (Atlas A2 训练系列产品/...)`; whichever is known alone; null
 * when neither is.
 */
export function productTitle(product: string, vendorTitle: string | null | undefined): string | null {
  const english = PRODUCT_NAMES[product];
  if (english && vendorTitle) return `${english} (${vendorTitle})`;
  return english ?? vendorTitle ?? null;
}

/**
 * The environments of a run.json, one per product: a merged run.json of several products holds them in
 * `environments` (harness/report/merge.ts); any other is its own. The field comes from a file, so it is
 * checked here before anything trusts it.
 */
export function environmentsOf(env: RunEnvironment | null): RunEnvironment[] {
  if (!env) return [];
  const list = (env as { environments?: unknown }).environments;
  if (list === undefined) return [env];
  const ok = Array.isArray(list) && list.length > 0 && list.every((e) => {
    const x = e as Partial<RunEnvironment> | null;
    return x !== null && typeof x === 'object' && typeof x.product === 'string' && typeof x.backend === 'string'
      && Array.isArray(x.devices) && typeof x.spec?.hash === 'string' && typeof x.simulated === 'boolean' && !('environments' in x);
  });
  if (!ok) throw new HarnessError(ErrorCode.SCHEMA_OTHER, 'run.json: `environments` must be a non-empty list of run environments (one per product, none nested)');
  return list as RunEnvironment[];
}

/** The environment a product's records were run in: its own in a merged run.json, else the run's. */
export function environmentFor(env: RunEnvironment | null, product: string): RunEnvironment | null {
  const all = environmentsOf(env);
  return all.find((e) => e.product === product) ?? (all.length === 1 ? all[0]! : null);
}

/** One verdict line of a release: a spec and a product, as `qualify` would summarize them. */
export interface ReleaseLine {
  /** the spec id the records carry */
  specId: string;
  product: string;
  /** English name and vendor title, when known */
  title: string | null;
  /** the spec file and the first 12 hex digits of its hash; `unknown spec` without a run.json */
  spec: string;
  backend: string;
  total: number;
  pass: number;
  unexpected: number;
  simulated: boolean;
  /** `as-expected` or `unexpected` (counts toward the exit code) */
  verdict: 'as-expected' | 'unexpected';
}

/** One line per (spec, product) of the records, products in the order given; `specs` give the products' titles. */
export function releaseLines(records: ResultRecord[], env: RunEnvironment | null, products: string[], specs: readonly Spec[] = []): ReleaseLine[] {
  const out: ReleaseLine[] = [];
  // one line per spec and product: a run of several specs answers for each of them
  const groups = specProductGroups(records).filter((g) => products.includes(g.product));
  const specIds = new Set(groups.map((g) => g.spec)).size;
  for (const { spec: specId, product, records: own } of groups) {
    const spec = specs.find((s) => s.id === specId) ?? (specs.length === 1 && specIds === 1 ? specs[0] : undefined);
    const e = environmentFor(env, product);
    const recorded = e ? runSpecs(e).find((x) => x.id === specId) : undefined;
    const unexpected = own.filter(isUnexpected).length;
    const backends = [...new Set(own.map((r) => r.backend))];
    out.push({
      specId, product, title: productTitle(product, spec?.products.find((p) => p.id === product)?.title),
      spec: recorded ? `${recorded.file} ${recorded.hash.slice(0, 12)}` : e && runSpecs(e).length === 1 ? `${e.spec.file} ${e.spec.hash.slice(0, 12)}` : `${specId} (file unknown)`,
      backend: e?.backend ?? backends.join(', '),
      total: own.length, pass: own.filter((r) => r.outcome.status === 'pass').length, unexpected,
      simulated: (e?.simulated ?? false) || own.some((r) => r.simulated),
      verdict: unexpected > 0 ? 'unexpected' : 'as-expected',
    });
  }
  return out.sort((a, b) => a.spec.localeCompare(b.spec) || products.indexOf(a.product) - products.indexOf(b.product));
}

/** A verdict line in words, the same in every format. */
export function releaseText(l: ReleaseLine): string {
  const counts = l.unexpected > 0 ? `${l.unexpected} unexpected of ${l.total}` : `all ${l.total} as expected`;
  return `${l.product}${l.title ? ` (${l.title})` : ''}: ${counts}, ${l.pass} pass; backend ${l.backend}${l.simulated ? ', simulated: not an NPU qualification' : ''}; spec ${l.spec}`;
}
