import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { createBackend as createTorchNpu } from '../../harness/backends/torch-npu';
import { productForSoc } from '../../harness/backends/torch-npu/soc-names';
import { backendFactory } from '../../harness/backends';
import { STANDIN_PATH, SYSTEM_PYTHON, standinEnv } from '../backends/torch-npu/helpers';
import { defineConformance } from './suite';

/**
 * The conformance suite generated from the spec, against:
 * - the detected backend (A8W8_BACKEND overrides): the real NPU on an Ascend host, onnxruntime elsewhere;
 * - the torch-npu worker on the stand-in torch_npu (simulated), for an A2 and a 310P SoC, wherever
 *   Debian's python3-torch is installed (the setup script installs it; a test in backends/torch-npu
 *   fails when it is missing).
 */
function detected(): { name: string; product: string } {
  if (process.env.A8W8_BACKEND) return { name: process.env.A8W8_BACKEND, product: process.env.A8W8_PRODUCT ?? 'atlas-a2' };
  for (const python of [process.env.A8W8_PYTHON, 'python3', SYSTEM_PYTHON].filter((p): p is string => !!p)) {
    const probe = spawnSync(python, ['-c', 'import torch, torch_npu; assert torch.npu.is_available(); print(torch_npu.npu.get_device_name())'],
      { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return { name: 'torch-npu', product: process.env.A8W8_PRODUCT ?? productForSoc(probe.stdout.trim()) };
  }
  return { name: 'onnxruntime', product: process.env.A8W8_PRODUCT ?? 'atlas-a2' };
}

/** Simulated backends time perf cases with few repeats: their timings only prove the plumbing. */
const QUICK_TIMING = { timingWarmup: '1', timingRepeats: '3' };

const target = detected();
defineConformance({
  label: target.name, backend: target.name, product: target.product, create: backendFactory(target.name),
  ...(target.name === 'torch-npu' ? {} : { options: QUICK_TIMING }),
});

// The A2 stand-in runs here; the Atlas inference series' (310P3) suite is the same code on the other
// family and runs in `npm run test:integration` (test/integration/conformance-310p.test.ts), to keep
// `npm test` under five minutes as the specs grow.
if (fs.existsSync(SYSTEM_PYTHON) && fs.existsSync(STANDIN_PATH)) {
  for (const [soc, product] of [['Ascend910B2', 'atlas-a2']] as const) {
    defineConformance({
      label: `torch-npu-standin-${product}`, backend: 'torch-npu', product, timeoutMs: 60_000, options: QUICK_TIMING,
      create: () => createTorchNpu({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_SOC: soc }) }),
    });
  }
}
