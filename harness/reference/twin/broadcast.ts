/**
 * numpy-style broadcasting of batch dims, as the op infers the output batch ([OP] infer_out_batch_shape):
 * right-aligned, each pair of dims equal or one of them 1.
 */

/** The broadcast batch shape of two batch shapes, or null if they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/**
 * For each flat index of the broadcast batch `out`, the flat batch index into an operand with batch shape
 * `own` (its broadcast dims repeat their single entry).
 */
export function batchIndexMap(own: readonly number[], out: readonly number[]): number[] {
  const ownStrides = stridesOf(own);
  const count = out.reduce((p, d) => p * d, 1);
  const map: number[] = [];
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    let index = 0;
    for (let axis = out.length - 1; axis >= 0; axis--) {
      const coordinate = rest % out[axis]!;
      rest = Math.floor(rest / out[axis]!);
      const ownAxis = axis - (out.length - own.length);
      if (ownAxis >= 0 && own[ownAxis] !== 1) index += coordinate * ownStrides[ownAxis]!;
    }
    map.push(index);
  }
  return map;
}
