import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { benchSmallCallsByIsa } from '../../bench/small-calls';
import { SMALL_SHAPES } from '../../bench/shapes';
import type { EngineChoice, EngineInfo, IsaName, NativeReference } from '../../harness/reference/native';

// A reference that only records what it is asked: which paths were chosen, and how many calls ran.
function stub(bestIsa: IsaName, isa: IsaName = bestIsa): { ref: NativeReference; choices: EngineChoice[]; runs: () => number } {
  let runs = 0;
  const choices: EngineChoice[] = [];
  const info = { engine: 'portable', isa, bestIsa, reason: 'stub', threads: 2, onednnLinked: false, probe: { ran: false, exact: false, detail: '' } } as EngineInfo;
  const ref = {
    engineInfo: () => info,
    configure: (c: EngineChoice) => { choices.push(c); return info; },
    gemmEpilogue: () => ({ newOutput: () => new Int8Array(1), run: () => { runs++; } }),
  } as unknown as NativeReference;
  return { ref, choices, runs: () => runs };
}

describe('bench: small calls on every SIMD path', () => {
  it('times the paths the CPU runs, best first, and puts the engine and path back', () => {
    for (const [best, want] of [['avx512vnni', ['avx512vnni', 'avx2']], ['avx2', ['avx2']]] as const) {
      const { ref, choices, runs } = stub(best);
      const out = benchSmallCallsByIsa(ref);
      assert.deepEqual(out.map((p) => p.isa), want);
      for (const p of out) assert.equal(p.gemmEpilogueS.length, SMALL_SHAPES.length);
      assert.ok(runs() > 0);
      assert.deepEqual(choices, [...want.map((isa) => ({ engine: 'portable', isa })), { engine: 'portable', isa: best }]);
    }
  });

  it('puts back the path that was in use, not the best one', () => {
    const { ref, choices } = stub('avx512vnni', 'scalar');
    benchSmallCallsByIsa(ref);
    assert.deepEqual(choices.at(-1), { engine: 'portable', isa: 'scalar' });
  });

  it('times nothing on a CPU whose best path is scalar (no SIMD path to compare)', () => {
    const { ref, choices } = stub('scalar');
    assert.deepEqual(benchSmallCallsByIsa(ref), []);
    assert.deepEqual(choices, [{ engine: 'portable', isa: 'scalar' }]);
  });
});
