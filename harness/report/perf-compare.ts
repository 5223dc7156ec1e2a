import type { DeviceTimings } from '../backends/types';
import type { RunEnvironment } from '../run/environment';
import type { ResultRecord } from '../run/record';
import { isTimed } from './perf';

/**
 * Performance moves between two runs, judged against run-to-run noise: never a bare
 * ratio. Each median gets a 95% confidence interval from its own repeats, and a case moved only when the
 * two intervals do not overlap.
 *
 * The interval: the backends record the median, p10, p90 and the repeat count, not the samples. Under a
 * normal model p90 - p10 = 2·1.2816·σ, so σ ≈ (p90 - p10) / 2.563; the median's standard error is
 * √(π/2)·σ/√n ≈ 1.2533·σ/√n; the interval is median ± 1.96 SE. A wide spread or few repeats widen it,
 * so a noisy host flags less. Fewer than MIN_REPEATS repeats give no usable spread: such cases are
 * reported as unjudged, not guessed.
 *
 * That interval captures the noise within a run. On a shared host, load shifts whole runs (a second
 * process halves every figure), which the repeats cannot see; `p10-p90` takes each run's whole
 * inter-decile band as its interval instead, a far more conservative test for such hosts.
 */

/** How a run's noise interval is built: `ci95` (default) the median's 95% CI, `p10-p90` the band itself. */
export type NoiseModel = 'ci95' | 'p10-p90';
export const NOISE_MODELS: readonly NoiseModel[] = ['ci95', 'p10-p90'];

/** Repeats needed before p10/p90 say anything about the spread. */
export const MIN_REPEATS = 3;
/** two-sided 95% */
const Z = 1.96;
/** p90 - p10 of a normal, in σ */
const INTERDECILE_SIGMAS = 2 * 1.2816;
/** standard error of the median of n normal samples is this × σ/√n */
const MEDIAN_SE_FACTOR = Math.sqrt(Math.PI / 2);

/** A median time with its 95% confidence interval, in microseconds. */
export interface TimingInterval {
  medianUs: number;
  lowUs: number;
  highUs: number;
  repeats: number;
}

/** The median's noise interval from the recorded spread; null with fewer than MIN_REPEATS repeats. */
export function medianInterval(t: Pick<DeviceTimings, 'medianUs' | 'p10Us' | 'p90Us' | 'repeats'>, noise: NoiseModel = 'ci95'): TimingInterval | null {
  if (t.repeats < MIN_REPEATS) return null;
  if (noise === 'p10-p90') return { medianUs: t.medianUs, lowUs: Math.min(t.p10Us, t.medianUs), highUs: Math.max(t.p90Us, t.medianUs), repeats: t.repeats };
  const sigma = Math.max(0, t.p90Us - t.p10Us) / INTERDECILE_SIGMAS;
  const half = (Z * MEDIAN_SE_FACTOR * sigma) / Math.sqrt(t.repeats);
  return { medianUs: t.medianUs, lowUs: Math.max(0, t.medianUs - half), highUs: t.medianUs + half, repeats: t.repeats };
}

/** How a case's time moved. */
export type PerfMoveKind = 'regression' | 'improvement' | 'within-noise' | 'unjudged';

/** One timed case present in both runs. */
export interface PerfMove {
  caseId: string;
  product: string;
  shape: string;
  path: string | null;
  kind: PerfMoveKind;
  baseline: TimingInterval | null;
  current: TimingInterval | null;
  /** medians as recorded, whatever the intervals */
  baselineMedianUs: number;
  currentMedianUs: number;
  /** current / baseline median − 1: informative only, never the criterion */
  change: number;
  /** the reason in words, e.g. `slower: [410, 430] us lies above [300, 320] us` */
  why: string;
}

/** Options of a comparison: the noise model and the runs' environments (to warn across hosts). */
export interface PerfCompareOptions {
  noise?: NoiseModel;
  current?: RunEnvironment | null;
  baseline?: RunEnvironment | null;
}

/** Two runs' timed cases compared. */
export interface PerfComparison {
  noise: NoiseModel;
  moves: PerfMove[];
  regressions: number;
  improvements: number;
  withinNoise: number;
  unjudged: number;
  /** timed in the baseline only, or in the current run only */
  onlyInBaseline: string[];
  onlyInCurrent: string[];
  /** e.g. the runs measured different hosts (absolute figures do not compare across hosts) */
  warnings: string[];
}

/** Judges one move: a regression only when the current interval lies entirely above the baseline's. */
export function judgeMove(baseline: DeviceTimings, current: DeviceTimings, noise: NoiseModel = 'ci95')
  : { kind: PerfMoveKind; baseline: TimingInterval | null; current: TimingInterval | null; why: string } {
  const b = medianInterval(baseline, noise);
  const c = medianInterval(current, noise);
  const what = noise === 'ci95' ? '95% CIs of the median' : 'p10-p90 bands';
  if (!b || !c) return { kind: 'unjudged', baseline: b, current: c, why: `fewer than ${MIN_REPEATS} repeats: no noise estimate` };
  const span = (i: TimingInterval): string => `[${round(i.lowUs)}, ${round(i.highUs)}] us`;
  if (c.lowUs > b.highUs) return { kind: 'regression', baseline: b, current: c, why: `slower: ${span(c)} lies above ${span(b)} (${what})` };
  if (c.highUs < b.lowUs) return { kind: 'improvement', baseline: b, current: c, why: `faster: ${span(c)} lies below ${span(b)} (${what})` };
  return { kind: 'within-noise', baseline: b, current: c, why: `${span(c)} overlaps ${span(b)}` };
}

/** Compares every case timed in both runs (matched by case id). */
export function comparePerf(current: ResultRecord[], baseline: ResultRecord[], opts: PerfCompareOptions = {}): PerfComparison {
  const noise = opts.noise ?? 'ci95';
  const base = new Map(baseline.filter(isTimed).map((r) => [r.caseId, r]));
  const now = current.filter(isTimed);
  const moves: PerfMove[] = [];
  for (const r of now) {
    const b = base.get(r.caseId);
    if (!b) continue;
    const j = judgeMove(b.timings.device!, r.timings.device!, noise);
    moves.push({
      caseId: r.caseId, product: r.product, shape: r.case.shapeClass.replace(/^perf:/, ''), path: r.path, ...j,
      baselineMedianUs: b.timings.device!.medianUs, currentMedianUs: r.timings.device!.medianUs,
      change: r.timings.device!.medianUs / b.timings.device!.medianUs - 1,
    });
  }
  const nowIds = new Set(now.map((r) => r.caseId));
  const count = (k: PerfMoveKind): number => moves.filter((m) => m.kind === k).length;
  return {
    noise, moves, regressions: count('regression'), improvements: count('improvement'), withinNoise: count('within-noise'), unjudged: count('unjudged'),
    onlyInBaseline: [...base.keys()].filter((id) => !nowIds.has(id)),
    onlyInCurrent: now.filter((r) => !base.has(r.caseId)).map((r) => r.caseId),
    warnings: hostWarnings(opts.current ?? null, opts.baseline ?? null),
  };
}

function hostWarnings(current: RunEnvironment | null, baseline: RunEnvironment | null): string[] {
  if (!current || !baseline) return [];
  const out: string[] = [];
  const where = (e: RunEnvironment): string => e.hostPeak?.cpu ?? e.devices.map((d) => d.socName ?? d.device).join(',');
  if (where(current) !== where(baseline)) out.push(`the runs measured different devices (${where(baseline)} vs ${where(current)}): absolute times do not compare across hosts`);
  if (current.backend !== baseline.backend) out.push(`different backends: ${baseline.backend} vs ${current.backend}`);
  return out;
}

function round(us: number): string {
  return us >= 100 ? us.toFixed(0) : us.toPrecision(3);
}
