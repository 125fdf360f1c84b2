"""Names a package exports but imports on first use (PEP 562), so importing one light
module of the package (a ``--help``, the recipe schema) does not load the heavy ones."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(namespace: dict[str, Any], homes: dict[str, str]) -> tuple[Callable, Callable]:
    """A module's ``__getattr__`` and ``__dir__`` for ``homes`` (name -> module that defines
    it); a name, once imported, is kept in ``namespace`` (the module's ``globals()``)."""
    module = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(homes[name]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ())})

    return __getattr__, __dir__
