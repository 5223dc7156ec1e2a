/**
 * The `onnxruntime` backend: the contract as an ONNX graph on onnxruntime-node's real
 * CPU kernels, in process. MatMulInteger gives the int32 accumulator, the epilogue is a chain of
 * single fp32 ops (model.ts), and what torch_npu does on the host is done the same way before the graph
 * (host-params.ts). It is a kernel under test, not a reference: it enforces no contract, so rejected
 * cases are skipped with that reason rather than failed, and it never counts as qualification.
 */
import { Tensor as OrtTensor, type InferenceSession } from 'onnxruntime-node';
import type { CaseInputs, Tensor } from '../../data/tensor';
import type { Case } from '../../expand/case';
import type { Backend, BackendRun, DeviceInfo, DeviceTimings, OpenOptions } from '../types';
import { prepareCase, type Feeds } from './feeds';
import { cpuModel, onnxruntimeVersion } from './host-info';
import { buildFloatBaselineModel, buildModel, OUTPUT, signatureKey, type AFeed, type GraphSignature } from './model';
import { parseOptions, type OrtOptions } from './options';
import { toHarnessTensor } from './output';
import { chooseFeed } from './probe';
import { OPSET } from './proto';
import { SessionCache } from './session';
import { summarize, timeRuns } from './timing';

export const SKIP_REJECTED = 'onnxruntime enforces no contract: rejected cases are skipped';
export const SKIP_GRAPH = 'graph mode is a torch_npu feature';
export const SKIP_GROUP = 'the A4W4 per-group path (float16 offset) is not modelled by the onnxruntime backend';
export const FLOAT_BASELINE_LABEL = 'fp32 MatMul (onnxruntime CPU)';

/** Why a case is not run here, or null to run it. */
export function skipReason(c: Case): string | null {
  if (c.expect === 'reject') return SKIP_REJECTED;
  if (c.call.mode === 'graph') return SKIP_GRAPH;
  // int4 (int32-packed) operands run, unpacked on the host (feeds.ts); the per-group path does not
  if (c.dtypes.offset === 'float16') return SKIP_GROUP;
  return null;
}

/** The fp32 copies of x1 and the transposed weight the float baseline multiplies. */
function floatBaselineFeeds(x1: Int8Array, weightT: Float32Array, sig: GraphSignature): Feeds {
  return {
    a: new OrtTensor('float32', Float32Array.from(x1), sig.x1),
    b: new OrtTensor('float32', weightT, sig.weightT),
  };
}

export class OnnxRuntimeBackend implements Backend {
  readonly name = 'onnxruntime';
  #options: OrtOptions | null = null;
  #aFeed: AFeed = 'int8';
  #cache: SessionCache | null = null;

  /** The sessions of this backend (tests look at sharing); null before open(). */
  get sessions(): SessionCache | null {
    return this.#cache;
  }

  /** The MatMulInteger feed open() chose (probe.ts). */
  get aFeed(): AFeed {
    return this.#aFeed;
  }

  async open(opts: OpenOptions): Promise<DeviceInfo> {
    const options = parseOptions(opts.options);
    const settings = { intraOpThreads: options.threads };
    const probe = await chooseFeed(options.aFeed, settings);
    this.#options = options;
    this.#aFeed = probe.aFeed;
    this.#cache = new SessionCache(settings);
    const forced = opts.options?.product ?? null;
    return {
      backend: this.name,
      product: forced,
      socName: cpuModel(),
      device: 'cpu',
      simulated: true,
      versions: { onnxruntime: onnxruntimeVersion(), onnxOpset: String(OPSET) },
      enforcesContract: false,
      notes: [
        'onnxruntime-node in process on the CPU: a real int8 kernel, not an NPU; never a qualification',
        ...probe.notes,
        `intra-op threads ${options.threads}; graph optimizations disabled, so every epilogue op runs as one fp32 op`,
        'scale handling as torch_npu HEAD: an fp32 scale on int8/fp16 output without pertoken is packed by ' +
          'npu_trans_quant_param (fp19, 9-bit offset) on the host; int64 scales decoded; bf16 scales widened',
        `rejected cases are skipped (${SKIP_REJECTED}); graph-mode cases are skipped (${SKIP_GRAPH}); NZ weights run as ND`,
        `int4 (int32-packed) x1/weight are unpacked exactly to int8 on the host; ${SKIP_GROUP}`,
        ...(forced ? [`product ${forced} given by the caller`] : []),
      ],
    };
  }

  async run(c: Case, inputs: CaseInputs, signal: AbortSignal): Promise<BackendRun> {
    signal.throwIfAborted();
    const skip = skipReason(c);
    if (skip !== null) return { status: 'skip', reason: skip };
    const options = this.#options;
    const cache = this.#cache;
    if (options === null || cache === null) throw new Error('onnxruntime backend: run() before open() or after close()');

    // the weight's NZ format is a device layout: the values are the same, so it runs as ND
    const { sig, feeds, x1, floatWeightT } = prepareCase(c, inputs, this.#aFeed);
    const lease = await cache.acquire(signatureKey(sig), () => buildModel(sig));
    try {
      const once = async (): Promise<Tensor> => {
        signal.throwIfAborted();
        const result = await lease.session.run(feeds);
        return toHarnessTensor(sig.path, result[OUTPUT]!);
      };
      const output = await once();
      const repeats: Tensor[] = [];
      for (let r = 1; r < c.repeat; r++) repeats.push(await once());
      const timed = options.timing === 'always' || (options.timing === 'perf' && c.tags.includes('perf'));
      const baseline = (): Feeds => floatBaselineFeeds(x1, floatWeightT(), sig);
      const timings = timed ? await this.#time(cache, lease.session, feeds, sig, baseline, options, signal) : undefined;
      return {
        status: 'ok', output,
        ...(repeats.length > 0 ? { repeats } : {}),
        ...(timings ? { timings } : {}),
      };
    } finally {
      lease.done();
    }
  }

  async close(): Promise<void> {
    const cache = this.#cache;
    this.#cache = null;
    this.#options = null;
    if (cache) await cache.clear();
  }

  async #time(cache: SessionCache, session: InferenceSession, feeds: Feeds, sig: GraphSignature, baselineFeeds: () => Feeds,
    options: OrtOptions, signal: AbortSignal): Promise<DeviceTimings> {
    const samples = await timeRuns(session, feeds, options.warmup, options.repeats, signal);
    const timings: DeviceTimings = { repeats: samples.length, ...summarize(samples) };
    if (options.floatBaseline) {
      const key = `fp32-baseline:${JSON.stringify([sig.x1, sig.weightT])}`;
      const lease = await cache.acquire(key, () => buildFloatBaselineModel(sig.x1, sig.weightT, sig.out));
      try {
        const base = summarize(await timeRuns(lease.session, baselineFeeds(),
          options.warmup, options.repeats, signal));
        timings.floatBaseline = { dtype: 'float32', label: FLOAT_BASELINE_LABEL, ...base };
      } finally {
        lease.done();
      }
    }
    return timings;
  }
}

/** The factory the backend registry calls. */
export function createBackend(): Backend {
  return new OnnxRuntimeBackend();
}
