import type { ResultRecord } from '../run/record';

/** The records of one spec and product. */
export interface SpecProductGroup {
  spec: string;
  product: string;
  records: ResultRecord[];
}

/**
 * Records grouped by spec, then product, each in the order the records first name it: the order every
 * report lists a set of several specs in (a case id is unique only with its spec).
 */
export function specProductGroups(records: readonly ResultRecord[]): SpecProductGroup[] {
  const groups = new Map<string, SpecProductGroup>();
  const specs = [...new Set(records.map((r) => r.spec))];
  for (const spec of specs) {
    for (const r of records) {
      if (r.spec !== spec) continue;
      const key = `${spec}\u0000${r.product}`;
      const g = groups.get(key) ?? { spec, product: r.product, records: [] };
      g.records.push(r);
      groups.set(key, g);
    }
  }
  return [...groups.values()];
}
