import assert from 'node:assert/strict';
import { main } from '../../harness/cli/main';
import { capture } from '../helpers/cli';


describe('cli: list, coverage, doc', function () {
  this.timeout(60_000);

  it('list --json gives version 2, every spec with its id and hash, and complete records naming their spec', async () => {
    const ctx = capture();
    assert.equal(await main(['list', '--json', '--product', 'atlas-a2', '--profile', 'smoke'], ctx), 0);
    const doc = JSON.parse(ctx.lines.join('\n')) as {
      version: number; specs: { file: string; id: string; hash: string }[]; count: number; cases: { id: string; spec: string; product: string }[];
    };
    assert.equal(doc.version, 2);
    // with no spec named, every spec of specs/
    assert.deepEqual(doc.specs.map((s) => s.id), ['linear-a8w8-quant', 'linear-quant', 'npu-quant-matmul']);
    for (const s of doc.specs) assert.match(s.hash, /^[0-9a-f]{64}$/);
    assert.equal(doc.count, doc.cases.length);
    assert.ok(doc.cases.every((c) => c.product === 'atlas-a2'));
    assert.ok(doc.cases.every((c) => doc.specs.some((s) => s.id === c.spec) && c.id.startsWith(`${c.spec}/atlas-a2/`)));
    for (const s of doc.specs) assert.ok(doc.cases.some((c) => c.spec === s.id), s.id);
  });

  it('list, coverage, doc and explain take the spec file positionally, as lint does', async () => {
    const file = 'specs/linear-a8w8-quant.yml';
    const run = async (args: string[]) => {
      const ctx = capture();
      return { code: await main(args, ctx), ctx };
    };
    const byFlag = await run(['list', '--spec', file, '--profile', 'smoke']);
    const byArg = await run(['list', file, '--profile', 'smoke']);
    assert.equal(byArg.code, 0);
    assert.deepEqual(byArg.ctx.lines, byFlag.ctx.lines);
    assert.equal((await run(['coverage', file, '--profile', 'smoke'])).code, 0);
    assert.equal((await run(['doc', file])).code, 0);
    assert.equal((await run(['explain', file, '--product', 'atlas-a2', '--x1', 'int8[2,16]', '--weight', 'int8[8,16]', '--scale', 'float32[8]'])).code, 0);
    // positional files and --spec add up; one file named both ways is read once
    const twice = await run(['list', file, '--spec', file, '--profile', 'smoke']);
    assert.deepEqual(twice.ctx.lines, byFlag.ctx.lines);
    const both = await run(['list', file, '--spec', 'other.yml']);
    assert.equal(both.code, 1, 'a spec that cannot be read is a spec error');
    assert.match(both.ctx.errors.join('\n'), /spec other\.yml is invalid/);
  });

  it('list shards are deterministic and partition the list', async () => {
    const ids = async (args: string[]) => {
      const ctx = capture();
      assert.equal(await main(['list', '--profile', 'smoke', ...args], ctx), 0);
      return ctx.lines;
    };
    const all = await ids([]);
    const parts = [await ids(['--shard', '1/2']), await ids(['--shard', '2/2'])];
    assert.deepEqual([...parts[0]!, ...parts[1]!].sort(), [...all].sort());
    assert.deepEqual(await ids(['--shard', '1/2']), parts[0]);
  });

  it('says what is wrong with bad arguments, exit 2, no stack trace', async () => {
    for (const [args, message] of [
      [['list', '--shard', '0/2'], /--shard expects i\/N/],
      [['list', '--product', 'atlas-x'], /unknown product 'atlas-x'; valid products: atlas-inference, atlas-a2, atlas-a3/],
      [['list', '--profile', 'huge'], /unknown profile 'huge'; valid profiles: smoke, full/],
      [['nope'], /unknown command/],
    ] as const) {
      const ctx = capture();
      assert.equal(await main([...args], ctx), 2, args.join(' '));
      const text = ctx.errors.join('\n');
      assert.match(text, message);
      assert.doesNotMatch(text, /\n\s+at /);
    }
  });

  it('coverage --strict passes on the spec in both profiles', async () => {
    for (const profile of ['smoke', 'full']) {
      const ctx = capture();
      assert.equal(await main(['coverage', '--strict', '--profile', profile], ctx), 0, ctx.errors.join('\n'));
      assert.ok(ctx.errors.some((l) => l.includes('0 gap(s)')));
    }
  });

  it('doc renders both tables', async () => {
    const ctx = capture();
    assert.equal(await main(['doc', 'specs/linear-a8w8-quant.yml'], ctx), 0);
    const text = ctx.lines.join('\n');
    assert.match(text, /^表1 Atlas 推理系列产品/);
    assert.match(text, /\| int8 \| int8 \| float32 \| None \| int32\/float16\/float32\/None \| float32\/None \| float16 \|/);
  });
});
