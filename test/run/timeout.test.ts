import assert from 'node:assert/strict';
import { HarnessError } from '../../harness/errors';
import { caseTimeoutMs, DeadlineError, MAX_TIMEOUT_MS, parseTimeoutMs, SLOWEST_MACS_PER_MS, timerDelay, withDeadline } from '../../harness/run/timeout';

describe('run: timeouts', () => {
  it('--timeout takes 1 to MAX_TIMEOUT_MS ms and refuses what Node timers cannot hold', () => {
    assert.equal(parseTimeoutMs('1'), 1);
    assert.equal(parseTimeoutMs(String(MAX_TIMEOUT_MS)), MAX_TIMEOUT_MS);
    assert.ok(MAX_TIMEOUT_MS + 150_000 + 2000 < 2 ** 31 - 1, 'the allowances added to it still fit a timer');
    for (const bad of ['0', '-5', '1.5', 'abc', '3000000000', String(2 ** 31)]) {
      assert.throws(() => parseTimeoutMs(bad), (e: unknown) => e instanceof HarnessError && e.code === 'ERR_BAD_ARGUMENT'
        && e.message === `--timeout expects an integer number of ms from 1 to ${MAX_TIMEOUT_MS} (about 23 days; Node's timers count no further), got '${bad}'`, bad);
    }
  });

  it('timerDelay clamps a delay to what setTimeout honours', () => {
    assert.equal(timerDelay(3_000_000_000), 2 ** 31 - 1);
    assert.equal(timerDelay(-1), 0);
    assert.equal(timerDelay(500), 500);
  });

  it('withDeadline: the work, or a timeout error the runner recognises', async () => {
    assert.equal(await withDeadline(Promise.resolve(7), 1000, 'x'), 7);
    await assert.rejects(withDeadline(new Promise(() => {}), 10, 'open()', 'gave up'), (e: unknown) =>
      e instanceof DeadlineError && e.code === 'ETIMEDOUT' && e.message === 'open() did not finish within 10 ms; gave up');
  });
});

describe('run/timeout: caseTimeoutMs', () => {
  it('is exactly --timeout on a real device', () => {
    assert.equal(caseTimeoutMs({ shapes: { x1: [1024, 4096], weight: [4096, 4096] } }, 120_000, false), 120_000);
  });

  it('adds the work at the slowest expected pace to the base limit, with batches and repeats', () => {
    assert.equal(caseTimeoutMs({ shapes: { x1: [1, 512], weight: [128, 512] } }, 1000, true), 1000 + Math.ceil(65536 / SLOWEST_MACS_PER_MS));
    const big = { shapes: { x1: [1024, 4096], weight: [4096, 4096] } };
    assert.equal(caseTimeoutMs(big, 120_000, true), 120_000 + Math.ceil(1024 * 4096 * 4096 / SLOWEST_MACS_PER_MS));
    assert.equal(caseTimeoutMs({ shapes: { x1: [3, 1, 8, 16], weight: [2, 4, 16] }, repeat: 2 }, 0, true), Math.ceil(3 * 2 * 8 * 4 * 16 * 2 / SLOWEST_MACS_PER_MS));
    assert.equal(caseTimeoutMs({ shapes: { x1: [65535, 65535], weight: [65535, 65535] } }, MAX_TIMEOUT_MS, true), MAX_TIMEOUT_MS);
  });
});
