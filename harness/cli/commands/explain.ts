import type { Command } from 'commander';
import * as fs from 'fs';
import { ErrorCode, HarnessError } from '../../errors';
import { parseCall, parseJsonCall, type ExplainCall } from '../../explain/call';
import { explainCall, formatExplanation } from '../../explain/explain';
import { chooseSpec } from '../../spec/load';
import type { Spec } from '../../spec/types';
import type { CommandContext } from '../context';
import { SPEC_ARGUMENT, SPEC_OPTION, specsOf } from '../options';

interface ExplainOptions {
  spec?: string[];
  specId?: string;
  product?: string;
  target?: string;
  x1?: string;
  weight?: string;
  scale?: string;
  offset?: string;
  bias?: string;
  pertokenScale?: string;
  outputDtype?: string;
  call?: string;
  json?: boolean;
  input?: Record<string, string>;
}

/** `--input x2=int8[512,128]`, repeatable, into a name -> tensor map. */
function collectInputs(value: string, acc: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--input: expected NAME=DTYPE[dims], got ${JSON.stringify(value)}`);
  return { ...acc, [value.slice(0, at)]: value.slice(at + 1) };
}

/** Largest JSON call read from stdin or a file. */
const MAX_CALL_BYTES = 1024 * 1024;

/** `a8w8 explain`: what the spec says of one call — accept, reject or divergence, and why. */
export function registerExplain(program: Command, ctx: CommandContext): void {
  program
    .command('explain')
    .argument(...SPEC_ARGUMENT)
    .description('what the contract says of one call: the rows that allow it or every rule that rejects it (with spec positions and the doc\'s words), the numeric path, and the divergences that apply')
    .option(...SPEC_OPTION)
    .option('--spec-id <id>', 'of the specs loaded, the one with this spec id')
    .option('--product <id>', 'the Atlas product, e.g. atlas-a2')
    .option('--target <module|op>', 'the module (its own guards apply) or the op (default: what the spec describes)')
    .option('--x1 <tensor>', 'x1 as DTYPE[dims], e.g. int8[2,16,512]')
    .option('--weight <tensor>', 'the weight in the module\'s (..., n, k) layout, e.g. int8[2,128,512]')
    .option('--input <name=tensor>', 'any input by the spec\'s own name and in the doc\'s layout, e.g. x2=int8[2,512,128] (repeatable); int32 (int4) operands with their packed storage shapes as torch passes them: x1 (m, k/8), x2 the transposed view (k/8, n) of a contiguous (n, k/8) (the other x2 form, a contiguous (k, n/8), is not modelled)', collectInputs, {})
    .option('--scale <tensor>', 'e.g. float32[128]')
    .option('--offset <tensor>', 'e.g. float32[128], or None', 'None')
    .option('--bias <tensor>', 'e.g. int32[128], or None', 'None')
    .option('--pertoken-scale <tensor>', 'e.g. float32[16], or None', 'None')
    .option('--output-dtype <dtype>', 'as passed: None (the module\'s default) or a dtype', 'None')
    .option('--call <file>', 'read the call as JSON from a file, or - for stdin: {product, target, x1, weight, scale, offset, bias, pertoken_scale, output_dtype}')
    .option('--json', 'the answer as JSON (versioned)')
    .action((files: string[], opts: ExplainOptions) => {
      // explain answers for one contract: several specs loaded need --spec-id (or one --spec) to pick it
      const spec = chooseSpec(specsOf(files, opts), opts.specId);
      const e = explainCall(spec, callFrom(spec, opts));
      if (opts.json) ctx.out(JSON.stringify(e, null, 2));
      else for (const line of formatExplanation(e)) ctx.out(line);
    });
}

function callFrom(spec: Spec, o: ExplainOptions): ExplainCall {
  if (o.call !== undefined) {
    const flags = [o.x1, o.weight, o.scale, o.product].some((x) => x !== undefined);
    if (flags) throw new HarnessError(ErrorCode.BAD_ARGUMENT, '--call takes the whole call: drop --product, --x1, --weight and --scale');
    return parseJsonCall(spec, readCall(o.call), o.call === '-' ? 'stdin' : o.call);
  }
  // the flags given, over the --input ones: a flag not given must not hide an input named with --input
  const flags = Object.fromEntries(Object.entries({
    product: o.product, target: o.target, x1: o.x1, weight: o.weight, scale: o.scale, offset: o.offset,
    bias: o.bias, pertoken_scale: o.pertokenScale, output_dtype: o.outputDtype,
  }).filter(([k, v]) => v !== undefined && !(v === 'None' && o.input && namedBy(spec, o.input, k))));
  return parseCall(spec, { ...o.input, ...flags });
}

/** Whether --input names the input a flag (by role) stands for, so the flag's default None does not hide it. */
function namedBy(spec: Spec, input: Record<string, string>, role: string): boolean {
  return Object.keys(input).some((n) => n === role || spec.inputs.some((i) => i.name === n && i.role === role));
}

function readCall(file: string): string {
  try {
    const fd = file === '-' ? 0 : fs.openSync(file, 'r');
    const buf = Buffer.alloc(MAX_CALL_BYTES + 1);
    let size = 0;
    for (let n = 1; n > 0 && size <= MAX_CALL_BYTES;) {
      n = fs.readSync(fd, buf, size, buf.length - size, null);
      size += n;
    }
    if (fd !== 0) fs.closeSync(fd);
    if (size > MAX_CALL_BYTES) throw new HarnessError(ErrorCode.BAD_ARGUMENT, `--call ${file}: larger than ${MAX_CALL_BYTES} bytes`);
    return buf.subarray(0, size).toString('utf8');
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    throw new HarnessError(ErrorCode.FILE_UNREADABLE, `--call ${file}: ${(e as Error).message}`);
  }
}
