import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { COLUMNS, DTYPES } from '../../harness/dtypes';
import { formatDiagnostic } from '../../harness/errors';
import { DEFECT_CLASSES } from '../../harness/coverage/compute';
import { PROFILES } from '../../harness/expand/profiles';
import { SENSITIVE_TAGS, UNJUDGED_TAG } from '../../harness/expand/smoke';
import { PATH_IDS } from '../../harness/numerics';
import { packageRoot } from '../../harness/paths';
import { lintFile } from '../../harness/spec/lint';

/**
 * docs/authoring.md walks through one spec, test/fixtures/specs/valid/authoring-example.yml: the file
 * must lint clean (not even a warning), the page must show it whole, and every YAML snippet on the page
 * must be a piece of it, so neither can drift from the other or from the language. The closed sets the
 * page lists are held against the code's.
 */
const ROOT = packageRoot();
const EXAMPLE = path.join(ROOT, 'test', 'fixtures', 'specs', 'valid', 'authoring-example.yml');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'authoring.md'), 'utf8');
const YAML_BLOCKS = [...DOC.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => m[1]!);

describe('docs/authoring.md and its example spec', () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8');

  it('the example lints clean, without warnings', () => {
    const result = lintFile(EXAMPLE);
    assert.deepEqual(result.diagnostics.map(formatDiagnostic), []);
    assert.ok(result.spec);
  });

  it('the page shows the example whole', () => {
    assert.ok(YAML_BLOCKS.includes(text.replace(/\n$/, '')), 'a yaml block is the complete file');
  });

  it('every YAML snippet on the page is a piece of the example', () => {
    assert.ok(YAML_BLOCKS.length >= 10, `${YAML_BLOCKS.length} snippets`);
    for (const block of YAML_BLOCKS) assert.ok(text.includes(block), block.slice(0, 200));
  });

  it('the closed sets list the code\'s members', () => {
    const closed = DOC.slice(DOC.indexOf('## Closed sets'));
    const row = (name: string): string => {
      const line = closed.split('\n').find((l) => l.startsWith(`| ${name} |`));
      assert.ok(line, `a row for ${name}`);
      return line;
    };
    const holds = (name: string, members: readonly string[]): void => {
      const r = row(name);
      for (const m of members) assert.ok(r.includes(`\`${m}\``), `${name}: ${m}`);
    };
    holds('input roles', COLUMNS);
    holds('dtypes', DTYPES);
    holds('numeric paths', PATH_IDS);
    holds('profiles', PROFILES);
    holds('tags with a meaning', [...DEFECT_CLASSES, UNJUDGED_TAG, ...SENSITIVE_TAGS]);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'spec.schema.json'), 'utf8')) as {
      $defs: Record<string, { oneOf?: { properties: { kind: { const: string } } }[]; enum?: string[] }>;
      properties: { call: { properties: { parameters: { additionalProperties: { properties: { type: { enum: string[] } } } } } };
        comparison: { properties: { default: { enum: string[] } } } };
    };
    holds('shape rule kinds', schema.$defs['shapeRule']!.oneOf!.map((o) => o.properties.kind.const));
    holds('generator kinds', schema.$defs['generator']!.oneOf!.map((o) => o.properties.kind.const));
    holds('fact statuses', schema.$defs['status']!.enum!);
    holds('parameter types', schema.properties.call.properties.parameters.additionalProperties.properties.type.enum);
    holds('comparison modes', schema.properties.comparison.properties.default.enum);
  });
});
