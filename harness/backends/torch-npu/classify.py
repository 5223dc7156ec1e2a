"""Classifies an exception raised by torch_npu into error classes: a clean
parameter error, or an inner error where a parameter error was due (docs/glossary.md, `fail`).

`parameter`: the library refused the call cleanly (ValueError/TypeError from Python guards, aclnn
161001/161002, EZ1001, "... should be ..." texts). `inner`: the kernel or runtime failed (EZ9999,
E69999, AI Core 507xxx): a parameter problem reported this way is itself a defect, so inner markers
win over parameter markers when a message carries both. Anything else is `unknown`.
"""
import re

_INNER = re.compile(r'EZ9999|E69999|\b507\d{3}\b|inner error|AICore|AI Core', re.IGNORECASE)
_PARAM_CODE = re.compile(r'\b16100[12]\b|EZ1001|EZ1002')
_PARAM_TEXT = re.compile(r'should (?:not )?be|not support|must be|invalid|not implemented for|only exists when',
                         re.IGNORECASE)


def classify(exc):
    """Returns 'parameter' | 'inner' | 'unknown' for an exception object."""
    text = '%s: %s' % (type(exc).__name__, exc)
    if _INNER.search(text):
        return 'inner'
    if isinstance(exc, (ValueError, TypeError)):
        return 'parameter'
    if _PARAM_CODE.search(text) or _PARAM_TEXT.search(text):
        return 'parameter'
    return 'unknown'
