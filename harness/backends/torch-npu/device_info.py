"""The worker's `hello` reply: which device, which libraries, whether this is the stand-in."""
import glob
import os
import platform
import re
import sys


def _first_match(paths, pattern):
    """First capture of `pattern` in the first readable file of `paths`, else None."""
    for path in paths:
        try:
            with open(path, 'r', errors='replace') as f:
                m = re.search(pattern, f.read(), re.MULTILINE)
        except OSError:
            continue
        if m:
            return m.group(1).strip()
    return None


def cann_version():
    """CANN toolkit version from the install's info files; 'unknown' when none is found."""
    homes = [os.environ.get(k) for k in ('ASCEND_TOOLKIT_HOME', 'ASCEND_HOME_PATH')]
    homes += ['/usr/local/Ascend/ascend-toolkit/latest']
    for home in [h for h in homes if h]:
        paths = glob.glob(os.path.join(home, '*', 'ascend_toolkit_install.info'))
        paths += [os.path.join(home, 'version.cfg'), os.path.join(home, 'version.info')]
        found = _first_match(paths, r'^\s*(?:version|Version)\s*=\s*(\S+)')
        if found is None:
            found = _first_match(paths, r'runtime_running_version=\[([^:\]]+)')
        if found:
            return found
    return 'unknown'


def driver_version():
    """NPU driver version from /usr/local/Ascend/driver/version.info; 'unknown' when absent."""
    home = os.environ.get('ASCEND_DRIVER_HOME', '/usr/local/Ascend/driver')
    return _first_match([os.path.join(home, 'version.info')], r'^\s*Version\s*=\s*(\S+)') or 'unknown'


def graph_mode():
    """(available, reason): graph mode needs torch.compile and an importable torchair."""
    import torch
    if not hasattr(torch, 'compile'):
        return False, 'torch %s has no torch.compile' % torch.__version__
    try:
        import torchair  # noqa: F401
    except Exception as exc:  # an ImportError, or a torchair that fails on import
        return False, 'torchair does not import: %s: %s' % (type(exc).__name__, exc)
    return True, None


def hello(device_index):
    """Device and library facts; raises if torch_npu is missing (the client reports that verbatim)."""
    import numpy
    import torch
    import torch_npu
    torch.npu.set_device(device_index)
    versions = {
        'torch': str(torch.__version__),
        'torch_npu': str(getattr(torch_npu, '__version__', 'unknown')),
        'cann': cann_version(),
        'driver': driver_version(),
        'python': platform.python_version(),
        'numpy': str(numpy.__version__),
    }
    available, reason = graph_mode()
    if available:
        import torchair
        versions['torchair'] = str(getattr(torchair, '__version__', 'unknown'))
    return {
        'socName': str(torch_npu.npu.get_device_name(device_index)),
        'device': 'npu:%d' % device_index,
        'npuAvailable': bool(torch.npu.is_available()),
        'deviceCount': int(torch.npu.device_count()),
        'standin': bool(getattr(torch_npu, '__a8w8_standin__', False)),
        'versions': versions,
        'graphMode': {'available': available, 'reason': reason},
        'executable': os.path.realpath(sys.executable),
        'pid': os.getpid(),
    }
