/**
 * Which A feed is exact on this host (model.ts AFeed). The plain uint8 feed reaches MLAS's fast u8s8
 * kernels, but without VNNI those use vpmaddubsw, whose int16 pair sums saturate: on an AVX2-only host
 * x = 127, w = -128 gives -16256 instead of -1065336960 at k = 65535, and 0 instead of -4161536 at k = 256
 * (measured, ORT 1.30). The split weight keeps the pair sums in range; int8 x int8 is exact but slow
 * there. So the feed is chosen by running the saturating corners through the real feed code.
 */
import { InferenceSession } from 'onnxruntime-node';
import type { CaseInputs } from '../../data/tensor';
import type { Case } from '../../expand/case';
import { prepareCase } from './feeds';
import { buildModel, OUTPUT, type AFeed } from './model';
import { sessionOptions, type SessionSettings } from './session';

export interface FeedProbe {
  aFeed: AFeed;
  /** what the probe found, for DeviceInfo.notes */
  notes: string[];
}

/** Shapes that reach both MLAS's single-row and blocked kernels. */
const PROBE_SHAPES: readonly [number, number, number][] = [[1, 256, 16], [16, 256, 16]];
/** (x, w) pairs whose pair sums overflow int16 in the u8s8 encoding, and the ends of both ranges */
const PROBE_VALUES: readonly [number, number][] = [[127, -128], [127, 127], [-128, -128], [-128, 127], [127, -127]];

const PROBE_DTYPES: Case['dtypes'] = {
  x1: 'int8', weight: 'int8', scale: 'float32', offset: null, bias: null, pertoken_scale: null, output_dtype: 'int32',
};

/** The first wrong element of `aFeed` on the probe corners, or null when all are exact. */
export async function probeFeed(aFeed: AFeed, settings: SessionSettings): Promise<string | null> {
  for (const [m, k, n] of PROBE_SHAPES) {
    let session: InferenceSession | null = null;
    try {
      for (const [x, w] of PROBE_VALUES) {
        const inputs: CaseInputs = {
          x1: { dtype: 'int8', shape: [m, k], data: new Int8Array(m * k).fill(x) },
          weight: { dtype: 'int8', shape: [n, k], data: new Int8Array(n * k).fill(w) },
          scale: { dtype: 'float32', shape: [1], data: Float32Array.of(1) },
          offset: null, bias: null, pertoken_scale: null,
        };
        const { sig, feeds } = prepareCase({ dtypes: PROBE_DTYPES, path: 'int32-acc' }, inputs, aFeed);
        session ??= await InferenceSession.create(buildModel(sig), sessionOptions(settings));
        const y = (await session.run(feeds))[OUTPUT]!.data as Int32Array;
        const bad = y.findIndex((v) => v !== x * w * k);
        if (bad >= 0) return `${aFeed} feed, ${m}x${k}x${n}, x=${x}, w=${w}: got ${y[bad]}, exact ${x * w * k}`;
      }
    } finally {
      await session?.release();
    }
  }
  return null;
}

/**
 * `auto`: the first exact feed of uint8, uint8-split, int8 (fastest first). If none is exact, int8 is
 * used anyway: this backend is a kernel under test, and the notes say what the probe found.
 */
export async function chooseFeed(request: AFeed | 'auto', settings: SessionSettings): Promise<FeedProbe> {
  if (request !== 'auto') {
    const wrong = await probeFeed(request, settings);
    return { aFeed: request, notes: [`MatMulInteger feed ${request} (forced)${wrong ? `; NOT exact on this host: ${wrong}` : ''}`] };
  }
  const failures: string[] = [];
  for (const feed of ['uint8', 'uint8-split', 'int8'] as const) {
    const wrong = await probeFeed(feed, settings);
    if (wrong === null) {
      return { aFeed: feed, notes: [`MatMulInteger feed ${feed}: exact on this host` + (failures.length ? ` (not exact: ${failures.join('; ')})` : '')] };
    }
    failures.push(wrong);
  }
  return { aFeed: 'int8', notes: [`MatMulInteger feed int8, although NO feed is exact on this host: ${failures.join('; ')}`] };
}
