import { type CellValue, type Column, type DtypeCombo } from '../dtypes';
import type { Condition, Spec, TableRow } from './types';

/** Every table row of the spec by its key (`table2#5`). */
export function rowByKey(spec: Spec, key: string): TableRow | undefined {
  return spec.tables.flatMap((t) => t.rows).find((r) => r.key === key);
}

/** Whether a combination satisfies a dtype condition (every listed input has one of the listed dtypes). */
export function matchesDtypes(when: Partial<Record<Column, CellValue[]>> | null, combo: Readonly<Record<Column, CellValue>>): boolean {
  if (when === null) return true;
  return (Object.entries(when) as [Column, CellValue[]][]).every(([c, vs]) => vs.includes(combo[c]));
}

/** Whether a row allows a combination (every cell lists its dtype). */
export function rowAllows(row: TableRow, combo: Readonly<Record<Column, CellValue>>): boolean {
  return (Object.keys(row.cells) as Column[]).every((c) => row.cells[c].includes(combo[c]));
}

/**
 * Whether a combination meets a condition: its dtypes match, and where rows are named, one of them
 * allows it. An unknown row key matches nothing (lint reports it).
 */
export function matchesCondition(spec: Spec, when: Condition, combo: DtypeCombo | Readonly<Record<Column, CellValue>>): boolean {
  if (!matchesDtypes(when.dtypes, combo)) return false;
  if (when.rows === null) return true;
  return when.rows.some((key) => {
    const row = rowByKey(spec, key);
    return row !== undefined && rowAllows(row, combo);
  });
}

/** A condition that matches everything. */
export const ALWAYS: Condition = { dtypes: null, rows: null };
