import assert from 'node:assert/strict';
import * as path from 'path';
import { PluginHost } from '../../../harness/backends/plugin/host';
import type { BackendRun } from '../../../harness/backends/types';
import type { CaseInputs } from '../../../harness/data/tensor';
import { packageRoot } from '../../../harness/paths';
import { makeCase } from '../../helpers/make-case';
import { FAULTY, withPluginFaults } from '../../helpers/plugins';
import { noAbort, randInt8, rng } from '../torch-npu/helpers';

const ECHO = path.join(path.dirname(FAULTY), 'echo.js');

function inputs(): CaseInputs {
  const rand = rng(3);
  return {
    x1: randInt8([2, 8], rand), weight: randInt8([4, 8], rand),
    scale: { dtype: 'int64', shape: [4], data: BigInt64Array.from([1n << 40n, 2n, 3n, -4n]) },
    offset: null, bias: null, pertoken_scale: null,
  };
}
const theCase = () => makeCase({ out: 'float16', inputs: inputs(), scaleDtype: 'int64', id: 'host-test' });

/** Runs a case with m = 1, which the faults conditioned on m = 2 leave alone. */
function runM1(host: PluginHost): Promise<BackendRun> {
  const data = { ...inputs(), x1: randInt8([1, 8], rng(4)) };
  return host.run(makeCase({ out: 'float16', inputs: data, scaleDtype: 'int64' }), data, noAbort());
}

/** Runs `fn` on a plugin host of faulty.js with these faults, opened with this timeout, and closes it. */
async function withHost(faults: string, timeoutMs: number, fn: (host: PluginHost) => Promise<void>): Promise<void> {
  await withPluginFaults(faults, async () => {
    const host = new PluginHost(FAULTY);
    await host.open({ timeoutMs });
    try {
      await fn(host);
    } finally {
      await host.close();
    }
  });
}

const isTimeout = (e: unknown): boolean => (e as { code?: string }).code === 'ETIMEDOUT';

describe('backends: plugin host (a plugin in a process of its own)', function () {
  this.timeout(60_000);

  it('sends the recipe and inputs as copies of the same typed-array classes (int64 as BigInt64Array)', async () => {
    const host = new PluginHost(ECHO);
    const info = await host.open({ device: 1, timeoutMs: 20_000 });
    assert.equal(info.device, 'cpu:1');
    assert.notEqual(info.notes[0], `pid ${process.pid}`, 'the plugin runs in another process');
    assert.equal(host.name, 'echo');
    try {
      const data = inputs();
      const run = await host.run(theCase(), data, noAbort()) as Extract<BackendRun, { status: 'skip' }>;
      const seen = JSON.parse(run.reason) as { id: string; seen: Record<string, { dtype: string; shape: number[]; storage: string; first: string }> };
      assert.equal(seen.id, 'host-test');
      assert.deepEqual(seen.seen.scale, { dtype: 'int64', shape: [4], storage: 'BigInt64Array', first: String(1n << 40n) });
      assert.deepEqual(seen.seen.x1, { dtype: 'int8', shape: [2, 8], storage: 'Int8Array', first: String(inputs().x1.data[0]) });
      assert.deepEqual(data, inputs(), 'the plugin zeroed its copies; the harness keeps its own');
    } finally {
      await host.close();
    }
  });

  for (const fault of ['busy-loop', 'never-settles']) {
    it(`${fault} in run(): killed at the timeout, and the next case runs in a new process`, async () => {
      await withHost(`${fault}@m=2`, 4000, async (host) => {
        await assert.rejects(host.run(theCase(), inputs(), noAbort()), (e: unknown) => isTimeout(e)
          && /^case host-test did not finish within 4\d{3} ms; the plugin's process was killed$/.test((e as Error).message));
        assert.equal((await runM1(host)).status, 'ok');
      });
    });
  }

  it('an abort kills the process; the next case runs', async () => {
    await withHost('never-settles@m=2', 60_000, async (host) => {
      const ac = new AbortController();
      const running = host.run(theCase(), inputs(), ac.signal);
      setTimeout(() => ac.abort(), 200);
      await assert.rejects(running, { name: 'AbortError' });
      assert.equal((await runM1(host)).status, 'ok');
    });
  });

  it('a plugin that ends its process costs that case (an error, not a timeout); the next case runs', async () => {
    await withHost('exit@m=2', 20_000, async (host) => {
      await assert.rejects(host.run(theCase(), inputs(), noAbort()), (e: unknown) => !isTimeout(e)
        && /^the plugin's process exited \(code 3, signal null\) during case host-test/.test((e as Error).message));
      assert.equal((await runM1(host)).status, 'ok');
    });
  });

  it('open() and close() that never settle are timeouts, and the process is killed', async () => {
    await withPluginFaults('open-never', async () => {
      const host = new PluginHost(FAULTY);
      await assert.rejects(host.open({ timeoutMs: 500 }), (e: unknown) => isTimeout(e)
        && (e as Error).message === "open() did not finish within 500 ms; the plugin's process was killed");
      await host.close();
    });
    await withPluginFaults('close-never', async () => {
      const host = new PluginHost(FAULTY);
      await host.open({ timeoutMs: 4000 });
      await assert.rejects(host.close(), (e: unknown) => isTimeout(e)
        && (e as Error).message === "close() did not finish within 4000 ms; the plugin's process was killed");
    });
  });

  it('load failures are open() errors that say what is wrong', async () => {
    await withPluginFaults('create-throws', () => assert.rejects(new PluginHost(FAULTY).open({ timeoutMs: 20_000 }),
      { message: 'createBackend() threw Error: planted: createBackend failed' }));
    await assert.rejects(new PluginHost(path.join(packageRoot(), 'package.json')).open({ timeoutMs: 20_000 }),
      { message: /^expected the module to export createBackend\(\), got exports name, / });
  });
});
