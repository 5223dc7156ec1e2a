"""Framing and tensor codec of the worker protocol (see README.md in this folder).

A frame is: uint32 little-endian header length, the header as UTF-8 JSON, then the payload: the raw
little-endian bytes of every tensor listed in header["tensors"], back to back, in list order. Each
entry is {"name", "dtype", "shape", "nbytes"}. float16/bfloat16 travel as their 16-bit patterns and
int64 as 8-byte integers, so nothing is lost or rounded on the way.
"""
import json
import struct
import sys

import numpy as np
import torch

# dtype name (as the harness spells it) -> (torch dtype, numpy dtype of the wire bytes, bytes per element)
_DTYPES = {
    'int8': (torch.int8, '<i1', 1),
    'uint8': (torch.uint8, '<u1', 1),
    'int32': (torch.int32, '<i4', 4),
    'int64': (torch.int64, '<i8', 8),
    'float16': (torch.float16, '<i2', 2),
    'bfloat16': (torch.bfloat16, '<i2', 2),
    'float32': (torch.float32, '<f4', 4),
}
_NAMES = {v[0]: k for k, v in _DTYPES.items()}

if sys.byteorder != 'little':  # numpy/torch memory is host order; the wire is little-endian
    raise SystemExit('a8w8 worker: big-endian hosts are not supported')


def torch_dtype(name):
    """torch dtype for a harness dtype name; KeyError names the unknown one."""
    return _DTYPES[name][0]


def dtype_name(dtype):
    """Harness name of a torch dtype (e.g. torch.float16 -> 'float16')."""
    if dtype not in _NAMES:
        raise TypeError('dtype %s cannot travel on the wire' % dtype)
    return _NAMES[dtype]


def read_exact(stream, n):
    """Reads exactly n bytes, or returns None at a clean end of stream before the first byte."""
    chunks = []
    got = 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            if got == 0:
                return None
            raise EOFError('stream ended inside a frame (%d of %d bytes)' % (got, n))
        chunks.append(chunk)
        got += len(chunk)
    return b''.join(chunks)


def read_frame(stream):
    """Returns (header, {name: CPU tensor}, decode error or None), or None at the end of input.

    Every byte of the frame is read before any tensor is decoded, so a tensor that fails to decode
    (an unknown dtype, a size that does not match its shape) spoils only its own request.
    """
    raw_len = read_exact(stream, 4)
    if raw_len is None:
        return None
    (hlen,) = struct.unpack('<I', raw_len)
    header = json.loads(read_exact(stream, hlen).decode('utf-8'))
    blobs = []
    for spec in header.get('tensors', []):
        nbytes = int(spec['nbytes'])
        data = read_exact(stream, nbytes) if nbytes else b''
        if data is None:
            raise EOFError('stream ended before tensor %s' % spec['name'])
        blobs.append((spec, data))
    try:
        return header, {spec['name']: decode_tensor(spec, data) for spec, data in blobs}, None
    except Exception as exc:
        return header, {}, exc


def decode_tensor(spec, data):
    """Bytes -> CPU tensor of the spec's dtype and shape (16-bit floats reinterpreted from their bits)."""
    tdtype, npdtype, size = _DTYPES[spec['dtype']]
    shape = [int(d) for d in spec['shape']]
    count = 1
    for d in shape:
        count *= d
    if count * size != len(data):
        raise ValueError('tensor %s: %d bytes for shape %s of %s' % (spec['name'], len(data), shape, spec['dtype']))
    arr = np.frombuffer(bytearray(data), dtype=npdtype).reshape(shape)
    t = torch.from_numpy(arr)
    if spec['dtype'] in ('float16', 'bfloat16'):
        t = t.view(tdtype)
    return t


def encode_tensor(name, t):
    """CPU-or-device tensor -> (spec, bytes); 16-bit floats are sent as their raw bit patterns."""
    name_of = dtype_name(t.dtype)
    host = t.detach().cpu().contiguous()
    if name_of in ('float16', 'bfloat16'):
        host = host.view(torch.int16)
    data = host.numpy().astype(_DTYPES[name_of][1], copy=False).tobytes()
    return {'name': name, 'dtype': name_of, 'shape': list(t.shape), 'nbytes': len(data)}, data


def write_frame(stream, header, named_tensors=()):
    """Writes one frame; named_tensors is a sequence of (name, tensor)."""
    specs, blobs = [], []
    for name, t in named_tensors:
        spec, data = encode_tensor(name, t)
        specs.append(spec)
        blobs.append(data)
    header = dict(header)
    header['tensors'] = specs
    body = json.dumps(header).encode('utf-8')
    # spaces after the JSON (still JSON) put the first tensor at a multiple of 8 bytes into the frame:
    # the reader can then view a tensor in place instead of copying it to align it
    body += b' ' * (-(4 + len(body)) % 8)
    stream.write(struct.pack('<I', len(body)))
    stream.write(body)
    for data in blobs:
        stream.write(data)
    stream.flush()
