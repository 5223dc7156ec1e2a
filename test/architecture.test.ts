import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { packageRoot } from '../harness/paths';

/**
 * The import direction of DEVELOPERS.md, checked on the source: data flows spec -> expand -> data -> run
 * -> compare -> report, and a stage imports nothing above it. A violation names the file and the import.
 */

const HARNESS = path.join(packageRoot(), 'harness');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The top folder under harness/ a file belongs to (`spec`, `expand`, ...) or its name for top-level files. */
function stageOf(file: string): string {
  return path.relative(HARNESS, file).split(path.sep)[0];
}

interface Edge { from: string; to: string; spec: string }

/** Every relative import (and re-export) of every harness file, resolved to a file under harness/. */
function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of tsFiles(HARNESS)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, false);
    for (const imp of info.importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), imp.fileName);
      if (!target.startsWith(HARNESS + path.sep)) continue;
      out.push({ from: file, to: target, spec: imp.fileName });
    }
  }
  return out;
}

const ALL = edges();
const rel = (f: string): string => path.relative(packageRoot(), f);
const label = (e: Edge): string => `${rel(e.from)} imports '${e.spec}'`;
/** `../dtypes` -> `dtypes.ts`; `../spec/types` and `../report` (a folder's index) -> `spec`, `report` */
function targetStage(e: Edge): string {
  const parts = path.relative(HARNESS, e.to).split(path.sep);
  if (parts.length > 1 || (fs.existsSync(e.to) && fs.statSync(e.to).isDirectory())) return parts[0];
  return parts[0].endsWith('.ts') ? parts[0] : `${parts[0]}.ts`;
}

describe('architecture: the import direction', () => {
  it('finds the imports it checks (the parser sees the code)', () => {
    assert.ok(ALL.length > 200, `only ${ALL.length} imports found`);
    assert.ok(ALL.some((e) => stageOf(e.from) === 'spec'));
  });

  it('the spec stage imports only the spec stage and the shared leaf modules', () => {
    const allowed = new Set(['spec', 'dtypes.ts', 'errors.ts', 'paths.ts', 'files.ts', 'numerics.ts']);
    const bad = ALL.filter((e) => stageOf(e.from) === 'spec' && !allowed.has(targetStage(e)));
    assert.deepEqual(bad.map(label), []);
  });

  it('expand imports nothing from the stages after it (but the listed exceptions)', () => {
    const later = new Set(['data', 'run', 'compare', 'judge', 'report', 'backends', 'reference', 'forensics', 'cli']);
    const bad = ALL.filter((e) => stageOf(e.from) === 'expand' && later.has(targetStage(e)));
    // the numeric path of a combination is the spec's (`numerics`), so the smoke profile no longer asks the reference
    assert.deepEqual(bad.map(label), []);
  });

  it('only the CLI imports forensics or explain', () => {
    const bad = ALL.filter((e) => {
      const to = targetStage(e);
      const from = stageOf(e.from);
      return (to === 'forensics' || to === 'explain') && from !== to && from !== 'cli';
    });
    assert.deepEqual(bad.map(label), []);
  });

  it('run never imports the CLI or the report', () => {
    const bad = ALL.filter((e) => stageOf(e.from) === 'run' && ['cli', 'report'].includes(targetStage(e)));
    assert.deepEqual(bad.map(label), []);
  });
});
