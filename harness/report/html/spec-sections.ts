import type { ResultRecord } from '../../run/record';
import type { Spec } from '../../spec/types';
import { specIdsOf, specOf } from '../specs';
import { esc } from './escape';
import { productsOf } from './model';

/**
 * The page's sections per spec, then product: table keys repeat across specs (`table2#1` is a row of
 * each), so each spec's matrices and coverage are built from its own records and labelled from its own
 * spec. A set of one spec has one section and no spec heading, as before several specs could run.
 */

/** One spec's part of the page: its records and products, and the spec when it is at hand. */
export interface SpecSection {
  id: string;
  spec: Spec | undefined;
  records: ResultRecord[];
  products: string[];
}

/** Sections in the order of the specs given (the run's), then as the records name them. */
export function specSections(records: ResultRecord[], specs: readonly Spec[]): SpecSection[] {
  const ids = specIdsOf(records);
  const rank = (id: string): number => {
    const i = specs.findIndex((s) => s.id === id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...ids].sort((a, b) => rank(a) - rank(b) || ids.indexOf(a) - ids.indexOf(b)).map((id) => {
    const own = records.filter((r) => r.spec === id);
    const spec = specOf(specs, id, ids.length);
    return { id, spec, records: own, products: productsOf(own, spec) };
  });
}

/** The heading of a spec's section, named by its id (and what it is about); none for a set of one spec. */
export function specHeading(s: SpecSection, several: boolean, section: string): string {
  if (!several) return '';
  const about = s.spec ? ` <span class="muted">${esc(s.spec.module ?? s.spec.op)} \u00b7 ${esc(s.spec.hash.slice(0, 12))}</span>` : '';
  return `<h3 id="${esc(section)}-${esc(s.id)}" data-spec="${esc(s.id)}">spec ${esc(s.id)}${about}: ${s.records.length} case(s)</h3>`;
}
