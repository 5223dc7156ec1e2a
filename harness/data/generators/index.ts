import type { Generator } from '../../spec/types';
import { accumulatorScaled } from './accumulator-scale';
import { choice } from './choice';
import { int32Range } from './int32-range';
import { lowMantissa } from './low-mantissa';
import { normal } from './normal';
import { outputRange } from './output-range';
import { powerOfTwo } from './power-of-two';
import type { Fill, GenContext, GenerateFn } from './types';
import { uniform, uniformStd } from './uniform';

/** The registry: one generator per spec `kind` (the schema's closed set). */
const GENERATORS: { [K in Generator['kind']]: GenerateFn<Omit<Extract<Generator, { kind: K }>, 'kind'>> } = {
  uniform, choice, normal, 'output-range': outputRange, 'low-mantissa': lowMantissa, 'power-of-two': powerOfTwo,
  'accumulator-scale': accumulatorScaled, 'int32-range': int32Range,
};

/** The stream of `count` values of one tensor, to be read chunk by chunk (types.ts Fill). */
export function valueStream(g: Generator, count: number, ctx: GenContext): Fill {
  const fn = GENERATORS[g.kind] as GenerateFn<Generator>;
  return fn(g, count, ctx);
}

/** All `count` values at once, as float64: for the small per-channel and per-token tensors. */
export function generateValues(g: Generator, count: number, ctx: GenContext): Float64Array {
  const out = new Float64Array(count);
  valueStream(g, count, ctx)(out);
  return out;
}

/**
 * Generators that hold their whole tensor as float64 while it is read (low-mantissa draws its second
 * pass after the first), whatever the chunk size: the memory estimate counts that copy.
 */
export function holdsWholeTensor(g: Generator): boolean {
  return g.kind === 'low-mantissa';
}

/** The standard deviation of an integer generator's values (for sizing scales and biases). */
export function generatorStd(g: Generator): number {
  switch (g.kind) {
    case 'uniform': return uniformStd(g.min, g.max);
    case 'choice': {
      const finite = g.values.filter((v): v is number => typeof v === 'number');
      if (finite.length === 0) return 1;
      const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
      return Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length);
    }
    case 'normal': return g.std;
    default: return 1;
  }
}

export type { Fill, GenContext } from './types';
