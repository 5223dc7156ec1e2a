"""The worker's `run` command: one case, called exactly the way the vendor doc calls the module or op
the case names (`call.callee`, a dotted name under torch_npu).

Only the library's own steps run inside `library(stage)`: the module's construction, the `.data`
assignments, npu_trans_quant_param (and torchair's use_internal_format_weight, which includes it), the
forward or the op, and the copy of the output to the host. An exception there is the library's verdict
on the call (`rejected`). The harness's own setup (`.npu()` transfers, strided buffers, npu_format_cast,
graph compilation) runs inside `setup(stage)`, and a failure there, or a call that does not even bind to
this torch_npu's signature, is a `StageError`: an `error` reply naming the stage, not a rejection.
"""
import contextlib
import importlib
import inspect
import os
import re

import torch

import wire
from classify import classify
from device_info import graph_mode
from timing import measure

FRACTAL_NZ = 29  # aclFormat value of the NZ weight layout


class Rejected(Exception):
    """An exception raised by the library under test, kept with its original type and text."""

    def __init__(self, exc, stage):
        super().__init__(str(exc))
        self.exc = exc
        self.stage = stage


class StageError(Exception):
    """A failure of the worker's own setup or of argument binding: the worker's error (outcome `error`)."""


@contextlib.contextmanager
def library(stage):
    try:
        yield
    except (Rejected, StageError):
        raise
    except Exception as exc:
        raise Rejected(exc, stage) from exc


@contextlib.contextmanager
def setup(stage):
    try:
        yield
    except (Rejected, StageError):
        raise
    except Exception as exc:  # e.g. out of device memory in a transfer: not the library's verdict
        raise StageError('stage %s failed: %s: %s' % (stage, type(exc).__name__, exc)) from exc


# What Python and torch's argument parser say when a call does not match the signature at all.
_BINDING = re.compile(r'unexpected keyword argument|positional argument|required keyword-only argument')


def _bindable(what, fn, *args, **kwargs):
    """Raises StageError when the arguments do not bind to fn's signature (say, pertoken_scale on torch_npu
    6.0.rc1): the library never judged such a call. Builtins without a signature are left to _call."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        sig.bind(*args, **kwargs)
    except TypeError as exc:
        raise StageError('%s: this torch_npu does not take the call: %s' % (what, exc)) from exc


def _call(what, fn, *args, **kwargs):
    """fn(*args, **kwargs); a TypeError of torch's argument parser refusing the call is a StageError."""
    try:
        return fn(*args, **kwargs)
    except TypeError as exc:
        # raised in this frame (no callee frame below it) with a binding text: the parser refused the call
        if exc.__traceback__.tb_next is None and _BINDING.search(str(exc)):
            raise StageError('%s: this torch_npu does not take the call: %s' % (what, exc)) from exc
        raise


def _invoke(what, fn, *args, **kwargs):
    _bindable(what, fn, *args, **kwargs)
    return _call(what, fn, *args, **kwargs)


def _torch_npu():
    import torch_npu
    return torch_npu


# A callee is a dotted name under torch_npu: the case names what to call, never arbitrary code to import.
_CALLEE = re.compile(r'^torch_npu(\.[A-Za-z_][A-Za-z0-9_]*)+$')


def _import_prefix(parts):
    """The deepest importable module among the prefixes of `parts`, and how many parts it took."""
    for i in range(len(parts), 0, -1):
        name = '.'.join(parts[:i])
        try:
            return importlib.import_module(name), i
        except ModuleNotFoundError as exc:
            # only "this very module does not exist" moves on to a shorter prefix; a module that exists
            # but fails to import its own dependencies is a real failure
            if exc.name is None or not name.startswith(exc.name):
                raise
    raise ModuleNotFoundError('no module %s' % parts[0])


def resolve_callee(call):
    """The module class (target `module`) or op function (target `op`) that call.callee names."""
    callee, target = call.get('callee'), call.get('target')
    if not isinstance(callee, str) or not _CALLEE.match(callee):
        raise StageError('case call.callee %r: expected a dotted name under torch_npu, e.g. '
                         'torch_npu.npu_quant_matmul or torch_npu.contrib.module.LinearQuant' % (callee,))
    parts = callee.split('.')
    with setup('import %s' % callee):
        obj, used = _import_prefix(parts)
        for i in range(used, len(parts)):
            if not hasattr(obj, parts[i]):
                raise AttributeError('%s has no attribute %s' % ('.'.join(parts[:i]), parts[i]))
            obj = getattr(obj, parts[i])
    if target == 'module' and not (isinstance(obj, type) and issubclass(obj, torch.nn.Module)):
        raise StageError('case call.callee %s: target module needs a torch.nn.Module class, got %s'
                         % (callee, type(obj).__name__))
    if target == 'op' and (isinstance(obj, type) or not callable(obj)):
        raise StageError('case call.callee %s: target op needs a function, got %s' % (callee, type(obj).__name__))
    if target not in ('module', 'op'):
        raise StageError('case call.target %r: expected module or op' % (target,))
    return obj


def _weight_packs_n(case):
    """True when the int4 weight arrives as the op's contiguous x2 (k, n/8), packing n (docs/semantics.md 3.1)."""
    packing = (case.get('packing') or {}).get('weight')
    return bool(packing) and packing.get('along') == 'n'


def _output_dtype(call):
    name = call.get('output_dtype')
    return None if name is None else wire.torch_dtype(name)


def _check_presence(case, host):
    """The call flags and the tensors sent must agree; a mismatch is a bug of the case record."""
    call = case['call']
    for key in ('offset', 'bias', 'pertoken_scale'):
        if bool(call[key]) != (key in host):
            raise ValueError('case %s: call.%s is %s but the %s tensor was %s' % (
                case['id'], key, call[key], key, 'sent' if key in host else 'not sent'))
    for key in ('x1', 'weight', 'scale'):
        if key not in host:
            raise ValueError('case %s: tensor %s missing' % (case['id'], key))


# inputs a `strided` case passes as non-contiguous views (the `strides` tag)
STRIDED = ('x1', 'scale', 'pertoken_scale')


def _strided(t):
    """The same values as a view of every other element of a buffer twice as long in the last dim."""
    if t.dim() == 0 or t.shape[-1] == 0:
        return t
    with setup('strided view'):
        buf = torch.zeros(tuple(t.shape[:-1]) + (2 * t.shape[-1],), dtype=t.dtype).npu()
        buf[..., ::2] = t
        return buf[..., ::2]


def _packs(case, host):
    """True when the int64 scale arrives as fp32 for npu_trans_quant_param to pack."""
    return case['dtypes'].get('scale') == 'int64' and host['scale'].dtype != torch.int64


def _to_device(case, host):
    with setup('transfer to the device (.npu())'):
        dev = {name: t.npu() for name, t in host.items()}
    if case['call'].get('strided'):
        for name in STRIDED:  # a scale still to pack is strided after packing, as the op receives it
            if name in dev and not (name == 'scale' and _packs(case, host)):
                dev[name] = _strided(dev[name])
    return dev


def _scale(case, header, dev, packs):
    """The scale the call receives: as sent, or packed to int64 by the library's npu_trans_quant_param."""
    scale = dev['scale']
    if not packs:
        return scale
    if scale.dtype != torch.float32:
        raise ValueError('case %s: an int64 scale must arrive as int64 or as float32 to pack' % case['id'])
    pack = header.get('scalePack')
    if pack is not None:  # CaseInputs.scaleSource: exactly what the host packed its int64 from
        round_mode, offset = int(pack['roundMode']), dev.get('scale_offset')
        if bool(pack['offset']) != (offset is not None):
            raise ValueError('case %s: scalePack.offset disagrees with the scale_offset tensor' % case['id'])
    else:  # an fp32 scale sent for an int64 case: packed as call.scaleBuild says
        # the fallback is the harness's default (scaleBuildOf in harness/expand/scale-build.ts); cases the
        # harness expands always carry scaleBuild, so it serves hand-written cases only
        build = case['call'].get('scaleBuild') or {'roundMode': 0, 'packOffset': 'offset' in dev}
        if build['packOffset'] and 'offset' not in dev:
            raise ValueError('case %s: scaleBuild.packOffset without an offset tensor' % case['id'])
        round_mode, offset = int(build['roundMode']), (dev['offset'] if build['packOffset'] else None)
    # aclnnTransQuantParamV2 (older torch_npu) has no round_mode: pass it only when it is not the default
    kwargs = {'round_mode': round_mode} if round_mode else {}
    with library('npu_trans_quant_param'):
        packed = _invoke('npu_trans_quant_param', _torch_npu().npu_trans_quant_param, scale, offset, **kwargs)
    return _strided(packed) if case['call'].get('strided') else packed


def _require_nz(t, when):
    """NZ must really be the layout, or the case silently tests ND (get_npu_format reads the storage)."""
    with setup('get_npu_format'):
        fmt = int(_torch_npu().get_npu_format(t))
    if fmt != FRACTAL_NZ:
        raise StageError('the NZ cast did not take effect %s: get_npu_format is %d, not %d' % (when, fmt, FRACTAL_NZ))


def _nz(weight):
    with setup('npu_format_cast'):
        weight = _torch_npu().npu_format_cast(weight, FRACTAL_NZ)
    _require_nz(weight, 'after npu_format_cast')
    return weight


def _weight_format(t):
    with setup('get_npu_format'):
        return int(_torch_npu().get_npu_format(t))


def _compile(fn_or_module):
    """torch.compile with torchair's NPU backend, as the doc's graph-mode example does."""
    with setup('graph compilation set-up'):
        import torchair as tng
        from torchair.configs.compiler_config import CompilerConfig
        os.environ.setdefault('ENABLE_ACLNN', 'true')
        backend = tng.get_npu_backend(compiler_config=CompilerConfig())
        return torch.compile(fn_or_module, backend=backend, dynamic=False)


def _module_call(case, dev, scale):
    """Returns (call, weight format): the doc's single-op or graph-mode example, step by step, for the
    module class the case names (LinearA8W8Quant, LinearQuant: everything after out_features keyword-only)."""
    call = case['call']
    graph = call['mode'] == 'graph'
    out_dtype = _output_dtype(call)
    module_cls = resolve_callee(call)
    if _weight_packs_n(case):
        raise StageError('case %s: a module takes its int4 weight as (n, k/8), packing k; the case packs n' % case['id'])
    # optional arguments only when set: torch_npu 6.0.rc1 has no pertoken_scale argument
    kwargs = {'bias': bool(call['bias'])}
    if call['offset']:
        kwargs['offset'] = True
    if call['pertoken_scale']:
        kwargs['pertoken_scale'] = True
    if out_dtype is not None:
        kwargs['output_dtype'] = out_dtype
    with library('construction'):
        model = _invoke(call['callee'], module_cls, call['in_features'], call['out_features'], **kwargs)
    with setup('model.npu()'):
        model = model.npu()
    weight = _nz(dev['weight']) if call['weightFormat'] == 'NZ' else dev['weight']
    with library('.data assignment'):
        model.weight.data = weight
        model.scale.data = scale
        if call['offset']:
            model.offset.data = dev['offset']
    if call['weightFormat'] == 'NZ':
        _require_nz(model.weight, 'after the .data assignment')
    if graph and out_dtype != torch.bfloat16:
        # the doc's graph example: after scale/offset, before bias; it includes npu_trans_quant_param
        with setup('import torchair'):
            import torchair as tng
        with library('use_internal_format_weight'):
            tng.experimental.inference.use_internal_format_weight(model)
    with library('.data assignment'):
        if call['bias']:
            model.bias.data = dev['bias']
        if call['pertoken_scale']:
            model.pertoken_scale.data = dev['pertoken_scale']  # (m), not the (n) the module allocated
    fmt = _weight_format(model.weight)
    if graph:
        model = _compile(model)
    x1 = dev['x1']
    return (lambda: model(x1)), fmt


def _x2(case, weight):
    """The op's x2: the transposed view (..., k, n) of the (..., n, k) weight, as the module passes it (for
    int4, the (k/8, n) view of a contiguous (n, k/8)); an int4 weight packing n is already the op's
    contiguous (k, n/8); a weight of fewer than 2 dims goes as it is, for the op to judge its rank."""
    if _weight_packs_n(case) or weight.dim() < 2:
        return weight
    with setup('transposed weight view'):
        return weight.transpose(-2, -1)


def _op_call(case, dev, scale):
    """Returns (call, weight format) for the op the case names (npu_quant_matmul), x2 as _x2 says."""
    call = case['call']
    op_fn = resolve_callee(call)
    weight = _nz(dev['weight']) if call['weightFormat'] == 'NZ' else dev['weight']
    fmt = _weight_format(weight)
    x2 = _x2(case, weight)
    kwargs = {key: dev[key] for key in ('offset', 'pertoken_scale', 'bias') if key in dev}
    out_dtype = _output_dtype(call)
    if out_dtype is not None:
        kwargs['output_dtype'] = out_dtype
    if call.get('groupSizes') is not None:  # only when the case passes it: older torch_npu has no group_sizes
        kwargs['group_sizes'] = [int(g) for g in call['groupSizes']]
    _bindable(call['callee'], op_fn, dev['x1'], x2, scale, **kwargs)
    if call['mode'] == 'graph':  # the plain call, for the graph tracer
        op = _compile(lambda x1: op_fn(x1, x2, scale, **kwargs))
    else:
        def op(x1):
            return _call(call['callee'], op_fn, x1, x2, scale, **kwargs)
    x1 = dev['x1']
    return (lambda: op(x1)), fmt


def _reply_rejected(rej):
    exc = rej.exc
    return {'status': 'rejected', 'errorType': type(exc).__name__, 'message': str(exc)[:8000],
            'errorClass': classify(exc), 'stage': rej.stage}


def run(header, host):
    """Returns (reply header, [(name, tensor)]) for one `run` request; a StageError propagates (error reply)."""
    case = header['case']
    call = case['call']
    if call['mode'] == 'graph':
        available, reason = graph_mode()
        if not available:
            return {'status': 'skip', 'reason': 'graph mode unavailable: ' + reason}, []
    _check_presence(case, host)
    try:
        packs = _packs(case, host)
        dev = _to_device(case, host)
        scale = _scale(case, header, dev, packs)
        fn, fmt = (_module_call if call['target'] == 'module' else _op_call)(case, dev, scale)
        outputs = []
        for _ in range(max(1, int(case.get('repeat', 1)))):
            with library('forward and output copy'):
                out = fn()
                outputs.append(out.cpu())  # the copy to the host is where a device error surfaces
        reply = {'status': 'ok', 'weightFormat': fmt}
        if header.get('timing'):  # after a successful run; a failure here is the worker's error
            with setup('timing'):
                reply['timings'] = measure(fn, header['timing'], dev)
    except Rejected as rej:
        return _reply_rejected(rej), []
    named = [('output', outputs[0])] + [('repeat%d' % i, o) for i, o in enumerate(outputs[1:], 1)]
    return reply, named
