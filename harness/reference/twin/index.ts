/**
 * The TypeScript twin of the reference: slow, short, obviously right. Each primitive lives in its own
 * file; this object only wires them into the ReferenceImpl interface the native addon also implements.
 */
import type { ReferenceImpl } from '../impl';
import { f32ToBf16 } from './bf16';
import { epilogue } from './epilogue';
import { f32ToF16 } from './fp16';
import { gemm } from './gemm';
import { ideal } from './ideal';
import { transQuantParam, transQuantParamHost } from './quant-param';

/** The twin ReferenceImpl. `threads` is accepted and ignored: the twin is single-threaded on purpose. */
export const twinImpl: ReferenceImpl = {
  name: 'twin',
  gemm: (x1, x1Shape, weight, weightShape) => gemm(x1, x1Shape, weight, weightShape),
  epilogue,
  ideal,
  transQuantParam,
  transQuantParamHost,
  f32ToF16,
  f32ToBf16,
};
