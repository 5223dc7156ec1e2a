/**
 * Backend options from `--backend-opt key=value` (OpenOptions.options). Timing keys match the torch-npu
 * backend's, so one command line times either:
 *   timing=perf|always|never   which cases are timed (default perf: cases tagged `perf`)
 *   timingWarmup=N             untimed runs first (default 5)
 *   timingRepeats=N            timed runs (default 20)
 *   floatBaseline=true|false   also time an fp32 MatMul of the same shape (the float comparison of docs/glossary.md; default true)
 *   threads=N                  ORT intra-op threads per session (default 1)
 *   aFeed=auto|uint8|uint8-split|int8   how x1 and the weight reach MatMulInteger (default auto: probe.ts)
 * A malformed value throws: guessing would silently time or compute something else.
 */
import type { AFeed } from './model';

export interface OrtOptions {
  timing: 'perf' | 'always' | 'never';
  warmup: number;
  repeats: number;
  floatBaseline: boolean;
  threads: number;
  aFeed: AFeed | 'auto';
}

function integer(options: Record<string, string>, key: string, fallback: number, min: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`onnxruntime: ${key}=${raw} is not an integer >= ${min}`);
  return value;
}

function oneOf<T extends string>(options: Record<string, string>, key: string, allowed: readonly T[], fallback: T): T {
  const raw = options[key] ?? fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`onnxruntime: ${key}=${raw}; expected ${allowed.join(', ')}`);
  return raw as T;
}

const KNOWN = ['timing', 'timingWarmup', 'timingRepeats', 'floatBaseline', 'threads', 'aFeed', 'product'];

export function parseOptions(options: Record<string, string> = {}): OrtOptions {
  const unknown = Object.keys(options).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new Error(`onnxruntime: unknown option ${unknown.join(', ')}; known: ${KNOWN.join(', ')}`);
  return {
    timing: oneOf(options, 'timing', ['perf', 'always', 'never'], 'perf'),
    warmup: integer(options, 'timingWarmup', 5, 0),
    repeats: integer(options, 'timingRepeats', 20, 1),
    floatBaseline: oneOf(options, 'floatBaseline', ['true', 'false'], 'true') === 'true',
    threads: integer(options, 'threads', 1, 1),
    aFeed: oneOf(options, 'aFeed', ['auto', 'uint8', 'uint8-split', 'int8'], 'auto'),
  };
}
