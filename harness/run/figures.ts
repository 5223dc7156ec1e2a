import type { RunFigures } from './environment';
import type { ResultRecord } from './record';

/**
 * The run's time profile (run.json's `figures`) from the wall clock of the run and the per-case times
 * its records carry. Every step of a case but the backend and the reference is the harness's own work;
 * so is everything between cases (expanding, writing, the view). With several slots the per-case sums
 * are divided by the slot count: they ran side by side, so together they may exceed the wall time.
 */
export function runFigures(a: { wallMs: number; openMs: number; slots: number; records: ResultRecord[]; resumed: number; writeMs: number }): RunFigures {
  const sum = (f: (r: ResultRecord) => number | null | undefined): number => a.records.reduce((s, r) => s + (f(r) ?? 0), 0);
  const backendMs = sum((r) => r.timings.backendMs);
  const referenceMs = sum((r) => r.timings.referenceMs);
  const slots = Math.max(1, a.slots);
  const harnessMs = Math.max(0, a.wallMs - a.openMs - (backendMs + referenceMs) / slots);
  return {
    wallMs: a.wallMs, slots, cases: a.records.length, resumed: a.resumed, openMs: a.openMs,
    generateMs: sum((r) => r.timings.generateMs), backendMs, referenceMs, judgeMs: sum((r) => r.timings.judgeMs),
    writeMs: a.writeMs + sum((r) => r.timings.saveMs), harnessMs, harnessShare: a.wallMs > 0 ? harnessMs / a.wallMs : 0,
  };
}

/**
 * The figures of runs joined by `merge` (shards, or products): every time summed, so the wall time is
 * the machine time the runs took together, and the harness share is recomputed from the sums. Null
 * when any run lacks figures (run before they were recorded, or not finished): a sum of some would mislead.
 */
export function combineFigures(list: (RunFigures | undefined)[]): RunFigures | null {
  if (list.length === 0 || list.some((f) => f === undefined)) return null;
  const all = list as RunFigures[];
  const total = (k: keyof RunFigures): number => all.reduce((s, f) => s + f[k], 0);
  const wallMs = total('wallMs');
  const harnessMs = total('harnessMs');
  return {
    wallMs, slots: total('slots'), cases: total('cases'), resumed: total('resumed'), openMs: total('openMs'),
    generateMs: total('generateMs'), backendMs: total('backendMs'), referenceMs: total('referenceMs'), judgeMs: total('judgeMs'),
    writeMs: total('writeMs'), harnessMs, harnessShare: wallMs > 0 ? harnessMs / wallMs : 0,
  };
}
