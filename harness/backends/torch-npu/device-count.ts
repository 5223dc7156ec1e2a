import { execFile } from 'node:child_process';
import { resolveInterpreter } from './interpreter';

/** Asks torch_npu, not the driver: it counts what this process may use (ASCEND_RT_VISIBLE_DEVICES applied). */
const COUNT = 'import torch, torch_npu\nprint(int(torch.npu.device_count()))';

/**
 * The NPUs the worker's interpreter sees (`torch.npu.device_count()`), for `--devices all`: one worker
 * each. Throws, saying why, when the interpreter cannot import torch_npu or answers something else.
 */
export async function npuDeviceCount(env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<number> {
  const { python } = await resolveInterpreter({ env });
  return new Promise((resolve, reject) => {
    execFile(python, ['-c', COUNT], { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${python} cannot count the NPUs: ${String(stderr).trim().split('\n').pop() || err.message}`));
      const last = String(stdout).trim().split('\n').pop() ?? '';
      const n = Number(last);
      if (!/^\d+$/.test(last) || !Number.isSafeInteger(n)) return reject(new Error(`${python}: torch.npu.device_count() printed '${last.slice(0, 80)}'`));
      resolve(n);
    });
  });
}
