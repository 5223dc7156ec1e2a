/**
 * The boundary between the harness and every backend (built-in or plugin): a reply to run() and the
 * DeviceInfo from open() are checked here before anything trusts their types. A problem is described
 * by the field it is in ("output.shape is [2,3], the case expects [2,4]") so that a malformed reply
 * becomes an `error` outcome with that message, never a pass and never a stack trace.
 */
import { DTYPES, type Dtype } from '../dtypes';
import { numel, storageFor } from '../data/tensor';
import type { Case } from '../expand/case';
import { outputShapeOf } from '../expand/shapes';
import type { BackendRun, DeviceInfo } from './types';

const STATUSES = ['ok', 'rejected', 'skip'] as const;
const ERROR_CLASSES = ['parameter', 'inner', 'unknown'] as const;

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return String(v); // NaN and Infinity, which JSON would print as null
  if (v === undefined) return 'missing';
  if (typeof v === 'function') return 'a function';
  if (ArrayBuffer.isView(v)) return article(v.constructor.name);
  try {
    const text = JSON.stringify(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(v);
  }
};

const article = (name: string): string => `${/^[AEIO]/i.test(name) ? 'an' : 'a'} ${name}`;

/** Whether the case's values are judged when the kernel runs it: only then its output shape is defined. */
function valuesJudged(c: Case): boolean {
  return c.expect === 'accept' || c.divergence?.library === 'accept';
}

/** One tensor: a known dtype, integer dims, data of the dtype's storage class and of numel(shape) elements. */
function tensorProblem(name: string, t: unknown, expect: { dtype: Dtype; shape: number[] } | null): string | null {
  if (!isObject(t)) return `${name} is ${show(t)}, expected a tensor {dtype, shape, data}`;
  if (typeof t.dtype !== 'string' || !(DTYPES as readonly string[]).includes(t.dtype)) {
    return `${name}.dtype is ${show(t.dtype)}, expected one of ${DTYPES.join(', ')}`;
  }
  const dtype = t.dtype as Dtype;
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    return `${name}.shape is ${show(t.shape)}, expected an array of non-negative integers`;
  }
  const shape = t.shape as number[];
  if (expect) {
    if (dtype !== expect.dtype) return `${name}.dtype is ${dtype}, the case expects ${expect.dtype}`;
    if (shape.length !== expect.shape.length || shape.some((d, i) => d !== expect.shape[i])) {
      return `${name}.shape is [${shape.join(',')}], the case expects [${expect.shape.join(',')}]`;
    }
  }
  const storage = storageFor(dtype);
  if (!(t.data instanceof storage)) return `${name}.data is ${show(t.data)}, ${dtype} data must be ${article(storage.name)}`;
  if (t.data.length !== numel(shape)) {
    return `${name}.data has ${t.data.length} element(s), shape [${shape.join(',')}] needs ${numel(shape)}`;
  }
  return null;
}

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

function timingsProblem(t: unknown): string | null {
  if (t === undefined) return null;
  if (!isObject(t)) return `timings is ${show(t)}, expected {repeats, medianUs, p10Us, p90Us}`;
  for (const key of ['repeats', 'medianUs', 'p10Us', 'p90Us']) {
    if (!finite(t[key])) return `timings.${key} is ${show(t[key])}, expected a finite number`;
  }
  const base = t.floatBaseline;
  if (base === undefined) return null;
  if (!isObject(base)) return `timings.floatBaseline is ${show(base)}, expected {dtype, label, medianUs, p10Us, p90Us}`;
  for (const key of ['dtype', 'label']) {
    if (typeof base[key] !== 'string') return `timings.floatBaseline.${key} is ${show(base[key])}, expected a string`;
  }
  for (const key of ['medianUs', 'p10Us', 'p90Us']) {
    if (!finite(base[key])) return `timings.floatBaseline.${key} is ${show(base[key])}, expected a finite number`;
  }
  return null;
}

function okProblem(c: Case, r: Fields): string | null {
  const judged = valuesJudged(c);
  const out = c.dtypes.output_dtype;
  const expect = judged && out !== null ? { dtype: out, shape: outputShapeOf(c.shapes) } : null;
  const problem = tensorProblem('output', r.output, expect);
  if (problem) return problem;
  if (r.repeats !== undefined) {
    if (!Array.isArray(r.repeats)) return `repeats is ${show(r.repeats)}, expected an array of tensors`;
    for (let i = 0; i < r.repeats.length; i++) {
      const p = tensorProblem(`repeats[${i}]`, r.repeats[i], expect);
      if (p) return p;
    }
  }
  // Defect class 10: a backend that drops repeats cannot vouch for determinism.
  const count = (r.repeats as unknown[] | undefined)?.length ?? 0;
  if (judged && count !== Math.max(c.repeat - 1, 0)) {
    return `repeats has ${count} tensor(s), the case asks for ${c.repeat} run(s), so ${Math.max(c.repeat - 1, 0)} repeat(s)`;
  }
  return timingsProblem(r.timings);
}

/**
 * What is wrong with a reply to run() of case `c`, or null when it is a well-formed BackendRun: status
 * from {ok, rejected, skip}; for ok the output (and each repeat) a tensor of the dtype and shape the
 * case expects where its values are judged, with exactly case.repeat - 1 repeats; timings finite.
 */
export function replyProblem(c: Case, reply: unknown): string | null {
  if (!isObject(reply)) return `the reply is ${show(reply)}, expected an object with a status`;
  switch (reply.status) {
    case 'ok':
      return okProblem(c, reply);
    case 'rejected':
      for (const key of ['errorType', 'message']) {
        if (typeof reply[key] !== 'string') return `${key} is ${show(reply[key])}, expected a string`;
      }
      if (!(ERROR_CLASSES as readonly unknown[]).includes(reply.errorClass)) {
        return `errorClass is ${show(reply.errorClass)}, expected one of ${ERROR_CLASSES.join(', ')}`;
      }
      return null;
    case 'skip':
      return typeof reply.reason === 'string' ? null : `reason is ${show(reply.reason)}, expected a string`;
    default:
      return `status is ${show(reply.status)}, expected one of ${STATUSES.join(', ')}`;
  }
}

/** The reply as a BackendRun, or an Error whose message says which field is wrong. */
export function checkReply(c: Case, reply: unknown): BackendRun | Error {
  const problem = replyProblem(c, reply);
  return problem === null ? (reply as BackendRun) : new Error(`backend reply: ${problem}`);
}

/** What is wrong with the DeviceInfo open() returned, or null. */
export function deviceInfoProblem(info: unknown): string | null {
  if (!isObject(info)) return `open() returned ${show(info)}, expected a DeviceInfo object`;
  for (const key of ['backend', 'device']) {
    if (typeof info[key] !== 'string' || info[key] === '') return `DeviceInfo.${key} is ${show(info[key])}, expected a non-empty string`;
  }
  for (const key of ['product', 'socName']) {
    if (info[key] !== null && typeof info[key] !== 'string') return `DeviceInfo.${key} is ${show(info[key])}, expected a string or null`;
  }
  for (const key of ['simulated', 'enforcesContract']) {
    if (typeof info[key] !== 'boolean') return `DeviceInfo.${key} is ${show(info[key])}, expected true or false`;
  }
  const versions = info.versions;
  if (!isObject(versions)) return `DeviceInfo.versions is ${show(versions)}, expected an object of strings`;
  for (const [k, v] of Object.entries(versions)) {
    if (typeof v !== 'string') return `DeviceInfo.versions.${k} is ${show(v)}, expected a string`;
  }
  if (!Array.isArray(info.notes) || !info.notes.every((n) => typeof n === 'string')) {
    return `DeviceInfo.notes is ${show(info.notes)}, expected an array of strings`;
  }
  return null;
}

/** The DeviceInfo, or an Error naming the wrong field. */
export function checkDeviceInfo(info: unknown): DeviceInfo | Error {
  const problem = deviceInfoProblem(info);
  return problem === null ? (info as DeviceInfo) : new Error(problem);
}
