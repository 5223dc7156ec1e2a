/**
 * The graph's output as a harness Tensor: int8, int32 and fp16 (bit patterns) come out as they are; bf16
 * comes out as the fp32 widening of the in-graph bf16 rounding, so its top 16 bits are the bf16 bits and
 * its low 16 bits must be zero (if they are not, the rounding Cast did not run: an error, not a result).
 */
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import type { Tensor } from '../../data/tensor';
import type { PathId } from '../../reference/types';

/** Copies (the harness keeps results after the session is gone) and relabels one output. */
export function toHarnessTensor(path: PathId, y: OrtTensor): Tensor {
  const shape = y.dims.map(Number);
  switch (path) {
    case 'int8-requant':
      return { dtype: 'int8', shape, data: Int8Array.from(y.data as Int8Array) };
    case 'int32-acc':
      return { dtype: 'int32', shape, data: Int32Array.from(y.data as Int32Array) };
    case 'fp16-fixpipe': case 'fp16-float-bias': case 'fp16-pertoken':
      return { dtype: 'float16', shape, data: Uint16Array.from(y.data as Uint16Array) };
    case 'bf16-vector': {
      const f = y.data as Float32Array;
      const words = new Uint32Array(f.buffer, f.byteOffset, f.length);
      const bits = new Uint16Array(f.length);
      for (let i = 0; i < f.length; i++) {
        const w = words[i]!;
        if ((w & 0xffff) !== 0) {
          throw new Error(`onnxruntime: bf16 output element ${i} has fp32 bits 0x${w.toString(16)}: the Cast to bfloat16 did not round`);
        }
        bits[i] = w >>> 16;
      }
      return { dtype: 'bfloat16', shape, data: bits };
    }
    case 'group-dequant-bf16': case 'group-dequant-fp16':
      throw new RangeError(`onnxruntime: path ${path} is not modelled (such cases are skipped)`);
  }
}
