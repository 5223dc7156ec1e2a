import * as fs from 'fs';
import * as path from 'path';
import type { CellValue, Column } from '../../harness/dtypes';
import { isPathId, type PathId } from '../../harness/numerics';
import { packageRoot } from '../../harness/paths';
import { loadSpec } from '../../harness/spec/load';
import { rowAllows } from '../../harness/spec/condition';
import { pathOf } from '../../harness/spec/numerics';
import type { Spec } from '../../harness/spec/types';

let specs: Spec[] | undefined;

/** Every spec of the package's specs/ folder (loaded once). */
export function packageSpecs(): Spec[] {
  const dir = path.join(packageRoot(), 'specs');
  specs ??= fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().map((f) => loadSpec(path.join(dir, f)));
  return specs;
}

/**
 * The numeric path the package's specs name for some dtypes (the first spec whose `numerics` matches):
 * tests that build cases by hand take the path from the specs, as the expansion does.
 */
export function pathFor(dtypes: Readonly<Record<Column, CellValue>>): PathId {
  // the spec whose tables allow the dtypes first, then any whose domain holds them
  const inTables = (s: Spec): boolean => s.tables.some((t) => t.rows.some((r) => rowAllows(r, dtypes)));
  const inDomain = (s: Spec): boolean => (Object.keys(dtypes) as Column[]).every((c) => s.domain[c].includes(dtypes[c]));
  for (const s of [...packageSpecs().filter(inTables), ...packageSpecs().filter(inDomain)]) {
    const p = pathOf(s, dtypes);
    if (p !== null && isPathId(p)) return p;
  }
  throw new Error(`no spec in specs/ names a numeric path for ${JSON.stringify(dtypes)}`);
}
