import { createHash } from 'crypto';
import type { CaseInputs, Tensor } from '../../harness/data/tensor';

/** sha256 of every input's dtype, shape and bytes, in a fixed order (first 32 hex digits). */
export function inputsHash(inputs: CaseInputs): string {
  const h = createHash('sha256');
  const add = (name: string, t: Tensor | null | undefined): void => {
    h.update(`${name}:`);
    if (!t) {
      h.update('null;');
      return;
    }
    h.update(`${t.dtype}[${t.shape.join(',')}]`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  };
  for (const k of ['x1', 'weight', 'scale', 'offset', 'bias', 'pertoken_scale'] as const) add(k, inputs[k]);
  if (inputs.scaleSource) {
    add('ss', inputs.scaleSource.scale);
    add('so', inputs.scaleSource.offset);
  }
  return h.digest('hex').slice(0, 32);
}
