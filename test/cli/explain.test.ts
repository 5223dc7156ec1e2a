import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../harness/cli/main';
import { capture, tmpDir } from '../helpers/cli';

describe('cli: explain', () => {
  it('answers in words with the rule, its position and the doc\'s words', async () => {
    const ctx = capture();
    const code = await main(['explain', '--spec-id', 'linear-a8w8-quant', '--product', 'atlas-inference', '--x1', 'int8[16,65536]', '--weight', 'int8[128,65536]',
      '--scale', 'float32[128]', '--output-dtype', 'float16'], ctx);
    assert.equal(code, 0);
    const text = ctx.lines.join('\n');
    assert.match(text, /^atlas-inference: REJECT/);
    assert.match(text, /shape rule last-dim-limit \(.*linear-a8w8-quant\.yml:\d+:\d+\): ".*65535" — k = 65536 > 65535/);
  });

  it('--json is versioned and reads a call from a file', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'call.json');
    fs.writeFileSync(file, JSON.stringify({ product: 'atlas-a2', x1: 'int8[2,16,512]', weight: 'int8[2,128,512]', scale: 'float32[128]', pertoken_scale: 'float32[16]', output_dtype: 'bfloat16' }));
    const ctx = capture();
    assert.equal(await main(['explain', 'specs/linear-a8w8-quant.yml', '--call', file, '--json'], ctx), 0);
    const e = JSON.parse(ctx.lines.join('\n')) as { version: number; verdict: string; divergence: { id: string }; path: string };
    assert.equal(e.version, 1);
    assert.equal(e.verdict, 'divergence');
    assert.equal(e.divergence.id, 'vllm-3257-pertoken-rank3');
    assert.equal(e.path, 'bf16-vector');
  });

  it('a bad call is a usage error (exit 2) naming the flag', async () => {
    const ctx = capture();
    assert.equal(await main(['explain', '--spec-id', 'linear-quant', '--product', 'atlas-a2', '--x1', 'int8[16,64]', '--weight', 'int8[32,64]'], ctx), 2);
    assert.match(ctx.errors.join('\n'), /--scale: expected a tensor/);
  });

  it('takes the op\'s own input names and layout, and packed int4 storage shapes', async () => {
    const ctx = capture();
    // the LinearQuant doc's int4 sizes on the op: x1 (1, 64) and x2 the (k/8, n) view, as torch passes them
    assert.equal(await main(['explain', '--spec-id', 'npu-quant-matmul', '--product', 'atlas-a2', '--x1', 'int32[1,64]',
      '--input', 'x2=int32[64,128]', '--scale', 'float32[1]', '--bias', 'int32[128]', '--output-dtype', 'float16', '--json'], ctx), 0);
    const e = JSON.parse(ctx.lines.join('\n')) as { verdict: string; path: string; call: { shapes: { x1: number[]; weight: number[] } } };
    assert.equal(e.verdict, 'accept');
    assert.equal(e.path, 'fp16-fixpipe');
    assert.deepEqual([e.call.shapes.x1, e.call.shapes.weight], [[1, 512], [128, 512]]);
  });

  it('with several specs loaded, asks which one', async () => {
    const ctx = capture();
    assert.equal(await main(['explain', '--product', 'atlas-a2', '--x1', 'int8[16,64]', '--weight', 'int8[32,64]', '--scale', 'float32[32]'], ctx), 2);
    assert.match(ctx.errors.join('\n'), /linear-a8w8-quant.*linear-quant.*npu-quant-matmul.*--spec-id/);
  });
});
