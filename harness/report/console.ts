import type { RunFigures } from '../run/environment';
import type { RunSummary } from '../run/runner';
import type { ResultRecord } from '../run/record';
import { releaseText } from './release';
import type { ReportSummary } from './summary';

/** One line for a result that needs a human's attention; ends with the command that replays it. */
export function failureLine(r: ResultRecord): string | null {
  if (r.asExpected && !r.unexpectedPass) return null;
  const o = r.outcome;
  const why = o.status === 'fail' ? o.reason
    : o.status === 'error' ? o.message
    : o.status === 'timeout' ? `no answer within ${o.limitMs} ms`
    : o.status === 'unexpected-reject' ? `${o.errorType}: ${o.message}`
    : o.status === 'unexpected-accept' ? 'the doc rejects this case; the kernel ran it'
    : r.unexpectedPass ? `passed, but ${r.expectation ? `expected ${r.expectation.expected.join('|')} (${r.expectation.reason})` : 'expected otherwise'}`
    : o.status;
  const label = r.unexpectedPass ? 'UNEXPECTED-PASS' : o.status.toUpperCase();
  return `${label} ${r.caseId}: ${why.split('\n')[0]}\n  replay: ${r.replay}`;
}

/** How many ids of cases left undone the console lists (the run summary keeps them all). */
const LISTED_UNFINISHED = 10;

/** The closing summary: cases left undone by a hung device, counts per outcome and the verdict. */
export function summaryLines(s: RunSummary, simulated: boolean): string[] {
  const counts = Object.entries(s.counts).sort().map(([k, v]) => `${k} ${v}`).join(', ');
  const unfinished = s.unfinished.map((u) => `ERROR device ${u.device} ${u.reason}` + (u.caseIds.length === 0 ? '' :
    `; ${u.caseIds.length} case(s) not run: ${u.caseIds.slice(0, LISTED_UNFINISHED).join(', ')}` +
    `${u.caseIds.length > LISTED_UNFINISHED ? `, ... and ${u.caseIds.length - LISTED_UNFINISHED} more` : ''} (--resume runs them once the device is fixed)`));
  // a device declared hung while another one ran the cases it left is named too: it needs looking at
  const others = (s.hung ?? []).filter((h) => !s.unfinished.some((u) => u.device === h.device))
    .map((h) => `ERROR device ${h.device} ${h.reason}; it took no more cases, the other devices ran them`);
  return [
    ...unfinished,
    ...others,
    `${s.total} case(s) run${s.resumed ? `, ${s.resumed} already recorded (--resume)` : ''}: ${counts || 'none'}`,
    `${s.unexpected} unexpected outcome(s)${simulated ? ' — simulated backend: not an NPU qualification' : ''}`,
    ...(s.figures ? [figuresLine(s.figures)] : []),
    `results: ${s.file}`,
  ];
}

/**
 * Where the run's time went, as shares of its wall time: the backend (its opening included), the
 * reference, and the harness's own work (generating, judging, writing, and the rest between cases).
 */
export function figuresLine(f: RunFigures): string {
  const share = (ms: number): string => `${f.wallMs > 0 ? Math.round((100 * ms) / f.wallMs) : 0}%`;
  // per-case sums ran side by side on the slots: divided by their count, as the harness share is
  const perSlot = (ms: number): number => ms / f.slots;
  const steps = perSlot(f.generateMs) + perSlot(f.judgeMs) + perSlot(f.writeMs);
  const covers = f.resumed > 0 ? `; covers the ${f.cases} case(s) run now, not the ${f.resumed} resumed` : '';
  return `time: ${(f.wallMs / 1000).toFixed(1)} s wall${f.slots > 1 ? ` on ${f.slots} slots (per-case times divided by ${f.slots})` : ''}: ` +
    `backend ${share(f.openMs + perSlot(f.backendMs))} (opening ${share(f.openMs)}), reference ${share(perSlot(f.referenceMs))}, ` +
    `harness ${share(f.harnessMs)} (generate ${share(perSlot(f.generateMs))}, judge ${share(perSlot(f.judgeMs))}, ` +
    `write ${share(perSlot(f.writeMs))}, other ${share(Math.max(0, f.harnessMs - steps))})${covers}`;
}

/**
 * The console's lines per spec, then product, of a report: one verdict line each where the set holds
 * more than one (a set of one spec and product says it all in its total line).
 */
export function groupLines(s: Pick<ReportSummary, 'release'>): string[] {
  if (s.release.length < 2) return [];
  return s.release.map((l) => `${l.verdict === 'unexpected' ? 'UNEXPECTED' : 'ok'} ${l.specId}/${releaseText(l)}`);
}
