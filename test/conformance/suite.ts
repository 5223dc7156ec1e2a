import * as path from 'path';
import type { Backend, DeviceInfo } from '../../harness/backends/types';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import { packageRoot } from '../../harness/paths';
import { failureLine } from '../../harness/report/console';
import { writeEnvironment } from '../../harness/run/environment';
import { lockOutput, type OutputLock } from '../../harness/run/lock';
import { ResultWriter } from '../../harness/run/record';
import { referenceOptionsFor } from '../../harness/run/reference-options';
import { runCase, type CaseRunContext, type Slot } from '../../harness/run/runner';
import { expectationsFor, replayCommand, runEnvironment, verdictSettings } from '../../harness/run/session';
import { chooseReference } from '../../harness/run/setup';
import { allSpecs } from '../helpers/spec';

export interface ConformanceTarget {
  /** suite title, e.g. `onnxruntime` or `torch-npu (stand-in, simulated)` */
  label: string;
  /** backend name for replay commands and expectation files */
  backend: string;
  product: string;
  create: () => Backend;
  timeoutMs?: number;
  /** backend options (e.g. fewer timing repeats for simulated backends) */
  options?: Record<string, string>;
}

/** Groups a case under its table row, or why it is rejected (a describe per product and row). */
function groupOf(c: Case): string {
  if (c.rejectedBy?.kind === 'dtype') return 'outside the table';
  if (c.rejectedBy?.kind === 'module') return `module guard ${c.rejectedBy.rule}`;
  if (c.rules.length) return `shape rule ${c.rules[0]}`;
  return c.rows[0] ?? 'other';
}

/**
 * Defines the generated conformance suite for one target: every smoke case of its product in every spec
 * of specs/ (a spec without the product has none), one `it` each, grouped by spec, then row or rule.
 * An `it` fails only on an unexpected outcome; skips are mocha skips with their reason. Results stream to
 * reports/conformance/<label>/results.jsonl like a run's, so the report commands can render them.
 */
export function defineConformance(t: ConformanceTarget): void {
  const specs = allSpecs().filter((s) => s.products.some((p) => p.id === t.product));
  const bySpec = specs.map((spec) => {
    const groups = new Map<string, Case[]>();
    for (const c of expandCases(spec, { profile: 'smoke', seed: 0, products: [t.product] })) groups.set(groupOf(c), [...(groups.get(groupOf(c)) ?? []), c]);
    return { spec, groups };
  });
  const outDir = path.join(packageRoot(), 'reports', 'conformance', t.label.replace(/[^\w.-]+/g, '-'));

  describe(`conformance: ${t.label}`, function () {
    this.timeout((t.timeoutMs ?? 120_000) + 10_000);
    let slot: Slot;
    let ctx: CaseRunContext;
    let writer: ResultWriter;
    let lock: OutputLock;

    before(async function () {
      this.timeout(180_000);
      // The session's lock: a second `npm test` at once is refused instead of mixing its records into these.
      lock = lockOutput(outDir, `npm test: conformance ${t.label}`, 'conformance output');
      const backend = t.create();
      const info: DeviceInfo = await backend.open({ timeoutMs: t.timeoutMs ?? 120_000, options: { ...t.options, product: t.product } });
      slot = { backend, info };
      const reference = chooseReference(undefined);
      const expectations = expectationsFor(t.backend);
      const timeoutMs = t.timeoutMs ?? 120_000;
      ctx = {
        specs, timeoutMs, retries: 0, reference: reference.impl,
        referenceOptionsOf: (s) => referenceOptionsFor(s.products.find((p) => p.id === t.product)!, info, {}),
        expectations: expectations.list,
        replay: (c) => replayCommand({ backend: t.backend, product: t.product, profile: 'smoke', seed: 0 }, c.id),
      };
      writeEnvironment(outDir, runEnvironment({
        specs, backend: { name: t.backend, why: 'npm test conformance suite' }, product: { id: t.product, why: 'conformance target' },
        profile: 'smoke', seed: 0, devices: [info], reference, argv: ['npm', 'test'],
        settings: verdictSettings({ timeoutMs, retries: 0, pins: {}, expectations }),
      }));
      writer = new ResultWriter(path.join(outDir, 'results.jsonl'), false);
    });

    after(async () => {
      writer?.close();
      lock?.release();
      await slot?.backend.close();
    });

    for (const { spec, groups } of bySpec) {
      describe(`${spec.id} / ${t.product}`, () => {
        for (const [group, list] of groups) {
          describe(group, () => {
            for (const c of list) {
              it(c.id, async function () {
                const r = await runCase(ctx, slot, c);
                writer.write(r);
                if (r.outcome.status === 'skip') this.skip();
                const line = failureLine(r);
                if (line) throw new Error(line);
              });
            }
          });
        }
      });
    }
  });
}
