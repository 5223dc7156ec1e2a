import * as path from 'node:path';
import type { Tensor } from '../../../harness/data/tensor';

/** Debian's python3-torch interpreter (python3 on PATH is often a pyenv shim without torch); the setup script installs it. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Repository root, from dist/test/backends/torch-npu. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const STANDIN_PATH = path.join(REPO_ROOT, 'test', 'fixtures', 'torch_npu_standin');

/** The worker's environment with the stand-in on PYTHONPATH; extra variables override. */
export function standinEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: STANDIN_PATH, ...extra };
  delete env.A8W8_PYTHON;
  if (!('A8W8_STANDIN_FAULT' in extra)) delete env.A8W8_STANDIN_FAULT;
  if (!('A8W8_STANDIN_SOC' in extra)) delete env.A8W8_STANDIN_SOC;
  return env;
}

/** Deterministic PRNG for test data (the harness's own mulberry32). */
export { mulberry32 as rng } from '../../../harness/data/random';

export function randInt8(shape: number[], rand: () => number, lo = -8, hi = 8): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Int8Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + Math.floor(rand() * (hi - lo + 1));
  return { dtype: 'int8', shape, data };
}

export function f32(shape: number[], values: number[]): Tensor {
  return { dtype: 'float32', shape, data: Float32Array.from(values) };
}

export function i32(shape: number[], values: number[]): Tensor {
  return { dtype: 'int32', shape, data: Int32Array.from(values) };
}

/** bf16 bit pattern of a value exactly representable in bf16 (the test data only uses such values). */
export function bf16(shape: number[], values: number[]): Tensor {
  const f = Float32Array.from(values);
  const u = new Uint32Array(f.buffer);
  const data = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if ((u[i]! & 0xffff) !== 0) throw new Error(`${values[i]} is not exact in bf16`);
    data[i] = u[i]! >>> 16;
  }
  return { dtype: 'bfloat16', shape, data };
}

/** Decodes an output tensor to numbers (fp16 and bf16 from their bit patterns). */
export function values(t: Tensor): number[] {
  if (t.dtype === 'float16') return Array.from(t.data as Uint16Array, halfToNumber);
  if (t.dtype === 'bfloat16') {
    const u = Uint32Array.from(t.data as Uint16Array, (b) => b << 16);
    return Array.from(new Float32Array(u.buffer));
  }
  return Array.from(t.data as ArrayLike<number>, Number);
}

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Round half to even of an exactly known double. */
export function rne(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** fp16 RNE of an exactly known double (overflow to inf), as a number. */
export function toHalf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.max(Math.floor(Math.log2(Math.abs(x))), -14);
  const ulp = 2 ** (e - 10);
  const r = rne(x / ulp) * ulp;
  return Math.abs(r) >= 65520 ? Math.sign(r) * Infinity : r;
}

/** bf16 RNE of an exactly known double within fp32 range, as a number. */
export function toBf16(x: number): number {
  if (x === 0) return x;
  const ulp = 2 ** (Math.floor(Math.log2(Math.abs(x))) - 7);
  return rne(x / ulp) * ulp;
}

/** x1 (m,k) @ weight(n,k)^T exactly, row-major (m,n). */
export function matmulNT(x1: Tensor, weight: Tensor): number[] {
  const [m, k] = x1.shape as [number, number];
  const n = weight.shape[0]!;
  const a = x1.data as Int8Array;
  const w = weight.data as Int8Array;
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * w[j * k + p]!;
      out.push(s);
    }
  }
  return out;
}

export { makeCase, type CaseSpec } from '../../helpers/make-case';

/** Never-aborting signal for runs that do not test aborts. */
export function noAbort(): AbortSignal {
  return new AbortController().signal;
}
