import type { Column, OutputDtype } from './dtypes';

/**
 * The registry of numeric paths: what each path computes is implemented by the reference
 * (harness/reference: twin/ in TypeScript and native/ in C++); this is the catalogue a spec names paths
 * from (`numerics`), that lint checks names against, and that says which inputs each path reads, so a
 * backend that ignores one can be caught. The formulas, with their sources, are in docs/semantics.md.
 * To add a path: an entry here (PathId follows from it), its epilogue in harness/reference (the
 * TypeScript twin and, where it runs natively, native/), and the reference's dispatch on it
 * (reference/reference.ts; docs/authoring.md, "Closed sets").
 */
export interface NumericPath {
  id: string;
  /** the output dtype the path produces */
  output: OutputDtype;
  /** every input whose values the path's result depends on (where present) */
  uses: readonly Column[];
  /** the built-in backends that can run it */
  backends: readonly string[];
  /** one line, for explain and the docs */
  text: string;
  /** where docs/semantics.md states it */
  doc: string;
}

const ALL_BACKENDS = ['torch-npu', 'onnxruntime'] as const;

export const NUMERIC_PATHS = {
  'int8-requant': {
    id: 'int8-requant', output: 'int8', uses: ['x1', 'weight', 'scale', 'offset', 'bias'], backends: ALL_BACKENDS,
    text: 'int8 output: fixpipe requant with an fp19 scale, 9-bit clamp, offset, saturation', doc: 'docs/semantics.md 2.4, 2.5',
  },
  'fp16-fixpipe': {
    id: 'fp16-fixpipe', output: 'float16', uses: ['x1', 'weight', 'scale', 'bias'], backends: ALL_BACKENDS,
    text: 'fp16 output, no pertoken: fp16_RNE(f32(acc + int32 bias) * fp19(scale))', doc: 'docs/semantics.md 2.4',
  },
  'fp16-float-bias': {
    id: 'fp16-float-bias', output: 'float16', uses: ['x1', 'weight', 'scale', 'bias'], backends: ALL_BACKENDS,
    text: 'fp16 output, float bias, no pertoken: fp16_RNE(f32(acc) * fp19(scale) + f32(bias))', doc: 'docs/semantics.md 2.6, 2.10',
  },
  'bf16-vector': {
    id: 'bf16-vector', output: 'bfloat16', uses: ['x1', 'weight', 'scale', 'bias', 'pertoken_scale'], backends: ALL_BACKENDS,
    text: 'bf16 output: vector dequant with the exact scale, [* pertoken], [+ float bias], bf16 RNE', doc: 'docs/semantics.md 2.4, 2.7',
  },
  'fp16-pertoken': {
    id: 'fp16-pertoken', output: 'float16', uses: ['x1', 'weight', 'scale', 'bias', 'pertoken_scale'], backends: ALL_BACKENDS,
    text: 'fp16 output with pertoken: (f32(acc + int32 bias) * scale) * pertoken [+ float bias], fp16 RNE', doc: 'docs/semantics.md 2.4, 2.7',
  },
  'int32-acc': {
    id: 'int32-acc', output: 'int32', uses: ['x1', 'weight', 'bias'], backends: ALL_BACKENDS,
    text: 'int32 output: acc + int32 bias; the scale is required but not applied', doc: 'docs/semantics.md 3.2',
  },
  'group-dequant-bf16': {
    id: 'group-dequant-bf16', output: 'bfloat16', uses: ['x1', 'weight', 'scale', 'offset', 'pertoken_scale'], backends: ['torch-npu'],
    text: 'A4W4 per-group: per k-group (f32(acc_g) - rowsum_g * offset) * scale, summed in fp32, * pertoken, bf16 RNE', doc: 'docs/semantics.md 3.4',
  },
  'group-dequant-fp16': {
    id: 'group-dequant-fp16', output: 'float16', uses: ['x1', 'weight', 'scale', 'offset', 'pertoken_scale'], backends: ['torch-npu'],
    text: 'A4W4 per-group as group-dequant-bf16, fp16 RNE output', doc: 'docs/semantics.md 3.4',
  },
} as const satisfies Record<string, NumericPath>;

export type PathId = keyof typeof NUMERIC_PATHS;

export const PATH_IDS = Object.keys(NUMERIC_PATHS) as PathId[];

/** The registry entry of a path name, or undefined for a name the registry lacks. */
export function numericPath(id: string): NumericPath | undefined {
  return (NUMERIC_PATHS as Record<string, NumericPath>)[id];
}

export function isPathId(id: string): id is PathId {
  return numericPath(id) !== undefined;
}

/**
 * The side-tensor shapes the reference can compute with, as symbols over the logical m, k, n
 * (`batch`: the broadcast batch of a 3-D output; `k/G`: the k-groups of the per-group paths). A spec's
 * shape rules may admit only these forms: lint warns about any other, since a case built on it would
 * be refused by the reference (harness/reference/check-inputs.ts checks the same forms on the tensors).
 */
export const REFERENCE_FORMS = {
  scale: ['1', 'n', 'k/G,n'],
  offset: ['1', 'n', 'k/G,n'],
  pertoken_scale: ['m', 'm,1'],
  bias: ['n', 'batch,1,n'],
} as const;
