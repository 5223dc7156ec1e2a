import type { CellValue, Column } from '../dtypes';
import { matchesCondition } from './condition';
import type { Spec } from './types';

/**
 * The numeric path a combination takes, as the spec's `numerics` says: the first entry whose condition
 * it meets. The path names are the registry's (harness/numerics.ts); lint checks them.
 */
export function pathOf(spec: Spec, combo: Readonly<Record<Column, CellValue>>): string | null {
  return spec.numerics.find((e) => matchesCondition(spec, e.when, combo))?.path ?? null;
}
