/** What DeviceInfo says about this host and library: the CPU model and the onnxruntime-node version. */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The CPU model: /proc/cpuinfo's `model name` (Linux), else what Node reports, else null. */
export function cpuModel(cpuinfo = '/proc/cpuinfo'): string | null {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync(cpuinfo, 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux, or /proc not mounted: fall through
  }
  return os.cpus()[0]?.model.trim() || null;
}

/** The version in onnxruntime-node's package.json (the package that is actually loaded). */
export function onnxruntimeVersion(): string {
  const main = require.resolve('onnxruntime-node');
  let dir = path.dirname(main);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'onnxruntime-node' && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`onnxruntime: no package.json of onnxruntime-node above ${main}`);
    dir = up;
  }
}
