import type { AlternativeKind } from '../reference/types';

/** How a path is judged: bit-exact, Huawei's tolerance, or a derived per-element bound. */
export type CompareMode = 'exact' | 'vendor' | 'bound';

/** One element that differs, with where and what. */
export interface ElementDiff {
  index: number;
  /** multi-index into the output shape */
  at: number[];
  actual: number;
  expected: number;
  ideal: number;
  absError: number;
  ulps: number;
}

/** Error metrics against the reference's primary answer; recorded whatever the mode. */
export interface Metrics {
  count: number;
  maxAbs: number;
  maxRel: number;
  maxUlp: number;
  /** elements not bit-equal to the primary answer nor to any admissible alternative */
  mismatches: number;
  mismatchFraction: number;
  /** mean of (actual - expected) over all elements: a rounding bias shows here */
  meanSignedError: number;
  /** mean of (actual - ideal): bias against the double-precision ideal */
  meanSignedErrorVsIdeal: number;
  nanCount: number;
  /** elements that matched only through an alternative, per kind (which admissible answer was seen) */
  alternatives: Partial<Record<AlternativeKind, number>>;
  /** max relative gap between the caller's scale and the effective one, informative */
  scaleGap: number;
}

/** The comparison's verdict: a discriminated union on status. */
export type Comparison =
  | { status: 'match'; mode: CompareMode; metrics: Metrics; worst: ElementDiff[] }
  | { status: 'mismatch'; mode: CompareMode; reason: string; metrics: Metrics; worst: ElementDiff[] };
