/** Types the spec stage shares with every later stage; defined here so the spec imports nothing above it. */

/** A position in a spec file; 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** Shapes of every input; absent optional inputs are null. */
export interface CaseShapes {
  x1: number[];
  weight: number[];
  scale: number[];
  offset: number[] | null;
  bias: number[] | null;
  pertoken_scale: number[] | null;
}
