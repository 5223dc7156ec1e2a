/**
 * Messages between the harness and a plugin's own process (host.ts <-> child.ts), sent over Node's IPC
 * channel with the `advanced` serialization: a structured clone, so typed arrays (BigInt64Array too)
 * arrive as the same classes, copied. The plugin gets copies of the inputs: whatever it does to them,
 * the reference still reads the harness's own.
 */
import type { CaseInputs } from '../../data/tensor';
import type { Case } from '../../expand/case';
import type { OpenOptions } from '../types';

export type Request =
  | { op: 'open'; id: number; file: string; opts: OpenOptions }
  | { op: 'run'; id: number; c: Case; inputs: CaseInputs }
  | { op: 'close'; id: number };

/** A thrown error as it crosses the process boundary (an Error's own class does not survive it). */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ErrorInfo };

/** What an `open` request answers: the plugin's name and its (not yet validated) DeviceInfo. */
export interface Opened {
  name: string;
  info: unknown;
}
