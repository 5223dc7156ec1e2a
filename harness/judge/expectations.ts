import { parse } from 'yaml';
import { ErrorCode, HarnessError } from '../errors';
import { FILE_LIMITS, readTextCapped } from '../files';
import { OUTCOME_STATUSES, EXPECTED_BY_DEFAULT, type OutcomeStatus } from './outcome';

/** One entry of an expectation file: cases (by id glob) that are known to end otherwise, and why. */
export interface Expectation {
  /** case id glob: `*` within one id segment, `**` across segments */
  cases: string;
  products: string[] | null;
  expected: OutcomeStatus[];
  reason: string;
}

/** How a result stands against the expectations: wptrunner semantics (an unexpected pass is reported). */
export interface Verdict {
  asExpected: boolean;
  expectation: Expectation | null;
  unexpectedPass: boolean;
}

/** Loads `expectations/<backend>.yml` (at most 16 MiB): a list of {cases, products?, expected, reason}. */
export function loadExpectations(file: string): Expectation[] {
  const raw: unknown = parse(readTextCapped(file, FILE_LIMITS.expectations, 'expectation file'));
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new HarnessError(ErrorCode.SCHEMA_TYPE, `${file}: expected a list of expectations, got ${typeof raw}`);
  return raw.map((e: Record<string, unknown>, i) => {
    const where = `${file}: entry ${i + 1}`;
    const expected = (Array.isArray(e.expected) ? e.expected : [e.expected]) as string[];
    const bad = expected.filter((s) => !(OUTCOME_STATUSES as readonly string[]).includes(s));
    if (typeof e.cases !== 'string' || !expected.length || bad.length || typeof e.reason !== 'string' || !e.reason) {
      throw new HarnessError(ErrorCode.SCHEMA_OTHER,
        `${where}: expected {cases: glob, expected: [${OUTCOME_STATUSES.join('|')}], reason: text}, got ${JSON.stringify(e)}`);
    }
    return { cases: e.cases, products: (e.products as string[] | undefined) ?? null, expected: expected as OutcomeStatus[], reason: e.reason };
  });
}

function globToRegExp(glob: string): RegExp {
  const body = glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
  return new RegExp(`^${body}$`);
}

/** Is this outcome as expected for this case? Without an entry, the default set decides. */
export function verdictFor(caseId: string, product: string, status: OutcomeStatus, list: Expectation[]): Verdict {
  const entry = list.find((e) => (!e.products || e.products.includes(product)) && globToRegExp(e.cases).test(caseId)) ?? null;
  if (!entry) return { asExpected: EXPECTED_BY_DEFAULT.has(status), expectation: null, unexpectedPass: false };
  const unexpectedPass = status === 'pass' && !entry.expected.includes('pass');
  return { asExpected: entry.expected.includes(status), expectation: entry, unexpectedPass };
}
