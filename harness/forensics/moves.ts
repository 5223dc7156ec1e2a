/**
 * Smaller variants of a case, for shrinking: the moves the spec allows (smaller m, n, k; fewer batch
 * dims; scale/offset length 1; the plainest distribution; fewer optional inputs) and the case they
 * give. A variant's id is the original id plus `~shrunk:` and the moves, so it is derived from the
 * recipe alone and `repro`/`shrink` rebuild it from its id (parseShrunkId + applyMoves).
 */
import type { DtypeCombo } from '../dtypes';
import { hashSeed } from '../data/random';
import type { Case, CaseShapes } from '../expand/case';
import { comboKey } from '../expand/combos';
import { judgeCall } from '../spec/oracle';
import { allowedCombos } from '../expand/dtype-cases';
import { bytesOf, shapesOf, withSides, type ShapeParams } from '../expand/shapes';
import { brokenRules } from '../spec/shape-check';
import { STRIDED_INPUTS } from '../expand/edges/contiguous';
import type { Spec } from '../spec/types';

/** The optional inputs a move may drop. */
export const OPTIONAL_INPUTS = ['bias', 'offset', 'pertoken_scale'] as const;
export type OptionalInput = (typeof OPTIONAL_INPUTS)[number];

/** Where a variant differs from its original; absent fields are unchanged. */
export interface Moves {
  m?: number;
  n?: number;
  k?: number;
  x1Batch?: number[];
  weightBatch?: number[];
  /** scale (and offset) of length 1 */
  t1?: true;
  distribution?: string;
  drop?: OptionalInput[];
}

/** The distribution a `simpler distribution` move goes to. */
export const PLAIN_DISTRIBUTION = 'full-range';

const SHRUNK = '~shrunk:';
/** Variants' moves in a fixed order, so equal moves always spell the same id. */
const KEYS = ['m', 'n', 'k', 'xb', 'wb', 't', 'dist', 'drop'] as const;

/** The id of a variant: the original id, `~shrunk:`, the moves as `key=value` joined by commas. */
export function shrunkId(originalId: string, moves: Moves): string {
  const parts: string[] = [];
  for (const key of KEYS) {
    switch (key) {
      case 'm': case 'n': case 'k': if (moves[key] !== undefined) parts.push(`${key}=${moves[key]}`); break;
      case 'xb': if (moves.x1Batch) parts.push(`xb=${moves.x1Batch.join('.')}`); break;
      case 'wb': if (moves.weightBatch) parts.push(`wb=${moves.weightBatch.join('.')}`); break;
      case 't': if (moves.t1) parts.push('t=1'); break;
      case 'dist': if (moves.distribution) parts.push(`dist=${moves.distribution}`); break;
      case 'drop': if (moves.drop?.length) parts.push(`drop=${[...moves.drop].sort().join('+')}`); break;
    }
  }
  return parts.length === 0 ? originalId : `${originalId}${SHRUNK}${parts.join(',')}`;
}

/** Splits an id into the original's and the moves (none for an id that is not a variant's). */
export function parseShrunkId(id: string): { originalId: string; moves: Moves } {
  const at = id.indexOf(SHRUNK);
  if (at < 0) return { originalId: id, moves: {} };
  const moves: Moves = {};
  const bad = (part: string): never => { throw new Error(`case id '${id}': cannot read the move '${part}' (expected m=, n=, k=, xb=, wb=, t=1, dist=, drop=)`); };
  const dims = (v: string, part: string): number[] => (v === '' ? [] : v.split('.').map((d) => (/^\d+$/.test(d) ? Number(d) : bad(part))));
  for (const part of id.slice(at + SHRUNK.length).split(',')) {
    const [key, value = ''] = part.split('=', 2) as [string, string?];
    if ((key === 'm' || key === 'n' || key === 'k') && /^[1-9]\d*$/.test(value)) moves[key] = Number(value);
    else if (key === 'xb') moves.x1Batch = dims(value, part);
    else if (key === 'wb') moves.weightBatch = dims(value, part);
    else if (key === 't' && value === '1') moves.t1 = true;
    else if (key === 'dist' && value !== '') moves.distribution = value;
    else if (key === 'drop' && value.split('+').every((x) => (OPTIONAL_INPUTS as readonly string[]).includes(x))) moves.drop = value.split('+') as OptionalInput[];
    else bad(part);
  }
  return { originalId: id.slice(0, at), moves };
}

/** The shape parameters a case's shapes were built from. */
export function paramsOfShapes(s: CaseShapes): ShapeParams {
  return {
    m: s.x1[s.x1.length - 2] ?? 1, k: s.x1[s.x1.length - 1] ?? 1, n: s.weight[s.weight.length - 2] ?? 1,
    x1Batch: s.x1.slice(0, -2), weightBatch: s.weight.slice(0, -2),
    t: s.scale.length === 1 && s.scale[0] === 1 ? '1' : 'n', biasForm: s.bias?.length === 3 ? '3d' : '1d',
  };
}

/**
 * The variant of an original case under the moves: shapes rebuilt from the changed parameters, the call
 * and flags following the inputs, the seed from (run seed, variant id). Validity (the same contract
 * verdict as the original) is `sameContract`'s business, not this function's.
 */
export function applyMoves(spec: Spec, original: Case, moves: Moves, runSeed: number): Case {
  if (Object.keys(moves).length === 0) return original;
  const id = shrunkId(original.id, moves);
  const p = paramsOfShapes(original.shapes);
  const params: ShapeParams = {
    ...p, m: moves.m ?? p.m, n: moves.n ?? p.n, k: moves.k ?? p.k,
    x1Batch: moves.x1Batch ?? p.x1Batch, weightBatch: moves.weightBatch ?? p.weightBatch, t: moves.t1 ? '1' : p.t,
  };
  const dropped = new Set(moves.drop ?? []);
  const dtypes = { ...original.dtypes };
  for (const input of dropped) dtypes[input] = null;
  const combo = dtypes as DtypeCombo;
  const shapes = shapesOf(combo, withSides(spec, combo, params));
  const distribution = moves.distribution ?? original.distribution;
  const oldDist = spec.distributions.find((d) => d.id === original.distribution);
  const newDist = spec.distributions.find((d) => d.id === distribution);
  const tags = new Set(original.tags.filter((t) => !oldDist?.tags.includes(t) && t !== 'large'));
  for (const t of newDist?.tags ?? []) tags.add(t);
  const bytes = bytesOf(combo, shapes);
  if (bytes >= 16 * 1024 * 1024 || [...shapes.x1, ...shapes.weight].some((d) => d >= 65535)) tags.add('large');
  const build = original.call.scaleBuild;
  // the divergence is whatever the contract oracle says of the variant (sameContract then keeps only
  // variants with the original's)
  const v = judgeCall(spec, { product: original.product, dtypes: combo, shapes, target: original.call.target });
  const divergence = v.divergence ? { id: v.divergence.id, library: v.divergence.library, condition: v.divergence.condition, source: v.divergence.source } : null;
  const key = comboKey(combo);
  const rows = allowedCombos(spec, spec.products.find((x) => x.id === original.product)!).find((a) => a.key === key)?.rows.map((r) => r.key) ?? [];
  return {
    ...original, id, dtypes: combo, shapes, distribution, divergence, rows, bytes, tags: [...tags].sort(),
    shapeClass: original.shapeClass.includes(SHRUNK) ? original.shapeClass : `${original.shapeClass}${SHRUNK.slice(0, -1)}`,
    seed: hashSeed(runSeed, id),
    call: {
      ...original.call, in_features: params.k, out_features: params.n,
      bias: combo.bias !== null, offset: combo.offset !== null, pertoken_scale: combo.pertoken_scale !== null,
      ...(build ? { scaleBuild: { ...build, packOffset: build.packOffset && combo.offset !== null } } : {}),
    },
  };
}

/** What the contract says of a case: whether the tables allow its dtypes, and which shape rules it breaks. */
function contractOf(spec: Spec, c: Case): string {
  const product = spec.products.find((p) => p.id === c.product);
  const allowed = product !== undefined && allowedCombos(spec, product).some((a) => a.key === comboKey(c.dtypes));
  return `${allowed}|${brokenRules(spec, { dtypes: c.dtypes, shapes: c.shapes, ...(c.call.strided ? { strided: STRIDED_INPUTS } : {}) }).sort().join(',')}`;
}

/**
 * A variant stands for its original only if the contract judges it the same way (the tables allow its
 * dtypes exactly when they allow the original's, it breaks the same shape rules), the same divergence
 * applies, and its distribution still applies to its inputs.
 */
export function sameContract(spec: Spec, original: Case, variant: Case): boolean {
  if (contractOf(spec, original) !== contractOf(spec, variant)) return false;
  if ((original.divergence?.id ?? null) !== (variant.divergence?.id ?? null)) return false;
  const dist = spec.distributions.find((d) => d.id === variant.distribution);
  return dist !== undefined && dist.applies.every((input) => variant.dtypes[input] !== null);
}

/** Candidate values of a dim, smallest first: 1, the halves, one less. */
function smallerValues(v: number): number[] {
  return [...new Set([1, Math.floor(v / 2), Math.ceil(v / 2), v - 1])].filter((x) => x >= 1 && x < v).sort((a, b) => a - b);
}

/**
 * The next moves to try from the current ones, each a whole Moves value (the current moves plus one
 * change), most simplifying first: batch dims, scale length, optional inputs, distribution, then m, n, k.
 */
export function candidateMoves(original: Case, current: Moves): Moves[] {
  const p = paramsOfShapes(original.shapes);
  const cur = { ...p, m: current.m ?? p.m, n: current.n ?? p.n, k: current.k ?? p.k,
    x1Batch: current.x1Batch ?? p.x1Batch, weightBatch: current.weightBatch ?? p.weightBatch };
  const out: Moves[] = [];
  if (cur.x1Batch.length > 0 || cur.weightBatch.length > 0) {
    out.push({ ...current, x1Batch: [], weightBatch: [] });
    if (cur.x1Batch.length > 0) out.push({ ...current, x1Batch: cur.x1Batch.slice(1) });
    if (cur.weightBatch.length > 0) out.push({ ...current, weightBatch: cur.weightBatch.slice(1) });
  }
  if (p.t === 'n' && !current.t1 && cur.n > 1) out.push({ ...current, t1: true });
  const dropped = new Set(current.drop ?? []);
  for (const input of OPTIONAL_INPUTS) {
    if (original.dtypes[input] !== null && !dropped.has(input)) out.push({ ...current, drop: [...dropped, input] });
  }
  // inputs outside the contract are judged differently: their distribution is the case's point
  if (!original.tags.includes('undefined-input') && (current.distribution ?? original.distribution) !== PLAIN_DISTRIBUTION) {
    out.push({ ...current, distribution: PLAIN_DISTRIBUTION });
  }
  for (const dim of ['m', 'n', 'k'] as const) for (const v of smallerValues(cur[dim])) out.push({ ...current, [dim]: v });
  return out;
}
