import * as fs from 'fs';
import { createBackend as createTorchNpu } from '../../harness/backends/torch-npu';
import { STANDIN_PATH, SYSTEM_PYTHON, standinEnv } from '../backends/torch-npu/helpers';
import { defineConformance } from '../conformance/suite';

/**
 * The conformance suite of every spec on the torch-npu worker with the stand-in torch_npu posing as an
 * Atlas inference series SoC (Ascend310P3): the 310P tables, no pertoken, no int4, saturating fp16.
 * `npm test` runs the same suite for an A2 SoC; this one is slow enough to live with the integration tests.
 */
if (fs.existsSync(SYSTEM_PYTHON) && fs.existsSync(STANDIN_PATH)) {
  defineConformance({
    label: 'torch-npu-standin-atlas-inference', backend: 'torch-npu', product: 'atlas-inference', timeoutMs: 60_000,
    options: { timingWarmup: '1', timingRepeats: '3' },
    create: () => createTorchNpu({ python: SYSTEM_PYTHON, env: standinEnv({ A8W8_STANDIN_SOC: 'Ascend310P3' }) }),
  });
}
