#!/usr/bin/env python3
"""Replays one a8w8 case on an Ascend NPU and checks the answer bit for bit.

Case: @@CASE_ID@@

The inputs, the reference's admissible answers and the case's recipe are in this folder (case.json and
.npy files, format version 1); this script needs only python3, numpy, torch and torch_npu. It makes the
call the way the case describes it, compares the output with the admissible answers and prints PASS or
FAIL, the number of mismatching elements and the worst of them.

    python3 repro.py [--device N] [--worst N]

Exit status: 0 PASS, 1 FAIL, 2 the script could not run the case (set-up failure, torchair missing).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch_npu

HERE = os.path.dirname(os.path.abspath(__file__))
FRACTAL_NZ = 29  # aclFormat value of the NZ weight layout
TORCH_DTYPES = {'int8': torch.int8, 'int32': torch.int32, 'int64': torch.int64, 'float16': torch.float16,
                'bfloat16': torch.bfloat16, 'float32': torch.float32, 'uint8': torch.uint8}


class CannotRun(Exception):
    """A failure of this script's own set-up, not the library's verdict on the call."""


def load_array(entry):
    """The stored array, checked against case.json."""
    arr = np.load(os.path.join(HERE, entry['file']), allow_pickle=False)
    if list(arr.shape) != list(entry['shape']) or arr.dtype.str.replace('=', '<') not in (entry['descr'], entry['descr'].replace('|', '<')):
        raise CannotRun('%s holds %s %s, case.json says %s %s' % (entry['file'], arr.dtype.str, list(arr.shape),
                                                                entry['descr'], entry['shape']))
    return arr


def load_tensor(entry):
    """The stored array as the torch tensor the kernel takes (bfloat16 from its uint16 bit patterns)."""
    arr = load_array(entry)
    if entry['dtype'] == 'bfloat16':
        return torch.from_numpy(arr.view(np.int16).copy()).view(torch.bfloat16)
    return torch.from_numpy(arr.copy())


def strided(t):
    """The same values as a view of every other element of a buffer twice as long in the last dim."""
    if t.dim() == 0 or t.shape[-1] == 0:
        return t
    buf = torch.zeros(tuple(t.shape[:-1]) + (2 * t.shape[-1],), dtype=t.dtype).npu()
    buf[..., ::2] = t
    return buf[..., ::2]


def output_bits(t):
    """An output tensor as a numpy array of its bit patterns (floats) or values (integers)."""
    t = t.cpu().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().view(np.uint16)
    if t.dtype == torch.float16:
        return t.numpy().view(np.uint16)
    return t.numpy()


def stored_bits(arr, dtype):
    return arr.view(np.uint16) if dtype in ('float16', 'bfloat16') else arr


def decode(bits, dtype):
    """Bit patterns (or integers) as float64 values."""
    if dtype == 'float16':
        return bits.view(np.float16).astype(np.float64)
    if dtype == 'bfloat16':
        return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return bits.astype(np.float64)


def hex_bits(value, dtype):
    width = {'int8': 2, 'float16': 4, 'bfloat16': 4, 'int32': 8}.get(dtype, 16)
    return '0x%0*x' % (width, int(value) & ((1 << (4 * width)) - 1))


def compare(got, reference, worst):
    """Bit-exact comparison with the admissible answers. The output is held as a whole against the primary
    answer or one per-tensor alternative (whichever it agrees with most: one behaviour of the whole
    kernel), and any element may also match a per-element alternative. Returns (mismatches, report lines)."""
    dtype = reference['expected']['dtype']
    expected = stored_bits(load_array(reference['expected']), dtype)
    if got.shape != expected.shape:
        return expected.size, ['output shape %s, expected %s' % (list(got.shape), list(expected.shape))]
    bases = [('primary', expected)] + [(a['kind'], stored_bits(load_array(a['tensor']), dtype))
                                       for a in reference['alternatives'] if a['applies'] == 'per-tensor']
    name, base = min(bases, key=lambda b: int(np.count_nonzero(got != b[1])))  # first of equals: the primary
    admissible = got == base
    for alt in reference['alternatives']:
        if alt['applies'] == 'per-element':
            admissible |= got == stored_bits(load_array(alt['tensor']), dtype)
    bad = np.flatnonzero(~admissible.reshape(-1))
    lines = ['behaviour: %s' % name]
    if bad.size:
        g, e = decode(got.reshape(-1)[bad], dtype), decode(expected.reshape(-1)[bad], dtype)
        err = np.where(np.isnan(g) | np.isnan(e), np.inf, np.abs(g - e))
        err = np.where(g == e, 0.0, err)  # equal infinities
        order = np.argsort(-err, kind='stable')[:worst]
        lines.append('worst elements (index: got [bits] / expected [bits]):')
        for j in order:
            i = bad[j]
            at = tuple(int(x) for x in np.unravel_index(i, got.shape))
            lines.append('  %s: %r [%s] / %r [%s]' % (at, g[j], hex_bits(got.reshape(-1)[i], dtype), e[j],
                                                        hex_bits(expected.reshape(-1)[i], dtype)))
    return int(bad.size), lines


# @@CALL@@


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', type=int, default=0, help='NPU index')
    parser.add_argument('--worst', type=int, default=16, help='how many mismatching elements to print')
    args = parser.parse_args()
    with open(os.path.join(HERE, 'case.json')) as f:
        manifest = json.load(f)
    case, judgement = manifest['case'], manifest['judgement']
    print('case: %s (%s)' % (case['id'], case['product']))
    try:
        torch.npu.set_device(args.device)
        host = {name: load_tensor(entry) for name, entry in tensors_of(manifest).items()}
        dev = prepare(host)
    except Exception as exc:  # noqa: BLE001  (anything here is this script's problem, not the kernel's)
        print('CANNOT RUN: set-up failed: %s: %s' % (type(exc).__name__, exc))
        return 2
    try:
        outputs = call(dev)
    except CannotRun as exc:
        print('CANNOT RUN: %s' % exc)
        return 2
    except Exception as exc:  # noqa: BLE001  (the library's verdict on the call)
        text = '%s: %s' % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else '')
        if judgement['raise'] == 'never':
            print('FAIL: the call raised, the doc accepts it: %s' % text)
            return 1
        print('PASS: the call raised, as %s: %s' % ('the doc says' if judgement['raise'] == 'must' else 'a known divergence allows', text))
        return 0
    if judgement['raise'] == 'must':
        print('FAIL: the call returned, the doc rejects it (%s)' % (case.get('rejectedBy') or {}).get('rule'))
        return 1
    if judgement['values'] == 'unjudged' or manifest['reference'] is None:
        print('PASS: the call returned (values outside the contract are not judged)')
        return 0
    expected_dtype = TORCH_DTYPES[manifest['reference']['expected']['dtype']]
    if outputs[0].dtype != expected_dtype:
        print('FAIL: output dtype %s, expected %s' % (outputs[0].dtype, expected_dtype))
        return 1
    got = output_bits(outputs[0])
    for i, other in enumerate(outputs[1:], 2):
        if not np.array_equal(output_bits(other), got):
            print('FAIL: nondeterministic: run %d differs from run 1' % i)
            return 1
    mismatches, lines = compare(got, manifest['reference'], args.worst)
    print('%s: %d of %d elements differ from every admissible answer' % ('FAIL' if mismatches else 'PASS', mismatches, got.size))
    for line in lines:
        print(line)
    return 1 if mismatches else 0


def tensors_of(manifest):
    """Every input tensor the call needs, by name."""
    out = {}
    for name, entry in manifest['inputs'].items():
        if name == 'scaleSource':
            if entry is not None:
                out['scale_source'] = entry['scale']
                if entry['offset'] is not None:
                    out['scale_source_offset'] = entry['offset']
        elif entry is not None:
            out[name] = entry
    return out


if __name__ == '__main__':
    sys.exit(main())
