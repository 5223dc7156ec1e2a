import { spawnSync } from 'child_process';
import * as path from 'path';
import { ErrorCode, HarnessError, UnknownNameError } from '../errors';
import { PluginHost } from './plugin/host';
import { DEFAULT_CANDIDATES, resolveInterpreter } from './torch-npu/interpreter';
import type { Backend } from './types';

/** Built-in backends by name; each is loaded only when asked for (onnxruntime is a large native module). */
const BUILTIN: Record<string, () => Backend> = {
  'torch-npu': () => (require('./torch-npu') as { createBackend(): Backend }).createBackend(),
  onnxruntime: () => (require('./onnxruntime') as { createBackend(): Backend }).createBackend(),
};

export const BACKEND_NAMES = Object.keys(BUILTIN);

/** A path (has a slash or ends in .js) names a plugin module; anything else a built-in. */
function isPath(name: string): boolean {
  return name.includes('/') || name.includes(path.sep) || /\.c?js$/.test(name);
}

/**
 * A factory for the named backend: a built-in, or a plugin module by path that exports
 * `createBackend()` (or a default export of it) returning an object with open, run and close. A plugin
 * is untrusted code: it is loaded and run in a process of its own (plugin/host.ts), never here, so its
 * load errors surface when it is opened.
 */
export function backendFactory(name: string): () => Backend {
  if (!isPath(name)) {
    const make = BUILTIN[name];
    if (!make) throw new UnknownNameError('backend', name, [...BACKEND_NAMES, '<path to a plugin module>']);
    return make;
  }
  let file: string;
  try {
    file = require.resolve(path.resolve(name));
  } catch (e) {
    throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--backend ${name}: cannot load ${path.resolve(name)}: ${(e as Error).message.split('\n')[0]}`);
  }
  return () => new PluginHost(file);
}

/** Whether `python` can find module `name` without importing it (a lookup of milliseconds). */
function findsModule(python: string, name: string, env: NodeJS.ProcessEnv): boolean {
  const probe = spawnSync(python, ['-c', 'import importlib.util, sys\nsys.exit(0 if importlib.util.find_spec(sys.argv[1]) else 3)', name],
    { env, timeout: 60_000 });
  return probe.status === 0;
}

/**
 * `torch-npu` when the resolved interpreter imports torch_npu and torch.npu.is_available() is true,
 * otherwise `onnxruntime`. `A8W8_BACKEND` overrides. Returns the name and why.
 */
export async function detectBackend(env: NodeJS.ProcessEnv = process.env): Promise<{ name: string; why: string }> {
  if (env.A8W8_BACKEND) return { name: env.A8W8_BACKEND, why: 'A8W8_BACKEND' };
  // Importing torch takes seconds, twice below (choosing the interpreter, then the NPU probe). Where no
  // interpreter that could be chosen finds torch_npu at all, the answer is onnxruntime whichever is
  // chosen, and a lookup without importing says so at once.
  const candidates = env.A8W8_PYTHON?.trim() ? [env.A8W8_PYTHON.trim()] : DEFAULT_CANDIDATES;
  if (!candidates.some((python) => findsModule(python, 'torch_npu', env))) {
    return { name: 'onnxruntime', why: `no torch_npu for ${candidates.join(' or ')}` };
  }
  let python: string;
  try {
    python = (await resolveInterpreter({ env })).python;
  } catch (e) {
    return { name: 'onnxruntime', why: `no Python with torch (${(e as Error).message.split('\n')[0]})` };
  }
  const probe = spawnSync(python, ['-c', 'import torch, torch_npu; print(bool(torch.npu.is_available()))'],
    { env, encoding: 'utf8', timeout: 60_000 });
  if (probe.status === 0 && probe.stdout.trim() === 'True') return { name: 'torch-npu', why: `${python} imports torch_npu with an NPU` };
  return { name: 'onnxruntime', why: `${python} has no usable torch_npu` };
}
