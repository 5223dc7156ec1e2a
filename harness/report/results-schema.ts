import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../paths';

let compiled: ValidateFunction | undefined;

/** schema/results.schema.json, the public definition of a results.jsonl record. */
export function resultsSchemaPath(): string {
  return path.join(packageRoot(), 'schema', 'results.schema.json');
}

/** The record schema, compiled once in ajv's strict mode (an unknown keyword in the schema is an error). */
function recordValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(fs.readFileSync(resultsSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/**
 * Validates one parsed results.jsonl record; returns every problem as `pointer: message` (empty when
 * valid). The discriminator narrows outcome errors to the branch its `status` names, so a broken `fail`
 * outcome is reported against the fail branch, not against all nine.
 */
export function validateRecord(value: unknown): string[] {
  const validate = recordValidator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(formatError);
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
    : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')})`
    : e.keyword === 'const' ? ` (${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)})`
    : '';
  return `${where}: ${e.message ?? e.keyword}${extra}`;
}
