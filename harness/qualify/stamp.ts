import type { RunEnvironment } from '../run/environment';

/**
 * The environment a verdict holds for: what a release engineer quotes when handing the
 * bundle over. Every field is present; null where the backend does not report it (onnxruntime has no
 * driver or CANN), so a missing value is visible rather than absent.
 */
export interface EnvironmentStamp {
  product: string;
  profile: string;
  seed: number;
  backend: string;
  /** SoC names of the devices, one per device (they usually agree) */
  socName: string | null;
  devices: Array<{ device: string; socName: string | null; simulated: boolean }>;
  driver: string | null;
  cann: string | null;
  torch: string | null;
  torch_npu: string | null;
  python: string | null;
  specFile: string;
  specHash: string;
  harnessVersion: string;
  node: string;
  reference: string;
  startedAt: string;
  finishedAt: string | null;
}

/** Builds the stamp from run.json's environment; versions come from the first device (all run one stack). */
export function stampEnvironment(env: RunEnvironment): EnvironmentStamp {
  const first = env.devices[0];
  const v = (key: string): string | null => first?.versions[key] ?? null;
  return {
    product: env.product, profile: env.profile, seed: env.seed, backend: env.backend,
    socName: first?.socName ?? null,
    devices: env.devices.map((d) => ({ device: d.device, socName: d.socName, simulated: d.simulated })),
    driver: v('driver'), cann: v('cann'), torch: v('torch'), torch_npu: v('torch_npu'), python: v('python'),
    specFile: env.spec.file, specHash: env.spec.hash, harnessVersion: env.harness.version, node: env.harness.node,
    reference: env.reference.engine ? `${env.reference.impl} (${env.reference.engine})` : env.reference.impl,
    startedAt: env.startedAt, finishedAt: env.finishedAt,
  };
}

