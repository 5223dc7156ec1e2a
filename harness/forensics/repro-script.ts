/**
 * `repro.py`: a standalone Python script beside a saved case that makes the case's call on an NPU with
 * python3, numpy, torch and torch_npu only, and checks the output against the saved admissible answers.
 * The fixed part (loading, comparing, printing) is repro_template.py; the call itself is written out
 * here from the case's recipe, step by step as the vendor doc's example makes it (and as the torch-npu
 * worker's run_case.py does), so the kernel's owners read exactly what runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CaseCall } from '../expand/case';
import type { SavedCaseManifest } from './manifest';

/** repro_template.py lives with the sources; the compiled module runs from dist/, so look in both places. */
function templatePath(): string {
  const candidates = [
    path.join(__dirname, 'repro_template.py'),
    path.resolve(__dirname, '..', '..', '..', 'harness', 'forensics', 'repro_template.py'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`repro: repro_template.py not found in ${candidates.join(' or ')}`);
  return found;
}

/** Inputs a `strided` case passes as non-contiguous views (the same set as the worker). */
const STRIDED = ['x1', 'scale', 'pertoken_scale'] as const;

const pyDtype = (d: CaseCall['output_dtype']): string => (d === null ? 'None' : `torch.${d}`);

/** The harness's own set-up: transfers, strided views, the NZ cast (failures here are not the library's). */
function prepareSource(m: SavedCaseManifest): string {
  const call = m.case.call;
  const packs = m.inputs.scaleSource !== null;
  const lines = [
    'def prepare(host):',
    '    """The set-up around the call: device transfers, strided views, the NZ weight cast."""',
    '    dev = {name: t.npu() for name, t in host.items()}',
  ];
  if (call.strided) {
    for (const name of STRIDED) {
      if (name === 'scale' && packs) continue; // the packed scale is strided after packing, in call()
      if (name === 'x1' || name === 'scale' || m.inputs[name] !== null) lines.push(`    dev['${name}'] = strided(dev['${name}'])`);
    }
  }
  if (call.weightFormat === 'NZ') {
    lines.push(
      `    dev['weight'] = torch_npu.npu_format_cast(dev['weight'], FRACTAL_NZ)`,
      `    if torch_npu.get_npu_format(dev['weight']) != FRACTAL_NZ:`,
      `        raise CannotRun('the NZ cast did not take effect')`,
    );
  }
  lines.push('    return dev');
  return lines.join('\n');
}

/** The scale the call receives: as saved, or packed by the library's npu_trans_quant_param. */
function scaleLines(m: SavedCaseManifest): string[] {
  const build = m.case.call.scaleBuild;
  if (m.inputs.scaleSource === null) return [`    scale = dev['scale']`];
  const offset = m.inputs.scaleSource.offset !== null ? `dev['scale_source_offset']` : 'None';
  // round_mode only when not the default: older torch_npu has no such argument
  const mode = build && build.roundMode !== 0 ? `, round_mode=${build.roundMode}` : '';
  const lines = [`    scale = torch_npu.npu_trans_quant_param(dev['scale_source'], ${offset}${mode})`];
  if (m.case.call.strided) lines.push('    scale = strided(scale)');
  return lines;
}

function graphBackendLines(): string[] {
  return [
    '    try:',
    '        import torchair as tng',
    '        from torchair.configs.compiler_config import CompilerConfig',
    '    except ImportError as exc:',
    `        raise CannotRun('graph mode needs torchair: %s' % exc)`,
    `    os.environ.setdefault('ENABLE_ACLNN', 'true')`,
    '    npu_backend = tng.get_npu_backend(compiler_config=CompilerConfig())',
  ];
}

function moduleLines(m: SavedCaseManifest): string[] {
  const call = m.case.call;
  const graph = call.mode === 'graph';
  const args = [`${call.in_features}`, `${call.out_features}`, `bias=${call.bias ? 'True' : 'False'}`];
  if (call.offset) args.push('offset=True');
  if (call.pertoken_scale) args.push('pertoken_scale=True');
  if (call.output_dtype !== null) args.push(`output_dtype=${pyDtype(call.output_dtype)}`);
  const lines = [
    '    from torch_npu.contrib.module import LinearA8W8Quant',
    ...(graph ? graphBackendLines() : []),
    `    model = LinearA8W8Quant(${args.join(', ')})`,
    '    model = model.npu()',
    `    model.weight.data = dev['weight']`,
    '    model.scale.data = scale',
  ];
  if (call.offset) lines.push(`    model.offset.data = dev['offset']`);
  if (graph && call.output_dtype !== 'bfloat16') {
    lines.push('    # the doc\'s graph example: after scale/offset, before bias (includes npu_trans_quant_param)',
      '    tng.experimental.inference.use_internal_format_weight(model)');
  }
  if (call.bias) lines.push(`    model.bias.data = dev['bias']`);
  if (call.pertoken_scale) lines.push(`    model.pertoken_scale.data = dev['pertoken_scale']  # (m,), not the (n,) the module allocated`);
  if (graph) lines.push('    model = torch.compile(model, backend=npu_backend, dynamic=False)');
  lines.push(`    x1 = dev['x1']`, '    run = lambda: model(x1)');
  return lines;
}

function opLines(m: SavedCaseManifest): string[] {
  const call = m.case.call;
  const kwargs: string[] = [];
  for (const name of ['offset', 'pertoken_scale', 'bias'] as const) if (m.inputs[name] !== null) kwargs.push(`${name}=dev['${name}']`);
  if (call.output_dtype !== null) kwargs.push(`output_dtype=${pyDtype(call.output_dtype)}`);
  const rest = kwargs.length > 0 ? `, ${kwargs.join(', ')}` : '';
  const lines = [`    x2 = dev['weight'].transpose(-2, -1)  # (..., k, n), the module's transposed view`];
  if (call.mode === 'graph') {
    lines.push(...graphBackendLines(),
      `    run_graph = torch.compile(lambda x1: torch_npu.npu_quant_matmul(x1, x2, scale${rest}), backend=npu_backend, dynamic=False)`,
      `    x1 = dev['x1']`, '    run = lambda: run_graph(x1)');
  } else {
    lines.push(`    x1 = dev['x1']`, `    run = lambda: torch_npu.npu_quant_matmul(x1, x2, scale${rest})`);
  }
  return lines;
}

/** The generated call() of a case. */
function callSource(m: SavedCaseManifest): string {
  const call = m.case.call;
  const what = call.target === 'module'
    ? 'LinearA8W8Quant, built as the vendor doc\'s usage example builds it'
    : 'npu_quant_matmul with the module\'s transposed weight view';
  return [
    'def call(dev):',
    `    """The call under test: ${what} (${call.mode}, weight ${call.weightFormat}${call.strided ? ', strided inputs' : ''}).`,
    '    Returns the output of every run (the case asks for %d)."""'.replace('%d', String(m.case.repeat)),
    ...scaleLines(m),
    ...(call.target === 'module' ? moduleLines(m) : opLines(m)),
    `    return [run().cpu() for _ in range(${Math.max(1, m.case.repeat)})]`,
  ].join('\n');
}

/** The whole repro.py of a saved case. */
export function reproScript(m: SavedCaseManifest): string {
  const template = fs.readFileSync(templatePath(), 'utf8');
  // the id goes into a docstring: keep it printable and free of quotes and backslashes
  const id = m.caseId.replace(/[^\x20-\x7e]|["\\]/g, '?');
  return template.replace('@@CASE_ID@@', id).replace('# @@CALL@@', `${prepareSource(m)}\n\n\n${callSource(m)}`);
}

/** Writes repro.py into a saved case folder; returns its path. */
export function writeReproScript(folder: string, m: SavedCaseManifest): string {
  const file = path.join(folder, 'repro.py');
  fs.writeFileSync(file, reproScript(m), { mode: 0o755 });
  return file;
}
