import { execFile } from 'node:child_process';

/**
 * Which Python runs the worker: `A8W8_PYTHON` when set, else the first of `python3`,
 * `/usr/bin/python3` that imports torch. On Debian hosts `python3` on PATH is often a pyenv shim
 * without torch while Debian's python3-torch lives under /usr/bin/python3 (seen on this project's build hosts), so
 * the choice and the reason each other candidate was skipped go into the run's device notes.
 */
export interface InterpreterChoice {
  /** the command used to start the worker */
  python: string;
  /** the interpreter's resolved sys.executable */
  executable: string;
  torchVersion: string;
  /** why this one: `A8W8_PYTHON` or `first candidate that imports torch` */
  reason: string;
  skipped: { candidate: string; reason: string }[];
}

export const DEFAULT_CANDIDATES: readonly string[] = ['python3', '/usr/bin/python3'];

/** Thrown when no interpreter qualifies; lists every candidate and why it failed. */
export class NoInterpreterError extends Error {
  override readonly name = 'NoInterpreterError';
  constructor(readonly skipped: { candidate: string; reason: string }[], readonly fromEnv: boolean) {
    super((fromEnv ? 'A8W8_PYTHON does not give a usable interpreter' : 'no Python with torch found') + ':\n' +
      skipped.map((s) => `  ${s.candidate}: ${s.reason}`).join('\n') +
      (fromEnv ? '' : '\nInstall python3-torch (the setup script does) or set A8W8_PYTHON.'));
  }
}

const PROBE = 'import json, sys\nimport torch\n' +
  'print(json.dumps({"executable": sys.executable, "torch": str(torch.__version__)}))';

/** Result of asking one interpreter to import torch. */
export type ProbeResult = { ok: true; executable: string; torchVersion: string } | { ok: false; reason: string };

/** Runs `python -c <probe>`; never throws. */
export function probeTorch(python: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve({ ok: false, reason: 'not found' });
        const last = String(stderr).trim().split('\n').pop() ?? '';
        return resolve({ ok: false, reason: last || err.message });
      }
      try {
        const lines = String(stdout).trim().split('\n');
        const parsed = JSON.parse(lines[lines.length - 1]!) as { executable: string; torch: string };
        resolve({ ok: true, executable: parsed.executable, torchVersion: parsed.torch });
      } catch {
        resolve({ ok: false, reason: `unexpected probe output: ${String(stdout).slice(0, 200)}` });
      }
    });
  });
}

/** Picks the interpreter as described above; throws NoInterpreterError when none imports torch. */
export async function resolveInterpreter(opts: { env?: NodeJS.ProcessEnv; candidates?: readonly string[] } = {}):
  Promise<InterpreterChoice> {
  const env = opts.env ?? process.env;
  const fromEnv = env.A8W8_PYTHON?.trim();
  if (fromEnv) {
    // honoured as given: a user who names an interpreter wants that one or a clear failure, not a fallback
    const probe = await probeTorch(fromEnv, env);
    if (!probe.ok) throw new NoInterpreterError([{ candidate: fromEnv, reason: probe.reason }], true);
    return { python: fromEnv, executable: probe.executable, torchVersion: probe.torchVersion, reason: 'A8W8_PYTHON',
      skipped: [] };
  }
  const skipped: { candidate: string; reason: string }[] = [];
  for (const candidate of opts.candidates ?? DEFAULT_CANDIDATES) {
    const probe = await probeTorch(candidate, env);
    if (probe.ok) {
      return { python: candidate, executable: probe.executable, torchVersion: probe.torchVersion,
        reason: 'first candidate that imports torch', skipped };
    }
    skipped.push({ candidate, reason: probe.reason });
  }
  throw new NoInterpreterError(skipped, false);
}

/** One line per decision, for DeviceInfo.notes and the run's environment record. */
export function describeChoice(choice: InterpreterChoice): string[] {
  return [
    `python: ${choice.python} (${choice.executable}, torch ${choice.torchVersion}); chosen by ${choice.reason}`,
    ...choice.skipped.map((s) => `python: skipped ${s.candidate}: ${s.reason}`),
  ];
}
