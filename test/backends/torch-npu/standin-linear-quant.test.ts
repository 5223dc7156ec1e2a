/**
 * The stand-in's LinearQuant module (test/fixtures/torch_npu_standin/torch_npu/contrib/module/linear_quant.py),
 * checked against what docs/semantics.md 3.6 says torch_npu's linear_quant.py does: keyword-only
 * arguments after out_features, the one dtype guard (a ValueError), the fp32 scale converted with
 * npu_trans_quant_param only without pertoken and for output other than bf16/int32, and the op called
 * on the transposed weight view, int4 included; and the op's int4 unpacking (lowest nibble first, two's
 * complement, docs/semantics.md 3.1).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { standinEnv, SYSTEM_PYTHON } from './helpers';

/** Runs a Python snippet with the stand-in importable; returns its stdout. */
function py(code: string, extra: Record<string, string> = {}): string {
  try {
    return execFileSync(SYSTEM_PYTHON, ['-c', code], { encoding: 'utf8', env: standinEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    assert.fail(`the Python check failed:\n${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
}

const PRELUDE = `
import torch, torch_npu
from torch_npu.contrib.module import LinearQuant
assert torch_npu.__a8w8_standin__
def pack(v):  # int4 values (..., 8c) -> int32 (..., c), value i in bits 4i..4i+3
    v = (v.to(torch.int64) & 0xF).reshape(tuple(v.shape[:-1]) + (-1, 8))
    w = sum(v[..., i] << (4 * i) for i in range(8))
    return torch.where(w >= 2 ** 31, w - 2 ** 32, w).to(torch.int32)
g = torch.Generator().manual_seed(7)
`;

describe('torch-npu stand-in: LinearQuant and int4 operands', function () {
  this.timeout(60_000);

  it('takes everything after out_features as keywords only, as torch_npu does', () => {
    const out = py(`${PRELUDE}
try:
    LinearQuant(64, 32, False)
    print('accepted')
except TypeError as e:
    print('TypeError')
m = LinearQuant(64, 32, bias=False, offset=True, pertoken_scale=True, device=None, dtype=None, output_dtype=torch.float16)
print(m.bias is None, tuple(m.offset.shape), tuple(m.pertoken_scale.shape), m.weight.dtype)
`);
    assert.deepEqual(out.trim().split('\n'), ['TypeError', 'True (32,) (32,) torch.float32']);
  });

  it('refuses input and weight that are not both int8 or both int32 with a ValueError', () => {
    const out = py(`${PRELUDE}
for xd, wd in ((torch.int8, torch.int32), (torch.int32, torch.int8), (torch.float16, torch.float16)):
    m = LinearQuant(64, 16, bias=False, output_dtype=torch.float16)
    m.weight.data = torch.zeros((16, 8 if wd == torch.int32 else 64), dtype=wd)
    m.scale.data = torch.ones(16)
    try:
        m(torch.zeros((4, 8 if xd == torch.int32 else 64), dtype=xd))
        print('accepted')
    except ValueError as e:
        print('ValueError', 'both torch.int32 or both torch.int8' in str(e))
`);
    assert.deepEqual(out.trim().split('\n'), ['ValueError True', 'ValueError True', 'ValueError True']);
  });

  it('computes int4 (A4W4 per-channel, fp32 scale converted) as the op on the transposed weight view', () => {
    const out = py(`${PRELUDE}
x = torch.randint(-8, 8, (5, 64), generator=g); w = torch.randint(-8, 8, (16, 64), generator=g)
scale = torch.full((16,), 2.0 ** -4); bias = torch.randint(-50, 50, (16,), generator=g, dtype=torch.int32)
m = LinearQuant(64, 16, bias=True, output_dtype=torch.float16)
m.weight.data = pack(w); m.scale.data = scale; m.bias.data = bias
y = m(pack(x))
want = ((x.to(torch.int64) @ w.to(torch.int64).T + bias).to(torch.float32) * 2.0 ** -4).to(torch.float16)
op = torch_npu.npu_quant_matmul(pack(x), pack(w).transpose(-2, -1), torch_npu.npu_trans_quant_param(scale), bias=bias,
                                output_dtype=torch.float16)
print(y.dtype, tuple(y.shape), torch.equal(y, want), torch.equal(y, op))
`);
    assert.equal(out.trim(), 'torch.float16 (5, 16) True True');
  });

  it('gives int32 output as acc + bias, the scale not taking part, and refuses int4 with int32 output', () => {
    const out = py(`${PRELUDE}
x = torch.randint(-128, 128, (3, 40), generator=g, dtype=torch.int8); w = torch.randint(-128, 128, (8, 40), generator=g, dtype=torch.int8)
bias = torch.randint(-1000, 1000, (8,), generator=g, dtype=torch.int32)
m = LinearQuant(40, 8, bias=True, output_dtype=torch.int32)
m.weight.data = w; m.scale.data = torch.full((8,), 0.5); m.bias.data = bias
y = m(x)
print(y.dtype, torch.equal(y, (x.to(torch.int64) @ w.to(torch.int64).T + bias).to(torch.int32)))
try:
    torch_npu.npu_quant_matmul(pack(x.clamp(-8, 7)), pack(w.clamp(-8, 7)).transpose(-2, -1), torch.ones(8), output_dtype=torch.int32)
    print('accepted')
except RuntimeError as e:
    print('RuntimeError', 'EZ1001' in str(e))
`);
    assert.deepEqual(out.trim().split('\n'), ['torch.int32 True', 'RuntimeError True']);
  });

  it("unpacks the lowest nibble first, two's complement, and refuses a transposed int32 x1 and a 3-D int32 x2", () => {
    const out = py(`${PRELUDE}
from torch_npu import _numerics
word = torch.tensor([[0x7654321F - 2 ** 32 if 0x7654321F >= 2 ** 31 else 0x7654321F, -0x77777778]], dtype=torch.int32)
print(_numerics.unpack_int4(word).tolist())
x = pack(torch.randint(-8, 8, (8, 64), generator=g)); w = pack(torch.randint(-8, 8, (16, 64), generator=g))
for label, x1, x2 in (('x1-transposed', pack(torch.randint(-8, 8, (64, 64), generator=g)).T.contiguous().T, w.transpose(-2, -1)),
                      ('x2-3d', x, w.unsqueeze(0).transpose(-2, -1))):
    try:
        torch_npu.npu_quant_matmul(x1, x2, torch_npu.npu_trans_quant_param(torch.ones(16)), output_dtype=torch.float16)
        print(label, 'accepted')
    except RuntimeError as e:
        print(label, 'refused')
strided = torch.zeros((8, 16), dtype=torch.int32); strided[:, ::2] = x
y = torch_npu.npu_quant_matmul(strided[:, ::2], w.transpose(-2, -1), torch_npu.npu_trans_quant_param(torch.ones(16)), output_dtype=torch.float16)
print('strided', torch.equal(y, torch_npu.npu_quant_matmul(x, w.transpose(-2, -1), torch_npu.npu_trans_quant_param(torch.ones(16)), output_dtype=torch.float16)))
`);
    assert.deepEqual(out.trim().split('\n'), [
      '[[-1, 1, 2, 3, 4, 5, 6, 7, -8, -8, -8, -8, -8, -8, -8, -8]]', 'x1-transposed refused', 'x2-3d refused', 'strided True',
    ]);
  });
});
