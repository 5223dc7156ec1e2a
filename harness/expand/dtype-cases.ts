import { COLUMNS, type CellValue, type Column, type DtypeCombo } from '../dtypes';
import { domainCombos } from '../spec/semantic';
import type { Product, Spec, TableRow } from '../spec/types';
import { combosOfRow, comboKey } from './combos';

/** A combination a product's tables allow, with every row that allows it. */
export interface AllowedCombo {
  combo: DtypeCombo;
  key: string;
  rows: TableRow[];
}

/** The product's allowed combinations, in table and row order, each listed once. */
export function allowedCombos(spec: Spec, product: Product): AllowedCombo[] {
  const byKey = new Map<string, AllowedCombo>();
  for (const table of spec.tables.filter((t) => product.tables.includes(t.id))) {
    for (const row of table.rows) {
      for (const combo of combosOfRow(row)) {
        const key = comboKey(combo);
        const seen = byKey.get(key);
        if (seen) seen.rows.push(row);
        else byKey.set(key, { combo, key, rows: [row] });
      }
    }
  }
  return [...byKey.values()];
}

/** The domain's combinations that none of the product's rows allow (rejected for their dtypes). */
export function rejectedCombos(spec: Spec, product: Product): DtypeCombo[] {
  const allowed = new Set(allowedCombos(spec, product).map((a) => a.key));
  return domainCombos(spec).filter((c) => !allowed.has(comboKey(c)));
}

/** Short dtype spellings for case ids. */
const SHORT: Record<string, string> = {
  int8: 'i8', uint8: 'u8', int32: 'i32', int64: 'i64', float16: 'f16', bfloat16: 'bf16', float32: 'f32',
};

/** A readable slug of a combination: `s-f32_o-none_b-i32_p-none_y-f16` (x1/weight only when not int8). */
export function comboSlug(c: { readonly [K in Column]: CellValue }): string {
  const v = (x: CellValue): string => (x === null ? 'none' : SHORT[x] ?? x);
  const head = c.x1 === 'int8' && c.weight === 'int8' ? '' : `x-${v(c.x1)}_w-${v(c.weight)}_`;
  return `${head}s-${v(c.scale)}_o-${v(c.offset)}_b-${v(c.bias)}_p-${v(c.pertoken_scale)}_y-${v(c.output_dtype)}`;
}

/** Builds a combination from a partial one over a base (used for module-guard probes). */
export function withColumns(base: DtypeCombo, patch: Partial<Record<Column, CellValue>>): DtypeCombo {
  return Object.fromEntries(COLUMNS.map((c) => [c, c in patch ? patch[c] : base[c]])) as DtypeCombo;
}
