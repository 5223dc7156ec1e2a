import * as path from 'path';
import { main } from '../../harness/cli/main';
import { packageRoot } from '../../harness/paths';
import { capture } from './cli';

/** The plugin that misbehaves as A8W8_TEST_PLUGIN_FAULT says (test/fixtures/plugins/faulty.js). */
export const FAULTY = path.join(packageRoot(), 'test', 'fixtures', 'plugins', 'faulty.js');
/** Four quick smoke cases: three with m = 1 (tiny-1x2x1, m1, doc-example), then rank5 (m = 3). */
export const GREP = '^linear-a8w8-quant/atlas-a2/table2-r2/.*/(tiny-1x2x1|m1|doc-example|rank5)/';

/** Runs `fn` with faults planted in faulty.js (its process reads A8W8_TEST_PLUGIN_FAULT when it starts). */
export async function withPluginFaults<T>(faults: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.A8W8_TEST_PLUGIN_FAULT;
  process.env.A8W8_TEST_PLUGIN_FAULT = faults;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.A8W8_TEST_PLUGIN_FAULT;
    else process.env.A8W8_TEST_PLUGIN_FAULT = saved;
  }
}

/** Runs the CLI with faults planted in the plugin. */
export function withFaults(faults: string, args: string[]): Promise<{ code: number; ctx: ReturnType<typeof capture> }> {
  const ctx = capture();
  return withPluginFaults(faults, async () => ({ code: await main(args, ctx), ctx }));
}
