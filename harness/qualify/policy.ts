import type { DeviceInfo } from '../backends/types';

/** Version of the strict policy: stamped into verdict.json so a later reader knows the rules applied. */
export const STRICT_POLICY_VERSION = 1;

/**
 * The strict policy of a qualification: CI's conveniences are off, because a
 * qualification must say what the kernel did on the first try, with nothing explained away.
 */
export interface QualifyPolicy {
  name: 'strict';
  version: typeof STRICT_POLICY_VERSION;
  /** No re-runs; a case that needs one is not qualified */
  retries: 0;
  /** expectation files are per-backend CI baselines, never a waiver for a qualification */
  expectations: 'ignored';
  /** always the full profile */
  profile: 'full';
  /** Only with --allow-simulated, and then the bundle is stamped as not a qualification */
  allowSimulated: boolean;
}

export function strictPolicy(allowSimulated: boolean): QualifyPolicy {
  return { name: 'strict', version: STRICT_POLICY_VERSION, retries: 0, expectations: 'ignored', profile: 'full', allowSimulated };
}

/** The only backend that runs the shipped kernel on a real device. */
export const QUALIFYING_BACKEND = 'torch-npu';

/**
 * Why a backend is refused by its name alone, before anything is opened; null for torch-npu, whose
 * device must still be checked with {@link refusalForDevices} once it is open (it may be the stand-in).
 */
export function refusalByName(backend: string): string | null {
  if (backend === QUALIFYING_BACKEND) return null;
  if (backend === 'onnxruntime') {
    return 'backend onnxruntime is simulated: it runs an int8 matmul on the host CPU, not the shipped kernel on an Ascend NPU';
  }
  return `backend ${backend} is a plugin: it is not torch_npu on a real Ascend NPU, so its results are simulated`;
}

/**
 * Why opened devices are refused: any device that says it is simulated (DeviceInfo.simulated), with the
 * backend's own words where it gives them (the torch_npu stand-in says so in its notes). Null when every
 * device is real.
 */
export function refusalForDevices(devices: DeviceInfo[]): string | null {
  const simulated = devices.filter((d) => d.simulated);
  if (simulated.length === 0) return null;
  const d = simulated[0]!;
  const standin = d.notes.find((n) => /stand-in/i.test(n));
  const why = standin ?? `${d.backend} reports DeviceInfo.simulated for ${d.device}`;
  return `backend ${d.backend} is simulated on ${simulated.map((s) => s.device).join(', ')}: ${why}`;
}

/**
 * Why the devices do not match the product to qualify: every device must report that product itself
 * (a forced --product is not evidence of the hardware). Null when they all do.
 */
export function productMismatch(devices: DeviceInfo[], product: string): string | null {
  const wrong = devices.filter((d) => d.product !== product);
  if (wrong.length === 0) return null;
  return wrong.map((d) => `${d.device} (${d.socName ?? 'unknown SoC'}) reports product ${d.product ?? 'none'}, not ${product}`).join('; ');
}

/**
 * Whether a run's evidence is simulated: run.json says so, any device or record does, or the backend is
 * not torch-npu at all. Writer and verifier both use this, so a bundle cannot be stamped otherwise.
 */
export function evidenceSimulated(env: { backend: string; simulated: boolean; devices: Array<{ simulated: boolean }> }, records: Array<{ simulated: boolean; backend: string }>): boolean {
  return env.simulated || env.backend !== QUALIFYING_BACKEND || env.devices.some((d) => d.simulated)
    || records.some((r) => r.simulated || r.backend !== QUALIFYING_BACKEND);
}
