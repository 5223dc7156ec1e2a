/**
 * Shrinking a failing case: a greedy search over the moves the spec allows (moves.ts), each candidate run
 * on the backend and judged by the runner's own runCase. A candidate replaces the current case when it
 * fails the same way (the same unexpected outcome status); the search stops at a fixpoint (no move
 * helps) or when the budget of kernel calls is spent. Greedy, not fast-check's shrinkers: the moves have
 * to respect the contract, and a plain loop shows in its log exactly which calls were made and why.
 */
import type { Tensor } from '../data/tensor';
import type { Case } from '../expand/case';
import type { ResultRecord } from '../run/record';
import { runCase, type CaseRunContext, type Slot } from '../run/runner';
import type { Spec } from '../spec/types';
import { capturingSlot } from './reproduce';
import { applyMoves, candidateMoves, parseShrunkId, sameContract, shrunkId, type Moves } from './moves';

export const DEFAULT_SHRINK_BUDGET = 200;

export interface ShrinkOptions {
  spec: Spec;
  /** the case to shrink (may itself be a variant: its moves are the starting point) */
  case: Case;
  /** the original (unshrunk) case when `case` is a variant; else the same as `case` */
  original: Case;
  runSeed: number;
  slot: Slot;
  context: CaseRunContext;
  /** kernel calls, the first run of the case included */
  budget: number;
  onStep?: (step: ShrinkStep) => void;
}

/** One kernel call of the search. */
export interface ShrinkStep {
  caseId: string;
  status: string;
  /** the candidate failed the same way and became the current case */
  kept: boolean;
}

export type ShrinkResult =
  | { status: 'not-failing'; record: ResultRecord; calls: number }
  | {
    status: 'shrunk';
    original: { case: Case; record: ResultRecord };
    /** the smallest case that still fails, with the kernel's output on it (null when it produced none) */
    minimal: { case: Case; record: ResultRecord; output: Tensor | null };
    calls: number;
    budget: number;
    /** the budget ran out before a fixpoint: a smaller failing case may exist */
    exhausted: boolean;
    steps: ShrinkStep[];
  };

/** The candidate fails as the original did: the same outcome status, and unexpected. */
function failsAlike(a: ResultRecord, b: ResultRecord): boolean {
  return !b.asExpected && a.outcome.status === b.outcome.status;
}

export async function shrinkCase(o: ShrinkOptions): Promise<ShrinkResult> {
  const steps: ShrinkStep[] = [];
  let calls = 0;
  const cap = capturingSlot(o.slot);
  const lastOutput = (): Tensor | null => {
    const last = cap.last();
    return last?.status === 'ok' ? last.output : null;
  };
  const run = async (c: Case): Promise<ResultRecord> => {
    calls++;
    return runCase({ ...o.context, retries: 0 }, cap.slot, c);
  };
  const first = await run(o.case);
  if (first.asExpected) return { status: 'not-failing', record: first, calls };
  let current: { case: Case; record: ResultRecord; moves: Moves; output: Tensor | null } = {
    case: o.case, record: first, moves: parseShrunkId(o.case.id).moves, output: lastOutput(),
  };
  const tried = new Set<string>([o.case.id]);
  let exhausted = false;
  search: for (;;) {
    let progressed = false;
    for (const moves of candidateMoves(o.original, current.moves)) {
      const id = shrunkId(o.original.id, moves);
      if (tried.has(id)) continue;
      tried.add(id);
      const candidate = applyMoves(o.spec, o.original, moves, o.runSeed);
      if (!sameContract(o.spec, o.original, candidate)) continue;
      if (calls >= o.budget) {
        exhausted = true;
        break search;
      }
      const record = await run(candidate);
      const kept = failsAlike(first, record);
      const step = { caseId: id, status: record.outcome.status, kept };
      steps.push(step);
      o.onStep?.(step);
      if (kept) {
        current = { case: candidate, record, moves, output: lastOutput() };
        progressed = true;
        break; // restart from the most simplifying move of the new current case
      }
    }
    if (!progressed) break;
  }
  return {
    status: 'shrunk', original: { case: o.case, record: first }, minimal: { case: current.case, record: current.record, output: current.output },
    calls, budget: o.budget, exhausted, steps,
  };
}
