/**
 * Memory planning per case: an estimate of the bytes one case holds at its peak (its inputs, the
 * backend's output, the reference's working set and the backend's copies), computed from the recipe
 * alone, and a budget it must fit. A case over the budget is skipped with the reason before anything is
 * allocated, instead of taking the whole run down with an out-of-memory abort.
 */
import { constants as bufferConstants } from 'buffer';
import * as os from 'os';
import { DTYPE_BYTES, type CellValue } from '../dtypes';
import { ErrorCode, HarnessError } from '../errors';
import type { Case } from '../expand/case';
import { outputShapeOf } from '../expand/shapes';
import type { Spec } from '../spec/types';
import { distributionOf, generateInputs, GENERATION_CHUNK } from './generate';
import { holdsWholeTensor } from './generators';
import { numel, type CaseInputs } from './tensor';

/** The environment variable that sets the per-case memory budget. */
export const MEMORY_BUDGET_ENV = 'A8W8_MEMORY_BUDGET';

/** Without A8W8_MEMORY_BUDGET a case may use this fraction of the host's memory. */
export const DEFAULT_BUDGET_FRACTION = 0.5;

/**
 * Copies of x1 and the weight a backend may hold besides the harness's own: a transposed weight and
 * the two halves of a split weight (onnxruntime), or the request frame and the worker's arrays
 * (torch-npu, whose Python process shares the host's memory).
 */
export const BACKEND_INPUT_COPIES = 3;

/**
 * Output-sized arrays the reference keeps at once besides the accumulator: the primary answer, up to
 * three alternatives, and acc + bias; each counted at 4 bytes an element, the widest output dtype.
 */
const REFERENCE_OUTPUT_ARRAYS = 5;

/** Bytes of one case's arrays, by who holds them. */
export interface MemoryEstimate {
  /** the generated inputs in their dtypes, with an int64 scale's fp32 source */
  inputs: number;
  /** generation scratch: one chunk, the float64 values of the per-channel tensors, generators that hold a tensor whole */
  generation: number;
  /** the backend's output and the harness's copy of it, for every repeat */
  output: number;
  /** the accumulator, the epilogue answers, the float64 ideal, and the GEMM engine's copy of x1 and the weight */
  reference: number;
  /** the backend's copies of x1 and the weight, and an fp32 copy of both for a timed float baseline (perf cases) */
  backend: number;
  total: number;
  /** the largest single array of inputs, output or reference, which one typed array must hold */
  largestArray: number;
}

const bytesOf = (shape: number[] | null, dtype: CellValue): number =>
  shape === null || dtype === null ? 0 : numel(shape) * DTYPE_BYTES[dtype];

/** The estimate for one case, from its recipe only (nothing is generated). */
export function estimateCaseMemory(spec: Spec, c: Case): MemoryEstimate {
  const { shapes: s, dtypes: d } = c;
  const dist = distributionOf(spec, c);
  const x1 = bytesOf(s.x1, d.x1), weight = bytesOf(s.weight, d.weight);
  const scaleSource = d.scale === 'int64' ? 4 * numel(s.scale) + (s.offset ? 4 * numel(s.offset) : 0) : 0;
  const params = [bytesOf(s.scale, d.scale), bytesOf(s.offset, d.offset && 'float32'),
    bytesOf(s.bias, d.bias), bytesOf(s.pertoken_scale, d.pertoken_scale && 'float32')];
  const inputs = x1 + weight + scaleSource + params.reduce((a, b) => a + b, 0);

  // small tensors go through float64, float32 and a rounded copy before their dtype
  const smallCount = [s.scale, s.offset, s.bias, s.pertoken_scale].reduce((a, t) => a + (t ? numel(t) : 0), 0);
  const whole = ([[dist.x1, s.x1], [dist.weight, s.weight]] as const)
    .reduce((a, [g, shape]) => a + (holdsWholeTensor(g) ? 8 * numel(shape) : 0), 0);
  const generation = 12 * GENERATION_CHUNK + 24 * smallCount + whole;

  const outCount = numel(outputShapeOf(s).map((x) => Math.max(x, 0)));
  const outElement = DTYPE_BYTES[d.output_dtype ?? 'int8'];
  const output = 2 * outCount * outElement * Math.max(c.repeat, 1);
  const reference = outCount * (4 + 8 + 4 * REFERENCE_OUTPUT_ARRAYS) + x1 + weight;
  const baseline = c.tags.includes('perf') ? 4 * (numel(s.x1) + numel(s.weight)) : 0;
  const backend = BACKEND_INPUT_COPIES * (x1 + weight) + baseline;

  const largestArray = Math.max(x1, weight, ...params, outCount * 8);
  return { inputs, generation, output, reference, backend, total: inputs + generation + output + reference + backend, largestArray };
}

/** The per-case memory budget and where it came from. */
export interface MemoryBudget {
  bytes: number;
  /** e.g. "50% of 23.4 GiB host memory" or "A8W8_MEMORY_BUDGET=8GiB" */
  source: string;
}

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * The budget: A8W8_MEMORY_BUDGET as bytes with an optional binary unit (`12GiB`, `800M`, `1073741824`)
 * or a percentage of the host's memory (`75%`); otherwise DEFAULT_BUDGET_FRACTION of os.totalmem().
 * A malformed value is an error (a silently ignored limit is worse than none).
 */
export function memoryBudget(env: NodeJS.ProcessEnv = process.env, totalmem: number = os.totalmem()): MemoryBudget {
  const raw = env[MEMORY_BUDGET_ENV];
  if (raw === undefined || raw.trim() === '') {
    return { bytes: Math.floor(DEFAULT_BUDGET_FRACTION * totalmem), source: `${DEFAULT_BUDGET_FRACTION * 100}% of ${formatBytes(totalmem)} host memory` };
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(%)|([kmgt]?)(?:i?b)?)\s*$/i.exec(raw);
  const value = m ? Number(m[1]) : NaN;
  const bytes = m?.[2] ? Math.floor((value / 100) * totalmem) : Math.floor(value * (UNITS[(m?.[3] ?? '').toLowerCase()] ?? NaN));
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT,
      `${MEMORY_BUDGET_ENV}=${JSON.stringify(raw)}: expected a positive size with an optional binary unit (12GiB, 800M) or a percentage of host memory (75%)`);
  }
  return { bytes, source: `${MEMORY_BUDGET_ENV}=${raw.trim()}` };
}

/** Why the case cannot run within the budget, or null when it fits. */
export function overBudget(e: MemoryEstimate, budget: MemoryBudget): string | null {
  if (e.largestArray > bufferConstants.MAX_LENGTH) {
    return `memory: one array of the case needs ${formatBytes(e.largestArray)}, over the ${formatBytes(bufferConstants.MAX_LENGTH)} a typed array can hold`;
  }
  if (e.total <= budget.bytes) return null;
  const parts = (['inputs', 'generation', 'output', 'reference', 'backend'] as const).map((k) => `${k} ${formatBytes(e[k])}`);
  return `memory: the case needs an estimated ${formatBytes(e.total)} (${parts.join(', ')}), over the budget of `
    + `${formatBytes(budget.bytes)} (${budget.source}; set ${MEMORY_BUDGET_ENV} to change it)`;
}

/** A case's inputs, or the reason it is skipped. */
export type GeneratedInputs = { status: 'ok'; inputs: CaseInputs } | { status: 'skip'; reason: string };

/** Generates the case's inputs if its estimate fits the budget; decided before anything is allocated. */
export function generateWithinBudget(spec: Spec, c: Case, budget: MemoryBudget = memoryBudget()): GeneratedInputs {
  const reason = overBudget(estimateCaseMemory(spec, c), budget);
  return reason === null ? { status: 'ok', inputs: generateInputs(spec, c) } : { status: 'skip', reason };
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}
