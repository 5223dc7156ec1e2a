import * as assert from 'assert';
import { parseCall, parseJsonCall, type RawCall } from '../../harness/explain/call';
import { explainCall, formatExplanation } from '../../harness/explain/explain';
import { HarnessError } from '../../harness/errors';
import { expandCases } from '../../harness/expand';
import { judgeCall } from '../../harness/spec/oracle';
import { loadSpec } from '../../harness/spec/load';
import * as path from 'path';
import { packageRoot } from '../../harness/paths';

/**
 * Calls built from the vendor docs' usage examples and from public reports, with what the contract
 * says of each. The weight is in the module's (..., n, k) layout: an op example's x2 of (k, n) is written
 * transposed. `rule` is the first rejection; `div` the divergence that applies.
 */
interface Pinned {
  name: string;
  call: RawCall;
  verdict: 'accept' | 'reject' | 'divergence';
  rows?: string[];
  rules?: string[];
  path?: string | null;
  div?: string;
}

const A2 = 'atlas-a2';
const P310 = 'atlas-inference';
const A3 = 'atlas-a3';

const PINNED: Pinned[] = [
  // LinearA8W8Quant doc, eager example: x1 (1, 512), weight (128, 512), scale (1), offset (128), int32 bias, int8 out
  { name: 'module doc example, eager, A2', call: { product: A2, x1: 'int8[1,512]', weight: 'int8[128,512]', scale: 'float32[1]', offset: 'float32[128]', bias: 'int32[128]', output_dtype: 'int8' }, verdict: 'accept', rows: ['table2#2'], path: 'int8-requant' },
  { name: 'module doc example, eager, 310P', call: { product: P310, x1: 'int8[1,512]', weight: 'int8[128,512]', scale: 'float32[1]', offset: 'float32[128]', bias: 'int32[128]', output_dtype: 'int8' }, verdict: 'accept', rows: ['table1#2'], path: 'int8-requant' },
  { name: 'module doc example with output_dtype None', call: { product: A3, x1: 'int8[1,512]', weight: 'int8[128,512]', scale: 'float32[1]', offset: 'float32[128]', bias: 'int32[128]' }, verdict: 'accept', rows: ['table2#2'], path: 'int8-requant' },
  // npu_quant_matmul doc E1: x1 (1, 256, 768), x2 (31, 768, 16), 3-D int32 bias (31, 1, 16), int8 out
  { name: 'op doc E1, batch broadcast with a 3-D bias', call: { product: A2, target: 'op', x1: 'int8[1,256,768]', weight: 'int8[31,16,768]', scale: 'float32[16]', offset: 'float32[16]', bias: 'int32[31,1,16]' }, verdict: 'accept', rows: ['table2#2'], path: 'int8-requant' },
  // E2 of the op doc's examples (docs/family.md 1.6): int64 scale from npu_trans_quant_param, fp16 output
  { name: 'op doc E2, int64 scale, fp16 out', call: { product: P310, target: 'op', x1: 'int8[15,1,512]', weight: 'int8[15,128,512]', scale: 'int64[1]', bias: 'int32[15,1,128]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table1#1'], path: 'fp16-fixpipe' },
  // E3: bf16 scale and bias, pertoken, bf16 out (A2/A3 only)
  { name: 'op doc E3 on A2', call: { product: A2, target: 'op', x1: 'int8[15,11264]', weight: 'int8[6912,11264]', scale: 'bfloat16[6912]', pertoken_scale: 'float32[15]', bias: 'bfloat16[6912]', output_dtype: 'bfloat16' }, verdict: 'accept', rows: ['table2#3'], path: 'bf16-vector' },
  { name: 'op doc E3 on the 310P: no bf16 row', call: { product: P310, target: 'op', x1: 'int8[15,11264]', weight: 'int8[6912,11264]', scale: 'bfloat16[6912]', pertoken_scale: 'float32[15]', bias: 'bfloat16[6912]', output_dtype: 'bfloat16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'op doc E3 without bias', call: { product: A3, target: 'op', x1: 'int8[15,11264]', weight: 'int8[6912,11264]', scale: 'bfloat16[6912]', pertoken_scale: 'float32[15]', output_dtype: 'bfloat16' }, verdict: 'accept', rows: ['table2#3'], path: 'bf16-vector' },
  // E4: 310P, int64 scale with packed offset passed too, 1-D bias, int8 out
  { name: 'op doc E4 on the 310P', call: { product: P310, target: 'op', x1: 'int8[15,1,512]', weight: 'int8[15,128,512]', scale: 'int64[1]', offset: 'float32[1]', bias: 'int32[128]' }, verdict: 'accept', rows: ['table1#2'], path: 'int8-requant' },
  // fp16 output with pertoken and a float bias (row 4)
  { name: 'row 4: fp16 out, pertoken, fp32 bias', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', pertoken_scale: 'float32[16]', bias: 'float32[32]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table2#4'], path: 'fp16-pertoken' },
  { name: 'row 1 and row 4 both allow fp32 scale, int32 bias, fp16 out', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', bias: 'int32[32]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table2#1', 'table2#4'], path: 'fp16-fixpipe' },
  // public reports and the library's known departures
  { name: 'fp16 out with a float bias and no pertoken (aclnn requires pertoken)', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', bias: 'float16[32]', output_dtype: 'float16' }, verdict: 'divergence', rows: ['table2#4'], path: 'fp16-float-bias', div: 'fp16-float-bias-needs-pertoken' },
  { name: 'vllm-ascend #3257: pertoken with a 3-D x1', call: { product: A2, x1: 'int8[2,16,512]', weight: 'int8[2,128,512]', scale: 'float32[128]', pertoken_scale: 'float32[16]', output_dtype: 'bfloat16' }, verdict: 'divergence', rows: ['table2#3'], path: 'bf16-vector', div: 'vllm-3257-pertoken-rank3' },
  { name: 'pertoken on the 310P with newer CANN', call: { product: P310, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', pertoken_scale: 'float32[16]', output_dtype: 'float16' }, verdict: 'divergence', rules: ['outside-table'], path: 'fp16-pertoken', div: 'pertoken-on-310p-with-newer-cann' },
  { name: 'k = 65536 on A2 with pertoken (the k-limit waiver)', call: { product: A2, x1: 'int8[16,65536]', weight: 'int8[128,65536]', scale: 'float32[128]', pertoken_scale: 'float32[16]', output_dtype: 'bfloat16' }, verdict: 'divergence', rules: ['last-dim-limit'], path: 'bf16-vector', div: 'k-limit-waiver' },
  { name: 'k = 65536 on A2 without pertoken: the waiver does not apply', call: { product: A2, x1: 'int8[16,65536]', weight: 'int8[128,65536]', scale: 'float32[128]', output_dtype: 'bfloat16' }, verdict: 'reject', rules: ['last-dim-limit'], path: null },
  { name: 'k = 65536 on the 310P (always checked)', call: { product: P310, x1: 'int8[16,65536]', weight: 'int8[128,65536]', scale: 'float32[128]', output_dtype: 'float16' }, verdict: 'reject', rules: ['last-dim-limit'], path: null },
  { name: 'n = 65536 (the module passes the weight transposed)', call: { product: P310, x1: 'int8[2,16]', weight: 'int8[65536,16]', scale: 'float32[1]', output_dtype: 'float16' }, verdict: 'divergence', rules: ['last-dim-limit'], path: 'fp16-fixpipe', div: 'n-not-checked-for-transposed-weight' },
  { name: 'k and n both past the limit: no waiver covers both', call: { product: A2, x1: 'int8[2,65536]', weight: 'int8[65536,65536]', scale: 'float32[1]', output_dtype: 'float16' }, verdict: 'reject', rules: ['last-dim-limit'], path: null },
  { name: 'k past the limit and a wrong scale length: the waiver does not excuse the other rule', call: { product: A2, x1: 'int8[2,65536]', weight: 'int8[16,65536]', scale: 'float32[7]', output_dtype: 'float16' }, verdict: 'reject', rules: ['last-dim-limit', 'scale-shape'], path: null },
  // rule edges
  { name: 'rank 7 x1', call: { product: A2, x1: 'int8[1,1,1,1,1,16,64]', weight: 'int8[32,64]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['rank'], path: null },
  { name: 'rank 6 on both sides broadcasts', call: { product: A2, x1: 'int8[2,1,2,1,2,16]', weight: 'int8[1,2,1,2,8,16]', scale: 'float32[8]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table2#1', 'table2#4'], path: 'fp16-fixpipe' },
  { name: 'batches that do not broadcast', call: { product: A2, x1: 'int8[2,16,64]', weight: 'int8[3,32,64]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['batch-broadcast'], path: null },
  { name: 'k of x1 and weight differ', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,65]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['contraction'], path: null },
  { name: 'a 3-D bias with a 2-D output', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', bias: 'int32[1,1,32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['bias-shape'], path: null },
  { name: 'pertoken of length n instead of m', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', pertoken_scale: 'float32[32]', output_dtype: 'bfloat16' }, verdict: 'reject', rules: ['pertoken-shape'], path: null },
  { name: 'an empty x1', call: { product: A2, x1: 'int8[0,64]', weight: 'int8[32,64]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['non-empty'], path: null },
  // dtypes
  { name: 'the module guard: fp16 x1 and weight', call: { product: A2, x1: 'float16[16,64]', weight: 'float16[32,64]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['x1-weight-int8', 'outside-table'], path: null },
  { name: 'the op has no module guard', call: { product: A2, target: 'op', x1: 'float16[16,64]', weight: 'float16[32,64]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'fp16 scale: no row has it', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float16[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'offset with fp16 output', call: { product: A3, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', offset: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
];

/**
 * npu_quant_matmul, by the op's own names and layout: x2 is written (…, k, n) as the doc writes it (an
 * int32 x2 as the transposed view (k/8, n) of a contiguous (n, k/8)); int32 operands with their packed
 * storage shapes, as a user passes them.
 */
const PINNED_OP: Pinned[] = [
  { name: 'op doc E1: batch broadcast, 3-D bias, int8 out', call: { product: A2, x1: 'int8[1,256,768]', x2: 'int8[31,768,16]', scale: 'float32[16]', offset: 'float32[16]', bias: 'int32[31,1,16]' }, verdict: 'accept', rows: ['table2#2'], path: 'int8-requant' },
  { name: 'op doc E1 on the 310P', call: { product: P310, x1: 'int8[1,256,768]', x2: 'int8[31,768,16]', scale: 'float32[16]', offset: 'float32[16]', bias: 'int32[31,1,16]' }, verdict: 'accept', rows: ['table1#2'], path: 'int8-requant' },
  { name: 'op doc E2: int64 scale, fp16 out', call: { product: P310, x1: 'int8[15,1,512]', x2: 'int8[15,512,128]', scale: 'int64[1]', bias: 'int32[15,1,128]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table1#1'], path: 'fp16-fixpipe' },
  { name: 'op doc E3: bf16 scale and bias, pertoken', call: { product: A3, x1: 'int8[15,11264]', x2: 'int8[11264,6912]', scale: 'bfloat16[6912]', pertoken_scale: 'float32[15]', bias: 'bfloat16[6912]', output_dtype: 'bfloat16' }, verdict: 'accept', rows: ['table2#3'], path: 'bf16-vector' },
  { name: 'op row 4: fp16 out needs pertoken in this doc', call: { product: A2, x1: 'int8[16,64]', x2: 'int8[64,32]', scale: 'float32[32]', bias: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'op row 4 with a bf16 bias: the library wants bf16 output', call: { product: A2, x1: 'int8[16,64]', x2: 'int8[64,32]', scale: 'float32[32]', pertoken_scale: 'float32[16]', bias: 'bfloat16[32]', output_dtype: 'float16' }, verdict: 'divergence', rows: ['table2#4'], path: 'fp16-pertoken', div: 'bf16-bias-needs-bf16-output' },
  { name: 'op row 4 with an fp16 bias: the library accepts', call: { product: A2, x1: 'int8[16,64]', x2: 'int8[64,32]', scale: 'float32[32]', pertoken_scale: 'float32[16]', bias: 'float16[32]', output_dtype: 'float16' }, verdict: 'divergence', rules: ['outside-table'], path: 'fp16-pertoken', div: 'fp16-bias-with-pertoken' },
  { name: 'op row 5: int4 (LinearQuant doc sizes), fp16 out', call: { product: A2, x1: 'int32[1,64]', x2: 'int32[64,128]', scale: 'float32[1]', bias: 'int32[128]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table2#5'], path: 'fp16-fixpipe' },
  { name: 'op row 5 on the 310P: no int4', call: { product: P310, x1: 'int32[1,64]', x2: 'int32[64,128]', scale: 'float32[1]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'int4 with n not a multiple of 8 (aclnn checks only k for a transposed x2)', call: { product: A2, x1: 'int32[16,8]', x2: 'int32[8,60]', scale: 'float32[60]', output_dtype: 'float16' }, verdict: 'divergence', rules: ['int4-multiple-of-8'], path: 'fp16-fixpipe', div: 'int4-n-not-multiple-of-8' },
  { name: 'int4 on the 310P with n not a multiple of 8: no int4 there', call: { product: P310, x1: 'int32[16,8]', x2: 'int32[8,60]', scale: 'float32[60]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table', 'int4-multiple-of-8'], path: null },
  { name: 'int8 x1 with an int32 x2 (A8W4): outside this doc', call: { product: A2, x1: 'int8[16,64]', x2: 'int32[8,32]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'A4W4 with pertoken (op-plugin test, vllm-ascend W4A4)', call: { product: A2, x1: 'int32[16,8]', x2: 'int32[8,32]', scale: 'float32[32]', pertoken_scale: 'float32[16]', output_dtype: 'bfloat16' }, verdict: 'divergence', rules: ['outside-table'], path: 'bf16-vector', div: 'a4w4-pertoken-bf16' },
  { name: 'op row 6: A4W4 per-group, bf16 out', call: { product: A2, x1: 'int32[4,128]', x2: 'int32[128,256]', scale: 'float32[4,256]', offset: 'float16[4,256]', pertoken_scale: 'float32[4,1]', output_dtype: 'bfloat16' }, verdict: 'divergence', rows: ['table2#6'], path: 'group-dequant-bf16', div: 'group-row-refusal-unsettled' },
  { name: 'op row 6 with a 1-D scale', call: { product: A2, x1: 'int32[4,128]', x2: 'int32[128,256]', scale: 'float32[256]', offset: 'float16[4,256]', pertoken_scale: 'float32[4,1]', output_dtype: 'float16' }, verdict: 'reject', rules: ['group-scale-shape'], path: null },
  { name: 'op row 6 with k not aligned to 1024', call: { product: A3, x1: 'int32[4,64]', x2: 'int32[64,256]', scale: 'float32[2,256]', offset: 'float16[2,256]', pertoken_scale: 'float32[4,1]', output_dtype: 'bfloat16' }, verdict: 'reject', rules: ['group-alignment'], path: null },
  { name: 'op row 7: int32 output', call: { product: A2, x1: 'int8[16,64]', x2: 'int8[64,32]', scale: 'float32[32]', bias: 'int32[32]', output_dtype: 'int32' }, verdict: 'accept', rows: ['table2#7'], path: 'int32-acc' },
  { name: 'op row 7 on the 310P', call: { product: P310, x1: 'int8[16,64]', x2: 'int8[64,32]', scale: 'float32[32]', output_dtype: 'int32' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'int32 output with an int64 scale', call: { product: A2, x1: 'int8[16,64]', x2: 'int8[64,32]', scale: 'int64[32]', output_dtype: 'int32' }, verdict: 'reject', rules: ['outside-table'], path: null },
];

/** LinearQuant: the module's x1 and variables (weight (n, k), an int32 weight (n, k/8)). */
const PINNED_LQ: Pinned[] = [
  { name: 'LinearQuant doc L1: eager int8, offset, int8 out', call: { product: A2, x1: 'int8[1,512]', weight: 'int8[128,512]', scale: 'float32[1]', offset: 'float32[128]', bias: 'int32[128]', output_dtype: 'int8' }, verdict: 'accept', rows: ['table2#2'], path: 'int8-requant' },
  { name: 'LinearQuant doc L1 on the 310P', call: { product: P310, x1: 'int8[1,512]', weight: 'int8[128,512]', scale: 'float32[1]', offset: 'float32[128]', bias: 'int32[128]', output_dtype: 'int8' }, verdict: 'accept', rows: ['table1#2'], path: 'int8-requant' },
  { name: 'LinearQuant doc L2: int4 x1 (1, 64), weight (128, 64), fp16 out', call: { product: A2, x1: 'int32[1,64]', weight: 'int32[128,64]', scale: 'float32[1]', bias: 'int32[128]', output_dtype: 'float16' }, verdict: 'accept', rows: ['table2#5'], path: 'fp16-fixpipe' },
  { name: 'LinearQuant doc L2 on the 310P', call: { product: P310, x1: 'int32[1,64]', weight: 'int32[128,64]', scale: 'float32[1]', bias: 'int32[128]', output_dtype: 'float16' }, verdict: 'reject', rules: ['outside-table'], path: null },
  { name: 'int4 with a batched weight', call: { product: A2, x1: 'int32[2,16,8]', weight: 'int32[2,32,8]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['int4-weight-2d'], path: null },
  { name: 'mixed int8 x1 and int32 weight: the module guard', call: { product: A2, x1: 'int8[16,64]', weight: 'int32[32,8]', scale: 'float32[32]', output_dtype: 'float16' }, verdict: 'reject', rules: ['x1-weight-same-int', 'outside-table'], path: null },
  { name: 'int32 output (row 6)', call: { product: A3, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'bfloat16[32]', bias: 'int32[32]', output_dtype: 'int32' }, verdict: 'accept', rows: ['table2#6'], path: 'int32-acc' },
  { name: 'row 4 with a float bias and no pertoken (the modules list None)', call: { product: A2, x1: 'int8[16,64]', weight: 'int8[32,64]', scale: 'float32[32]', bias: 'float16[32]', output_dtype: 'float16' }, verdict: 'divergence', rows: ['table2#4'], path: 'fp16-float-bias', div: 'fp16-float-bias-needs-pertoken' },
  { name: 'A4W4 with pertoken through the module', call: { product: A2, x1: 'int32[16,8]', weight: 'int32[32,8]', scale: 'float32[32]', pertoken_scale: 'float32[16]', output_dtype: 'float16' }, verdict: 'divergence', rules: ['outside-table'], path: 'fp16-pertoken', div: 'a4w4-pertoken-fp16' },
  { name: 'the per-group row is not the module\'s', call: { product: A2, x1: 'int32[4,128]', weight: 'int32[256,128]', scale: 'float32[4,256]', offset: 'float16[4,256]', pertoken_scale: 'float32[4,1]', output_dtype: 'bfloat16' }, verdict: 'reject', rules: ['outside-table', 'scale-shape', 'offset-shape', 'pertoken-shape'], path: null },
];

const SPECS = { a8w8: 'specs/linear-a8w8-quant.yml', op: 'specs/npu-quant-matmul.yml', lq: 'specs/linear-quant.yml' };

for (const [file, pins] of [[SPECS.op, PINNED_OP], [SPECS.lq, PINNED_LQ]] as const) {
  describe(`explain: ${file} on calls from its doc and public reports`, () => {
    const spec = loadSpec(path.join(packageRoot(), file));
    for (const p of pins) {
      it(p.name, () => {
        const e = explainCall(spec, parseCall(spec, p.call));
        assert.strictEqual(e.verdict, p.verdict, formatExplanation(e).join('\n'));
        if (p.rows) assert.deepStrictEqual(e.rows.map((r) => r.key), p.rows);
        assert.deepStrictEqual(e.rejections.map((r) => r.rule), p.rules ?? []);
        if (p.path !== undefined) assert.strictEqual(e.path, p.path);
        assert.strictEqual(e.divergence?.id, p.div);
      });
    }
  });
}

describe('explain: the contract oracle on calls from the docs and public reports', () => {
  const spec = loadSpec(path.join(packageRoot(), SPECS.a8w8));
  for (const p of PINNED) {
    it(p.name, () => {
      const e = explainCall(spec, parseCall(spec, p.call));
      assert.strictEqual(e.verdict, p.verdict, formatExplanation(e).join('\n'));
      if (p.rows) assert.deepStrictEqual(e.rows.map((r) => r.key), p.rows);
      assert.deepStrictEqual(e.rejections.map((r) => r.rule), p.rules ?? []);
      if (p.path !== undefined) assert.strictEqual(e.path, p.path);
      assert.strictEqual(e.divergence?.id, p.div);
      for (const r of e.rejections) {
        assert.ok(r.text.length > 0 && r.pos.line > 0, `rejection ${r.rule} carries the spec's words and position`);
      }
    });
  }

  it('the expansion takes every case\'s verdict from the same oracle', () => {
    for (const c of expandCases(spec, { profile: 'smoke', seed: 0 })) {
      const v = judgeCall(spec, { product: c.product, dtypes: c.dtypes, shapes: c.shapes, target: c.call.target });
      assert.strictEqual(v.expect, c.expect, c.id);
      assert.strictEqual(v.divergence?.id ?? null, c.divergence?.id ?? null, c.id);
      assert.strictEqual(v.rejections[0]?.rule ?? null, c.rejectedBy?.rule ?? null, c.id);
    }
  });

  it('a JSON call gives the same answer as the flags', () => {
    const json = '{"product":"atlas-a2","x1":{"dtype":"int8","shape":[2,16,512]},"weight":"int8[2,128,512]","scale":"float32[128]","pertoken_scale":"float32[16]","output_dtype":"bfloat16"}';
    const a = explainCall(spec, parseJsonCall(spec, json, 'stdin'));
    const b = explainCall(spec, parseCall(spec, PINNED.find((p) => p.name.startsWith('vllm-ascend #3257'))!.call));
    assert.deepStrictEqual(a, b);
  });

  it('bad calls are refused with what and where', () => {
    const bad: [string, RawCall | string][] = [
      ['product', { product: 'atlas-a9', x1: 'int8[1,2]', weight: 'int8[2,2]', scale: 'float32[1]' }],
      ['x1.dtype', { product: A2, x1: 'int9[1,2]', weight: 'int8[2,2]', scale: 'float32[1]' }],
      ['--x1', { product: A2, x1: 'int8(1,2)', weight: 'int8[2,2]', scale: 'float32[1]' }],
      ['x1.shape', { product: A2, x1: 'int8[1,-2]', weight: 'int8[2,2]', scale: 'float32[1]' }],
      ['--scale', { product: A2, x1: 'int8[1,2]', weight: 'int8[2,2]' }],
      ['output_dtype', { product: A2, x1: 'int8[1,2]', weight: 'int8[2,2]', scale: 'float32[1]', output_dtype: 'float8' }],
      ['target', { product: A2, target: 'graph', x1: 'int8[1,2]', weight: 'int8[2,2]', scale: 'float32[1]' }],
      ['stdin: not JSON', '{product'],
      ['only the keys', '{"product":"atlas-a2","x1":"int8[1,2]","weight":"int8[2,2]","scale":"float32[1]","x3":1}'],
    ];
    for (const [where, call] of bad) {
      assert.throws(() => (typeof call === 'string' ? parseJsonCall(spec, call, 'stdin') : parseCall(spec, call)),
        (e: unknown) => e instanceof HarnessError && e.message.includes(where), where);
    }
  });
});
