/**
 * The TypeScript twin of the reference: slow, short, obviously right. Each primitive lives in its own
 * file; this object only wires them into the ReferenceImpl interface the native addon also implements.
 */
import type { EpilogueArgs, ReferenceImpl } from '../impl';
import { checkOutput, epilogueInputs } from '../native-checks';
import { f32ToBf16 } from './bf16';
import { epilogue } from './epilogue';
import { f32ToF16 } from './fp16';
import { gemm } from './gemm';
import { ideal } from './ideal';
import { transQuantParam, transQuantParamHost } from './quant-param';

type Answer = Int8Array | Uint16Array | Int32Array | Float64Array;

/**
 * The twin computes each answer into a new array and copies it into an `out` passed in: the twin is the
 * definition, kept short, not fast. `out` is checked as the addon checks it.
 */
function into<T extends Answer>(where: string, answer: T, out: T | undefined, inputs: ArrayBufferView[]): T {
  if (out === undefined || out === null) return answer;
  checkOutput(where, out, answer.constructor as { new (n: number): T; name: string }, [answer.length], inputs);
  out.set(answer as never);
  return out;
}

function epilogueInto(args: EpilogueArgs, out?: Int8Array | Uint16Array | Int32Array): Int8Array | Uint16Array | Int32Array {
  return into('twin.epilogue: out', epilogue(args), out, epilogueInputs(args));
}

/** The twin ReferenceImpl. `threads` is accepted and ignored: the twin is single-threaded on purpose. */
export const twinImpl: ReferenceImpl = {
  name: 'twin',
  gemm: (x1, x1Shape, weight, weightShape, _threads, out) => into('twin.gemm: out', gemm(x1, x1Shape, weight, weightShape), out, [x1, weight]),
  epilogue: epilogueInto,
  ideal: (args, out) => into('twin.ideal: out', ideal(args), out, epilogueInputs(args)),
  transQuantParam,
  transQuantParamHost,
  f32ToF16,
  f32ToBf16,
};
