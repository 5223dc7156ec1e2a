"""The worker's `run` command: one case, called exactly the way the vendor doc calls the module.

Everything the library under test does (construction, `.data` assignment, `.npu()`, format casts,
trans_quant_param, forward, the op) runs inside `library()`, so an exception there is the library's
verdict on the call (`rejected`); an exception anywhere else is a bug of the worker or of the case
record and becomes an `error` reply.
"""
import contextlib
import os

import torch

import wire
from classify import classify
from device_info import graph_mode
from timing import measure

FRACTAL_NZ = 29  # aclFormat value of the NZ weight layout


class Rejected(Exception):
    """An exception raised by the library under test, kept with its original type and text."""

    def __init__(self, exc):
        super().__init__(str(exc))
        self.exc = exc


@contextlib.contextmanager
def library():
    try:
        yield
    except Exception as exc:
        raise Rejected(exc) from exc


def _torch_npu():
    import torch_npu
    return torch_npu


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


# inputs a `strided` case passes as non-contiguous views (defect class 12)
STRIDED = ('x1', 'scale', 'pertoken_scale')


def _strided(t):
    """The same values as a view of every other element of a buffer twice as long in the last dim."""
    buf = torch.zeros(tuple(t.shape[:-1]) + (2 * t.shape[-1],), dtype=t.dtype).npu()
    buf[..., ::2] = t
    return buf[..., ::2]


def _to_device(case, host):
    strided = bool(case['call'].get('strided'))
    with library():
        dev = {name: t.npu() for name, t in host.items()}
        if strided:
            for name in STRIDED:
                if name in dev and dev[name].dim() > 0 and dev[name].shape[-1] > 0:
                    dev[name] = _strided(dev[name])
        return dev


def _scale(case, dev):
    """The scale the call receives: as sent, or packed to int64 by npu_trans_quant_param (D6)."""
    scale = dev['scale']
    if case['dtypes'].get('scale') != 'int64' or scale.dtype == torch.int64:
        return scale
    if scale.dtype != torch.float32:
        raise ValueError('case %s: an int64 scale must arrive as int64 or as float32 to pack' % case['id'])
    build = case['call'].get('scaleBuild') or {'roundMode': 0, 'packOffset': 'offset' in dev}
    if build['packOffset'] and 'offset' not in dev:
        raise ValueError('case %s: scaleBuild.packOffset without an offset tensor' % case['id'])
    offset = dev['offset'] if build['packOffset'] else None
    with library():
        if build['roundMode'] == 0:  # older torch_npu has no round_mode argument: pass it only when needed
            return _torch_npu().npu_trans_quant_param(scale, offset)
        return _torch_npu().npu_trans_quant_param(scale, offset, round_mode=build['roundMode'])


def _compile(fn_or_module):
    """torch.compile with torchair's NPU backend, as the doc's graph-mode example does."""
    import torchair as tng
    from torchair.configs.compiler_config import CompilerConfig
    os.environ.setdefault('ENABLE_ACLNN', 'true')
    backend = tng.get_npu_backend(compiler_config=CompilerConfig())
    return torch.compile(fn_or_module, backend=backend, dynamic=False)


def _module_call(case, dev, scale):
    from torch_npu.contrib.module import LinearA8W8Quant
    call = case['call']
    graph = call['mode'] == 'graph'
    with library():
        model = LinearA8W8Quant(call['in_features'], call['out_features'], bias=call['bias'],
                                offset=call['offset'], pertoken_scale=call['pertoken_scale'],
                                output_dtype=_output_dtype(call))
        model = model.npu()
        weight = dev['weight']
        if call['weightFormat'] == 'NZ' and not graph:
            weight = _torch_npu().npu_format_cast(weight, FRACTAL_NZ)
        model.weight.data = weight
        model.scale.data = scale
        if call['offset']:
            model.offset.data = dev['offset']
        if call['bias']:
            model.bias.data = dev['bias']
        if call['pertoken_scale']:
            model.pertoken_scale.data = dev['pertoken_scale']  # (m), not the (n) the module allocated
        if graph:
            if call['weightFormat'] == 'NZ':  # the doc's graph-mode way to the internal weight format
                import torchair as tng
                tng.experimental.inference.use_internal_format_weight(model)
            model = _compile(model)
    x1 = dev['x1']
    return lambda: model(x1)


def _op_call(case, dev, scale):
    call = case['call']
    torch_npu = _torch_npu()
    with library():
        weight = dev['weight']
        if call['weightFormat'] == 'NZ':
            weight = torch_npu.npu_format_cast(weight, FRACTAL_NZ)
        x2 = weight.transpose(-2, -1)  # (..., k, n) view, as the module passes it

    def op(x1):
        return torch_npu.npu_quant_matmul(x1, x2, scale, offset=dev.get('offset'),
                                          pertoken_scale=dev.get('pertoken_scale'), bias=dev.get('bias'),
                                          output_dtype=_output_dtype(call))
    if call['mode'] == 'graph':
        with library():
            op = _compile(op)
    x1 = dev['x1']
    return lambda: op(x1)


def _reply_rejected(exc):
    return {'status': 'rejected', 'errorType': type(exc).__name__, 'message': str(exc)[:8000],
            'errorClass': classify(exc)}


def run(header, host):
    """Returns (reply header, [(name, tensor)]) for one `run` request."""
    case = header['case']
    call = case['call']
    if call['mode'] == 'graph':
        available, reason = graph_mode()
        if not available:
            return {'status': 'skip', 'reason': 'graph mode unavailable: ' + reason}, []
    _check_presence(case, host)
    try:
        dev = _to_device(case, host)
        scale = _scale(case, dev)
        fn = (_module_call if call['target'] == 'module' else _op_call)(case, dev, scale)
        outputs = []
        for _ in range(max(1, int(case.get('repeat', 1)))):
            with library():
                out = fn()
                outputs.append(out.cpu())  # the copy to the host is where a device error surfaces
        reply = {'status': 'ok'}
        if header.get('timing'):  # after a successful run; a failure here is the worker's error
            reply['timings'] = measure(fn, header['timing'], dev)
    except Rejected as rej:
        return _reply_rejected(rej.exc), []
    named = [('output', outputs[0])] + [('repeat%d' % i, o) for i, o in enumerate(outputs[1:], 1)]
    return reply, named
