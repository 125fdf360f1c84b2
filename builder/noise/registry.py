"""Operations by the names recipes use: every NoiseOp subclass in ``builder.noise.ops``.

Modules of the ops package are discovered, so a new operation family is a new module
there and nothing else. Two operations with one name are an error at import time.
"""

from __future__ import annotations

import importlib
import pkgutil

from builder.noise import ops as _ops_package
from builder.noise.ops.base import NoiseOp

for _module in sorted(m.name for m in pkgutil.iter_modules(_ops_package.__path__)):
    importlib.import_module(f"{_ops_package.__name__}.{_module}")


def _all_ops(cls: type[NoiseOp]) -> list[type[NoiseOp]]:
    out = []
    for sub in cls.__subclasses__():
        if sub.name:
            out.append(sub)
        out += _all_ops(sub)
    return out


OPERATIONS: dict[str, type[NoiseOp]] = {}
for _op in sorted(_all_ops(NoiseOp), key=lambda c: c.name):
    if _op.name in OPERATIONS and OPERATIONS[_op.name] is not _op:
        raise ImportError(f"two noise operations are named {_op.name!r}: {OPERATIONS[_op.name]} and {_op}")
    OPERATIONS[_op.name] = _op
