"""Operations by the names recipes use: every NoiseOp subclass in ``builder.noise.ops``.

Modules of the ops package are discovered, so a new operation family is a new module
there and nothing else. ``OPERATIONS`` imports them all (two operations with one name
are an ImportError then); ``operation(name)`` imports only the module that defines
``name``, found in the modules' source, so a recipe of character operations starts
without compiling the lexical operations' tables.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.noise import ops as _ops_package
from builder.noise.ops.base import NoiseOp

if TYPE_CHECKING:
    OPERATIONS: dict[str, type[NoiseOp]]

#: An operation's name as its class declares it (class body, four spaces in).
_DECLARED_NAME = re.compile(r"""^    name(?:\s*:\s*ClassVar\[str\])?\s*=\s*["'](\w+)["']""", re.MULTILINE)


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(_ops_package.__path__))


def _all_ops(cls: type[NoiseOp]) -> list[type[NoiseOp]]:
    out = []
    for sub in cls.__subclasses__():
        if sub.name:
            out.append(sub)
        out += _all_ops(sub)
    return out


@cache
def _registry() -> dict[str, type[NoiseOp]]:
    for module in _modules():
        importlib.import_module(f"{_ops_package.__name__}.{module}")
    found: dict[str, type[NoiseOp]] = {}
    for op in sorted(_all_ops(NoiseOp), key=lambda c: c.name):
        if op.name in found and found[op.name] is not op:
            raise ImportError(f"two noise operations are named {op.name!r}: {found[op.name]} and {op}")
        found[op.name] = op
    return found


@cache
def homes() -> dict[str, str]:
    """Each operation's name and the ops module declaring it, read off the modules'
    source without importing them; empty when the source is not there to read (then
    ``operation`` imports every module) or when a name is declared twice."""
    out: dict[str, str] = {}
    folder = Path(_ops_package.__file__).parent
    for module in _modules():
        try:
            source = (folder / f"{module}.py").read_text(encoding="utf-8")
        except OSError:
            return {}
        for name in _DECLARED_NAME.findall(source):
            if name in out:
                return {}  # OPERATIONS reports it
            out[name] = module
    return out


def operation(name: str) -> type[NoiseOp] | None:
    """The operation class named ``name`` (None if there is none), importing only the
    module that declares it when it is known."""
    home = homes().get(name)
    if home is not None:
        importlib.import_module(f"{_ops_package.__name__}.{home}")
        for op in _all_ops(NoiseOp):
            if op.name == name and op.__module__ == f"{_ops_package.__name__}.{home}":
                return op
    return _registry().get(name)


def __getattr__(attr: str) -> Any:
    if attr == "OPERATIONS":
        return _registry()
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
