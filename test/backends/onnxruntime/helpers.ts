/**
 * Test support for the onnxruntime backend: Case records shaped like the expansion's, seeded random
 * inputs per path, and the bit-for-bit comparison against the TypeScript twin reference.
 */
import * as assert from 'node:assert/strict';
import type { Case } from '../../../harness/expand/case';
import { numel, type CaseInputs, type Tensor } from '../../../harness/data/tensor';
import { hashSeed, mulberry32, type Random } from '../../../harness/data/random';
import { computeReference } from '../../../harness/reference/reference';
import { getReferenceImpl } from '../../../harness/reference/index';
import type { ReferenceOutput } from '../../../harness/reference/types';
import type { BackendRun } from '../../../harness/backends/types';
import { OnnxRuntimeBackend } from '../../../harness/backends/onnxruntime';
import type { AFeed } from '../../../harness/backends/onnxruntime/model';
import { probeFeed } from '../../../harness/backends/onnxruntime/probe';

/** Every way of feeding MatMulInteger; the suites run once per feed that is exact on this host. */
export const FEEDS: readonly AFeed[] = ['uint8', 'uint8-split', 'int8'];

/**
 * A describe block per feed with a backend opened on it; the block is skipped (with the probe's finding
 * in its title's log) when the feed is not exact on this host, e.g. plain uint8 without VNNI.
 */
export function describePerFeed(title: string, body: (backend: OnnxRuntimeBackend) => void): void {
  for (const feed of FEEDS) {
    describe(`${title} [feed ${feed}]`, function () {
      this.timeout(120_000);
      const backend = new OnnxRuntimeBackend();
      before(async function () {
        const wrong = await probeFeed(feed, { intraOpThreads: 1 });
        if (wrong !== null) {
          console.log(`      (skipped: ${wrong})`);
          this.skip();
        }
        await backend.open({ options: { aFeed: feed } });
      });
      after(async () => { await backend.close(); });
      body(backend);
    });
  }
}

export { makeCase, type CaseSpec } from '../../helpers/make-case';

/** A seeded generator for one test, from its name (replayable). */
export function rngFor(name: string): Random {
  return mulberry32(hashSeed(20261201, name));
}

export function int8(r: Random, shape: number[], lo = -128, hi = 127): Tensor {
  const data = new Int8Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + Math.floor(r() * (hi - lo + 1));
  return { dtype: 'int8', shape, data };
}

export function int32(r: Random, shape: number[], lo: number, hi: number): Tensor {
  const data = new Int32Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + Math.floor(r() * (hi - lo + 1));
  return { dtype: 'int32', shape, data };
}

/** fp32 values m * 2^e with a random 24-bit mantissa (so fp19 truncation and every rounding matter). */
export function f32(r: Random, shape: number[], minExp: number, maxExp: number, signed = true): Tensor {
  const data = new Float32Array(numel(shape));
  for (let i = 0; i < data.length; i++) {
    const e = minExp + Math.floor(r() * (maxExp - minExp + 1));
    const sign = signed && r() < 0.5 ? -1 : 1;
    data[i] = sign * (1 + Math.floor(r() * 2 ** 23) / 2 ** 23) * 2 ** e;
  }
  return { dtype: 'float32', shape, data };
}

export function f32Of(shape: number[], values: number[]): Tensor {
  return { dtype: 'float32', shape, data: Float32Array.from(values) };
}

/** Any bit pattern of a finite fp16 / bf16 value within an exponent range, as a bias would be. */
export function halfBits(r: Random, dtype: 'float16' | 'bfloat16', shape: number[]): Tensor {
  const data = new Uint16Array(numel(shape));
  for (let i = 0; i < data.length; i++) {
    // fp16: exponent field 1..29 (2^-14 .. 2^14); bf16: exponent field 112..142 (2^-15 .. 2^15)
    const [lo, hi, shift, mant] = dtype === 'float16' ? [1, 29, 10, 0x3ff] : [112, 142, 7, 0x7f];
    const e = lo + Math.floor(r() * (hi - lo + 1));
    data[i] = (r() < 0.5 ? 0x8000 : 0) | (e << shift) | Math.floor(r() * (mant + 1));
  }
  return { dtype, shape, data };
}

/** bf16 bit patterns of fp32 values (truncating: test data only). */
export function bf16Of(t: Tensor): Tensor {
  const f = t.data as Float32Array;
  const u = new Uint32Array(f.buffer, f.byteOffset, f.length);
  return { dtype: 'bfloat16', shape: t.shape, data: Uint16Array.from(u, (w) => w >>> 16) };
}

/** Inputs with the given parts; absent parts null. */
export function inputs(parts: Partial<CaseInputs> & Pick<CaseInputs, 'x1' | 'weight' | 'scale'>): CaseInputs {
  return { offset: null, bias: null, pertoken_scale: null, ...parts };
}

/** The twin's answer with the primary behaviours this backend's graph implements. */
export function twinReference(c: Case, ins: CaseInputs): ReferenceOutput {
  return computeReference(c, ins, { fp16Overflow: 'either', bf16ScaleTruncation: false }, getReferenceImpl('twin'));
}

/** Asserts the run is ok and bit-identical to the primary answer; on failure says which alternative fits. */
export function assertMatchesTwin(run: BackendRun, c: Case, ins: CaseInputs): ReferenceOutput {
  assert.equal(run.status, 'ok', JSON.stringify(run));
  if (run.status !== 'ok') throw new Error('unreachable');
  const ref = twinReference(c, ins);
  assert.equal(run.output.dtype, ref.expected.dtype);
  assert.deepEqual(run.output.shape, ref.shape);
  const got = run.output.data;
  const want = ref.expected.data;
  const diffs: number[] = [];
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) diffs.push(i);
  if (diffs.length > 0) {
    const explained = ref.alternatives.filter((a) => diffs.every((i) => a.values.data[i] === got[i])).map((a) => a.kind);
    const show = diffs.slice(0, 5).map((i) => `[${i}] got ${got[i]} want ${want[i]} acc ${ref.acc[i]} ideal ${ref.ideal[i]}`);
    assert.fail(`${diffs.length} of ${want.length} elements differ from the twin's primary answer ` +
      `(alternatives matching all of them: ${explained.join(', ') || 'none'}): ${show.join('; ')}`);
  }
  return ref;
}

/** How many elements of the reference's answer hit a given predicate (tests assert their data reach the corners). */
export function countWhere(t: Tensor, pred: (v: number) => boolean): number {
  let count = 0;
  for (const v of Array.from(t.data as ArrayLike<number>)) if (pred(v)) count++;
  return count;
}

export function noAbort(): AbortSignal {
  return new AbortController().signal;
}
