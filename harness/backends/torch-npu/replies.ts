import type { CaseInputs, Tensor } from '../../data/tensor';
import type { Case } from '../../expand/case';
import type { BackendRun, DeviceTimings } from '../types';
import type { Frame } from './framing';

/** What the worker's `hello` reports (device_info.py). */
export interface HelloInfo {
  socName: string;
  device: string;
  npuAvailable: boolean;
  deviceCount: number;
  /** the package is the a8w8 stand-in (it sets torch_npu.__a8w8_standin__) */
  standin: boolean;
  versions: Record<string, string>;
  graphMode: { available: boolean; reason: string | null };
  executable: string;
  pid: number;
}

/** Validates the hello reply's shape; a malformed one is a protocol bug worth stopping for. */
export function parseHello(frame: Frame): HelloInfo {
  const info = frame.header.info as HelloInfo | undefined;
  if (!info || typeof info.socName !== 'string' || typeof info.versions !== 'object' || !info.graphMode) {
    throw new Error(`torch-npu worker: malformed hello reply ${JSON.stringify(frame.header).slice(0, 300)}`);
  }
  return info;
}

/** How the worker packs an fp32 scale with npu_trans_quant_param (README: `scalePack`). */
export interface ScalePack {
  roundMode: 0 | 1;
  /** a `scale_offset` tensor is sent and packed */
  offset: boolean;
}

/**
 * The request's tensors, under the names the worker expects; absent optional inputs are not sent. For an
 * int64 scale with a `scaleSource`, the fp32 source goes instead (and the offset to pack as
 * `scale_offset`), so the real npu_trans_quant_param does the packing the reference did with the twin.
 */
export function namedInputs(c: Pick<Case, 'call'>, inputs: CaseInputs): { tensors: [string, Tensor][]; scalePack?: ScalePack } {
  const source = inputs.scale.dtype === 'int64' ? inputs.scaleSource : undefined;
  const named: [string, Tensor][] = [['x1', inputs.x1], ['weight', inputs.weight], ['scale', source?.scale ?? inputs.scale]];
  if (inputs.offset) named.push(['offset', inputs.offset]);
  if (inputs.bias) named.push(['bias', inputs.bias]);
  if (inputs.pertoken_scale) named.push(['pertoken_scale', inputs.pertoken_scale]);
  if (!source) return { tensors: named };
  if (source.offset) named.push(['scale_offset', source.offset]);
  return { tensors: named, scalePack: { roundMode: c.call.scaleBuild?.roundMode ?? 0, offset: source.offset !== null } };
}

const ERROR_CLASSES = ['parameter', 'inner', 'unknown'] as const;

/** Maps a `run` reply to the BackendRun union; anything unexpected throws (the runner records `error`). */
export function toBackendRun(frame: Frame): BackendRun {
  const h = frame.header as Record<string, unknown>;
  switch (h.status) {
    case 'ok': {
      const output = frame.tensors.get('output');
      if (!output) throw new Error('torch-npu worker: ok reply without an output tensor');
      const repeats: Tensor[] = [];
      for (let i = 1; frame.tensors.has(`repeat${i}`); i++) repeats.push(frame.tensors.get(`repeat${i}`)!);
      const run: BackendRun = { status: 'ok', output };
      if (repeats.length) run.repeats = repeats;
      if (h.timings) run.timings = h.timings as DeviceTimings;
      return run;
    }
    case 'rejected': {
      const errorClass = ERROR_CLASSES.find((k) => k === h.errorClass) ?? 'unknown';
      return { status: 'rejected', errorType: String(h.errorType), message: String(h.message), errorClass };
    }
    case 'skip':
      return { status: 'skip', reason: String(h.reason) };
    default:
      throw new Error(`torch-npu worker: unknown run status ${JSON.stringify(h.status)}`);
  }
}
