import { type CellValue, type Column, type DtypeCombo } from '../dtypes';
import type { Condition, Spec, TableRow } from './types';

/** The rows of a spec's tables by key, built once per tables list: expansion asks for rows by key many thousand times. */
const rowIndex = new WeakMap<Spec['tables'], Map<string, TableRow>>();

/** Every table row of the spec by its key (`table2#5`). */
export function rowByKey(spec: Spec, key: string): TableRow | undefined {
  let index = rowIndex.get(spec.tables);
  if (index === undefined) {
    index = new Map();
    // the first row of a key wins, as a search in table order finds it
    for (const r of spec.tables.flatMap((t) => t.rows)) if (!index.has(r.key)) index.set(r.key, r);
    rowIndex.set(spec.tables, index);
  }
  // a key missing from the index is searched for, in case a row was added after the index was built
  return index.get(key) ?? spec.tables.flatMap((t) => t.rows).find((r) => r.key === key);
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
