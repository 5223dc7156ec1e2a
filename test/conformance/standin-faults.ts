import * as fs from 'fs';
import * as path from 'path';
import { STANDIN_PATH } from '../backends/torch-npu/helpers';

/** One planted fault of the stand-in torch_npu, as its registry lists it. */
export interface StandinFault {
  id: string;
  /** what the fault does: input-ignored, broadcast, rounding, saturation, contract, tile-tail, ... */
  kind: string;
  /** the coverage defect class it stands for (or `contract`, `numerics`, `infrastructure`) */
  defectClass: string;
  /** products where its path exists and the judge can tell it from the truth: the score counts it there */
  products: string[];
  /** why a product is missing from `products` (or why the list is empty) */
  why?: string;
  /** the spec ids whose smoke profile can reach its path (absent: every spec in specs/) */
  specs?: string[];
  text: string;
}

/** The registry beside the stand-in's code: the Python side reads the same file for its known ids. */
export const FAULTS_FILE = path.join(STANDIN_PATH, 'torch_npu', 'faults.json');

/** Reads and checks the registry; a malformed entry names its index and field. */
export function loadStandinFaults(file = FAULTS_FILE): StandinFault[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; faults?: unknown };
  if (doc.format !== 'a8w8-standin-faults' || !Array.isArray(doc.faults)) throw new Error(`${file}: not an a8w8-standin-faults file`);
  const seen = new Set<string>();
  return doc.faults.map((f: Record<string, unknown>, i: number): StandinFault => {
    const where = `${file}: faults[${i}]`;
    for (const key of ['id', 'kind', 'defectClass', 'text']) {
      if (typeof f[key] !== 'string' || !f[key]) throw new Error(`${where}.${key}: expected a non-empty string`);
    }
    if (!Array.isArray(f.products) || !f.products.every((p) => typeof p === 'string')) throw new Error(`${where}.products: expected a list of product ids`);
    if (f.specs !== undefined && (!Array.isArray(f.specs) || !f.specs.length || !f.specs.every((x) => typeof x === 'string' && x))) {
      throw new Error(`${where}.specs: expected a non-empty list of spec ids`);
    }
    if (seen.has(f.id as string)) throw new Error(`${where}.id: duplicate id ${String(f.id)}`);
    seen.add(f.id as string);
    return f as unknown as StandinFault;
  });
}

/** The SoC name the stand-in reports for a product, so it applies that product's tables. */
export const STANDIN_SOC: Readonly<Record<string, string>> = {
  'atlas-inference': 'Ascend310P3', 'atlas-a2': 'Ascend910B2', 'atlas-a3': 'Ascend910_9392',
};
