/**
 * A backend that ignores any input its numeric path uses is caught by the smoke profile.
 *
 * For every spec in specs/, every numeric path its `numerics` names that has cases the kernel must
 * compute (the doc accepts them, or a divergence says the library does), and every input the path
 * `uses` (harness/numerics.ts): an in-process backend computes the reference's own answer with that one
 * input ignored (x1 and the weight as zeros, scale and pertoken_scale as ones, offset and bias as zeros,
 * a packed int64 scale re-packed from the ignored parts), and the smoke cases that pass the input are run
 * through the runner and judge until one ends unexpectedly. A pair no smoke case catches fails the test,
 * and so does a catching case that the same backend ignoring nothing does not pass (the kill must come
 * from the ignored input, not from the test's own backend).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Backend, BackendRun, DeviceInfo } from '../../harness/backends/types';
import { numel, zeros, type CaseInputs, type Tensor } from '../../harness/data/tensor';
import type { Column } from '../../harness/dtypes';
import { expandCases } from '../../harness/expand';
import type { Case } from '../../harness/expand/case';
import { NUMERIC_PATHS, type PathId } from '../../harness/numerics';
import { packageRoot } from '../../harness/paths';
import { computeReference } from '../../harness/reference/reference';
import { twinImpl } from '../../harness/reference/twin';
import { referenceOptionsFor } from '../../harness/run/reference-options';
import { runCase, type CaseRunContext, type Slot } from '../../harness/run/runner';
import { chooseReference } from '../../harness/run/setup';
import { loadSpec } from '../../harness/spec/load';
import type { Spec } from '../../harness/spec/types';

type Ignorable = Column & keyof Omit<CaseInputs, 'scaleSource'>;

/** The input's values as a kernel that ignores it would see them. */
function neutral(t: Tensor, one: boolean): Tensor {
  const out = zeros(t.dtype, [...t.shape]);
  if (t.packing) out.packing = t.packing;
  if (!one) return out;
  if (t.dtype === 'float32') (out.data as Float32Array).fill(1);
  else if (t.dtype === 'float16') (out.data as Uint16Array).fill(0x3c00);
  else if (t.dtype === 'bfloat16') (out.data as Uint16Array).fill(0x3f80);
  else throw new Error(`input-ignored: no 'one' for ${t.dtype}`);
  return out;
}

/**
 * The case's inputs with `name` ignored. An int64 scale is packed from an fp32 scale and (for int8
 * output) the offset: ignoring either re-packs it from the other, as a kernel that drops it would read it.
 */
function ignoring(c: Case, inputs: CaseInputs, name: Ignorable): CaseInputs {
  const out: CaseInputs = { ...inputs };
  const t = inputs[name];
  if (!t) throw new Error(`input-ignored: case ${c.id} has no ${name}`);
  const packed = inputs.scale.dtype === 'int64' && inputs.scaleSource;
  if (name === 'scale' && packed) {
    const ones = new Float32Array(numel(inputs.scale.shape)).fill(1);
    const off = inputs.scaleSource!.offset ? Float32Array.from(inputs.scaleSource!.offset.data as Float32Array) : null;
    out.scale = { ...inputs.scale, data: twinImpl.transQuantParam(ones, off, c.call.scaleBuild?.roundMode ?? 0) };
    return out;
  }
  out[name] = neutral(t, name === 'scale' || name === 'pertoken_scale');
  if (name === 'offset' && packed && inputs.scaleSource!.offset) {
    const src = inputs.scaleSource!;
    const zero = new Float32Array(numel(src.offset!.shape));
    out.scale = { ...inputs.scale, data: twinImpl.transQuantParam(src.scale.data as Float32Array, zero, c.call.scaleBuild?.roundMode ?? 0) };
  }
  return out;
}

/** A backend that returns the reference's primary answer computed with one input ignored (null: none). */
function ignoringBackend(spec: Spec, name: Ignorable | null): Backend {
  let info: DeviceInfo;
  const label = `ignores-${name ?? 'nothing'}`;
  return {
    name: label,
    async open() {
      info = { backend: label, product: null, socName: null, device: 'cpu', simulated: true, versions: {}, enforcesContract: false, notes: [] };
      return info;
    },
    async run(c: Case, inputs: CaseInputs): Promise<BackendRun> {
      const product = spec.products.find((p) => p.id === c.product)!;
      const ref = computeReference({ ...c, groupSizes: c.call.groupSizes }, name === null ? inputs : ignoring(c, inputs, name),
        referenceOptionsFor(product, info, {}), REF);
      return { status: 'ok', output: ref.expected };
    },
    async close() { /* nothing held */ },
  };
}

/** Cases whose values are judged: the doc accepts them, or the library does by a divergence. */
function computed(c: Case): boolean {
  return c.divergence ? c.divergence.library === 'accept' : c.expect === 'accept';
}

/** The reference the runner would choose (native where built, else the twin). */
const REF = chooseReference(undefined).impl;

/** Runs one case on the backend through the runner and judge, as a run would; true when it ends as expected. */
async function asExpected(spec: Spec, backend: Backend, c: Case): Promise<boolean> {
  const info = await backend.open({});
  const slot: Slot = { backend, info };
  const product = spec.products.find((q) => q.id === c.product)!;
  const ctx: CaseRunContext = {
    specs: [spec], timeoutMs: 60_000, retries: 0, reference: REF,
    referenceOptionsOf: () => referenceOptionsFor(product, info, {}), expectations: [], replay: (x) => x.id,
  };
  return (await runCase(ctx, slot, c)).asExpected;
}

const SPEC_FILES = fs.readdirSync(path.join(packageRoot(), 'specs')).filter((f) => f.endsWith('.yml')).sort();

describe('a backend that ignores an input its numeric path uses', function () {
  this.timeout(120_000);
  for (const file of SPEC_FILES) {
    it(`is caught by the smoke profile of specs/${file}, for every path and every input it uses`, async () => {
      const spec = loadSpec(path.join(packageRoot(), 'specs', file));
      const cases = expandCases(spec, { profile: 'smoke', seed: 0 })
        .filter((c) => computed(c) && c.path !== null && !c.tags.includes('undefined-input') && c.call.mode === 'eager' && c.repeat === 1)
        .sort((a, b) => a.bytes - b.bytes);
      const paths = [...new Set(spec.numerics.map((n) => n.path as PathId))].filter((p) => cases.some((c) => c.path === p));
      assert.ok(paths.length > 0, `specs/${file}: no numeric path has a computed smoke case`);
      const missed: string[] = [];
      for (const p of paths) {
        for (const name of NUMERIC_PATHS[p].uses as readonly Ignorable[]) {
          const candidates = cases.filter((c) => c.path === p && c.dtypes[name] !== null);
          if (!candidates.length) {
            missed.push(`${p}/${name}: no smoke case passes ${name}`);
            continue;
          }
          let caught = false;
          for (const c of candidates) {
            if (!(await asExpected(spec, ignoringBackend(spec, name), c))) {
              caught = true;
              if (!(await asExpected(spec, ignoringBackend(spec, null), c))) missed.push(`${p}/${name}: ${c.id} fails even with no input ignored`);
              break;
            }
          }
          if (!caught) missed.push(`${p}/${name}: ${candidates.length} smoke case(s), none fails`);
        }
      }
      assert.deepEqual(missed, [], `specs/${file}: ignoring these inputs goes unnoticed:\n  ${missed.join('\n  ')}`);
    });
  }
});
