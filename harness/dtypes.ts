/** Dtype names as torch spells them without the `torch.` prefix; `None` is an absent optional input. */
export const DTYPES = ['int8', 'uint8', 'int32', 'int64', 'float16', 'bfloat16', 'float32'] as const;
export type Dtype = (typeof DTYPES)[number];

/** The seven columns of the vendor doc's dtype tables, in the doc's order. */
export const COLUMNS = ['x1', 'weight', 'scale', 'offset', 'bias', 'pertoken_scale', 'output_dtype'] as const;
export type Column = (typeof COLUMNS)[number];

/** A cell value: a dtype, or null where the doc writes `None` (the input is absent / the flag is False). */
export type CellValue = Dtype | null;

/** One concrete dtype combination: a value per column. `output_dtype` is the effective dtype. */
export type DtypeCombo = { readonly [C in Column]: CellValue };

/** Output dtypes of the op. */
export type OutputDtype = 'int8' | 'float16' | 'bfloat16' | 'int32';

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = {
  int8: 1, uint8: 1, int32: 4, int64: 8, float16: 2, bfloat16: 2, float32: 4,
};

/** `None` -> null, a dtype name -> itself; anything else is the caller's bug (validated before). */
export function cellFromText(text: string): CellValue {
  return text === 'None' ? null : (text as Dtype);
}

/** null -> `None`, for display in the doc's spelling. */
export function cellToText(value: CellValue): string {
  return value === null ? 'None' : value;
}
