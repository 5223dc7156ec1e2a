import { COLUMNS, cellToText, type CellValue, type Column, type DtypeCombo } from '../dtypes';
import type { TableRow } from './types';

/** Every concrete combination a row allows: its alternatives multiplied out, in column order. */
export function combosOfRow(row: TableRow): DtypeCombo[] {
  let acc: Record<string, CellValue>[] = [{}];
  for (const c of COLUMNS) acc = acc.flatMap((partial) => row.cells[c].map((v) => ({ ...partial, [c]: v })));
  return acc as DtypeCombo[];
}

/** A canonical key of a combination, e.g. `int8,int8,float32,None,int32,None,float16`. */
export function comboKey(c: { readonly [K in Column]: CellValue }): string {
  return COLUMNS.map((k) => cellToText(c[k])).join(',');
}
