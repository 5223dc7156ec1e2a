import type { CaseInputs } from '../../../harness/data/tensor';
import type { OutputDtype } from '../../../harness/dtypes';
import { matmulNT, rne, toBf16, toHalf, values } from './helpers';

/**
 * The expected output of a 2-D case, computed here independently of the stand-in: exact integer
 * accumulation, then the epilogue in exact double arithmetic. The data is chosen so that no fp32
 * operation rounds (power-of-two scales and pertoken values, small biases): then the only rounding is
 * the final cast, done with round-half-even. The fp19 truncation is tested with hand-picked values.
 */
export function expectedOutput(inputs: CaseInputs, out: OutputDtype): number[] {
  const n = inputs.weight.shape[0]!;
  const acc = matmulNT(inputs.x1, inputs.weight);
  const scale = values(inputs.scale);
  for (const s of scale) {
    if (Math.log2(Math.abs(s)) % 1 !== 0) throw new Error(`test data: scale ${s} is not a power of two`);
  }
  const pt = inputs.pertoken_scale ? values(inputs.pertoken_scale) : null;
  const offset = inputs.offset ? values(inputs.offset) : null;
  const bias = inputs.bias ? values(inputs.bias) : null;
  const intBias = inputs.bias?.dtype === 'int32';
  return acc.map((a, idx) => {
    const i = Math.floor(idx / n);
    const j = idx % n;
    const b = bias ? bias[j]! : 0;
    const v = a + (intBias ? b : 0);
    if (out === 'int32') return v;
    const s = scale.length === 1 ? scale[0]! : scale[j]!;
    if (out === 'int8') {
      const t = Math.min(255, Math.max(-256, rne(v * s)));
      const o = offset ? offset.length === 1 ? offset[0]! : offset[j]! : 0;
      return Math.min(127, Math.max(-128, t + Math.min(255, Math.max(-256, rne(o)))));
    }
    const y = v * s * (pt ? pt[i]! : 1) + (intBias ? 0 : b);
    return out === 'float16' ? toHalf(y) : toBf16(y);
  });
}
