"""Device timings with device events: warm-up, repeats, median/p10/p90 in microseconds (the float matmul baseline beside them)."""
import torch


def _percentile(sorted_values, p):
    """Linear interpolation between closest ranks (p in [0, 1])."""
    pos = p * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _time(fn, warmup, repeats):
    """Per-call device time in microseconds. Each call is bracketed by its own pair of events, all
    recorded back to back and read after a single synchronize: a synchronize per call would leave the
    device idle until the host launched the next call, so every sample would carry the launch overhead."""
    for _ in range(warmup):
        fn()
    torch.npu.synchronize()
    pairs = [(torch.npu.Event(enable_timing=True), torch.npu.Event(enable_timing=True)) for _ in range(repeats)]
    for start, end in pairs:
        start.record()
        fn()
        end.record()
    torch.npu.synchronize()
    samples = sorted(start.elapsed_time(end) * 1000.0 for start, end in pairs)  # elapsed_time is in ms
    return {'medianUs': _percentile(samples, 0.5), 'p10Us': _percentile(samples, 0.1),
            'p90Us': _percentile(samples, 0.9)}


def _baseline(dev, warmup, repeats):
    """torch.matmul of the same shape in fp16; fp32, labelled so, where fp16 is not implemented."""
    x1, weight = dev['x1'], dev['weight']
    failures = []
    for dtype in (torch.float16, torch.float32):
        a = torch.randn(tuple(x1.shape), dtype=torch.float32).to(dtype).npu()
        b = torch.randn(tuple(weight.shape), dtype=torch.float32).to(dtype).npu().transpose(-2, -1)
        try:
            torch.matmul(a, b)
        except RuntimeError as exc:
            failures.append('%s: %s' % (dtype, exc))
            continue
        stats = _time(lambda: torch.matmul(a, b), warmup, repeats)
        label = 'torch.matmul %s' % str(dtype).replace('torch.', '')
        if failures:
            label += ' (%s)' % '; '.join(failures)
        stats.update({'dtype': str(dtype).replace('torch.', ''), 'label': label})
        return stats
    return None


def measure(fn, timing, dev):
    """The `timings` reply field for a request's {warmup, repeats, floatBaseline} settings."""
    warmup = max(0, int(timing.get('warmup', 5)))
    repeats = max(1, int(timing.get('repeats', 20)))
    result = _time(fn, warmup, repeats)
    result['repeats'] = repeats
    if timing.get('floatBaseline', True):
        baseline = _baseline(dev, warmup, repeats)
        if baseline is not None:
            result['floatBaseline'] = baseline
    return result
