import type { Random } from '../random';

/** What a generator knows about the case besides its own parameters. */
export interface GenContext {
  random: Random;
  /** contraction length */
  k: number;
  /** standard deviation of one x1 element and one weight element (from their generators) */
  xStd: number;
  wStd: number;
}

/**
 * Writes the tensor's next `out.length` values into `out`, going on where the previous call stopped. The
 * values do not depend on how the tensor is cut into calls, so a large tensor is generated a chunk at a
 * time straight into its own dtype, with no float64 copy of the whole tensor.
 */
export type Fill = (out: Float64Array) => void;

/**
 * A value generator: the stream of `count` numbers for one tensor, drawn from `ctx.random` in element
 * order. One kind per file; index.ts is the registry.
 */
export type GenerateFn<P> = (params: P, count: number, ctx: GenContext) => Fill;

/** A standard normal deviate (Box-Muller), from the case's own random stream. */
export function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The typical |acc| of a dot product of k independent elements with these deviations. */
export function accumulatorScale(ctx: GenContext): number {
  return Math.max(1, Math.sqrt(Math.max(ctx.k, 1)) * ctx.xStd * ctx.wStd);
}
