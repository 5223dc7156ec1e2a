"""a8w8 torch-npu worker: runs LinearA8W8Quant / npu_quant_matmul cases for the TypeScript client.

Usage: python worker.py [--device N]

Protocol (README.md in this folder has the full description). Requests on stdin and replies on
stdout are frames: a uint32 little-endian header length, a UTF-8 JSON header, then the raw
little-endian bytes of the tensors the header lists (`tensors`: [{name, dtype, shape, nbytes}], in
order). Every request carries an `id`, echoed in its reply.

  {"cmd": "hello"}                       -> {"ok": true, "info": {socName, versions, standin, ...}}
  {"cmd": "run", "case": Case, "timing"?: {warmup, repeats, floatBaseline}, "scalePack"?: {roundMode, offset}}
       + tensors x1, weight, scale[, offset][, bias][, pertoken_scale][, scale_offset]
                                         -> {"ok": true, "status": "ok", weightFormat, "timings"?}
                                              + output[, repeat1...]
                                          | {"ok": true, "status": "rejected", errorType, message, errorClass,
                                             stage}
                                          | {"ok": true, "status": "skip", reason}
  {"cmd": "shutdown"}                    -> {"ok": true}, then the worker exits
  any failure of the worker's own code   -> {"ok": false, errorType, message, traceback}
  (a set-up stage such as a .npu() transfer, or a call that does not bind to this torch_npu's signature)

The worker keeps running after an error reply. Only the framing failing (a truncated or malformed
frame) ends it, since the stream can no longer be trusted. Anything printed by the libraries goes to
stderr: file descriptor 1 is redirected there at start, and the replies use a private duplicate.
"""
import os
import sys
import traceback


def _private_stdout():
    """A duplicate of fd 1 for replies; fd 1 itself (and sys.stdout) then point at stderr."""
    out = os.fdopen(os.dup(1), 'wb')
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def _device_arg(argv):
    return int(argv[argv.index('--device') + 1]) if '--device' in argv else 0


def _error(exc):
    return {'ok': False, 'errorType': type(exc).__name__, 'message': str(exc),
            'traceback': traceback.format_exc()}


def main(argv):
    out = _private_stdout()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import wire  # after the path is set: siblings of this file
    device = _device_arg(argv)
    inp = sys.stdin.buffer
    while True:
        try:
            frame = wire.read_frame(inp)
        except Exception as exc:  # the stream is out of step: say why, then stop
            wire.write_frame(out, _error(exc))
            return 2
        if frame is None:
            return 0
        header, tensors, decode_error = frame
        reply, named = {'ok': False, 'errorType': 'ProtocolError', 'message': 'no reply'}, []
        try:
            if decode_error is not None:
                raise decode_error
            cmd = header.get('cmd')
            if cmd == 'hello':
                from device_info import hello
                reply = {'ok': True, 'info': hello(device)}
            elif cmd == 'run':
                from run_case import run
                body, named = run(header, tensors)
                reply = dict(body, ok=True)
            elif cmd == 'shutdown':
                wire.write_frame(out, {'ok': True, 'id': header.get('id')})
                return 0
            else:
                raise ValueError('unknown command %r' % (cmd,))
        except Exception as exc:
            reply, named = _error(exc), []
        reply['id'] = header.get('id')
        try:
            wire.write_frame(out, reply, named)
        except Exception as exc:  # e.g. an output dtype the wire cannot carry
            wire.write_frame(out, dict(_error(exc), id=header.get('id')))


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
