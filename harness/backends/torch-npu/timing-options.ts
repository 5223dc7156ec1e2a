import type { Case } from '../../expand/case';

/**
 * When the worker measures device timings, and how. The Backend interface has no timing
 * parameter, so the runner says it through `OpenOptions.options` (`--backend-opt key=value`):
 *   timing=perf|always|never   which cases are timed (default `perf`: cases tagged `perf`)
 *   timingWarmup=N             untimed calls first (default 5)
 *   timingRepeats=N            timed calls (default 20)
 *   floatBaseline=true|false   also time an fp16 torch.matmul of the same shape (default true)
 */
export interface TimingRequest {
  warmup: number;
  repeats: number;
  floatBaseline: boolean;
}

export interface TimingPolicy {
  when: 'perf' | 'always' | 'never';
  request: TimingRequest;
}

function positiveInt(options: Record<string, string>, key: string, fallback: number, min: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`torch-npu: ${key}=${raw} is not an integer >= ${min}`);
  return value;
}

/** Reads the policy from the open options; throws on a malformed value rather than guessing. */
export function timingPolicy(options: Record<string, string> = {}): TimingPolicy {
  const when = options.timing ?? 'perf';
  if (when !== 'perf' && when !== 'always' && when !== 'never') {
    throw new Error(`torch-npu: timing=${when}; expected perf, always or never`);
  }
  const baseline = options.floatBaseline ?? 'true';
  if (baseline !== 'true' && baseline !== 'false') throw new Error(`torch-npu: floatBaseline=${baseline}`);
  return {
    when,
    request: {
      warmup: positiveInt(options, 'timingWarmup', 5, 0),
      repeats: positiveInt(options, 'timingRepeats', 20, 1),
      floatBaseline: baseline === 'true',
    },
  };
}

/** The timing request for one case, or null when it is not timed. */
export function timingFor(c: Case, policy: TimingPolicy): TimingRequest | null {
  if (policy.when === 'never') return null;
  if (policy.when === 'perf' && !c.tags.includes('perf')) return null;
  return policy.request;
}
