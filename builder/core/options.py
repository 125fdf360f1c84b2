"""Config schema fields that carry their own one-line description.

The schemas (``builder.app.config`` and the recipe schema in ``builder.noise.spec``)
declare each key with ``option(default, "what it does")``; ``python -m builder --help``
prints that line, so the schema is the one place a key is described.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

HELP = "help"


def option(default: Any = dataclasses.MISSING, doc: str = "", *, factory: Callable[[], Any] | None = None) -> Any:
    """A dataclass field with ``doc`` as its help line; ``factory`` for mutable defaults."""
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={HELP: doc})
    return dataclasses.field(default=default, metadata={HELP: doc})


def help_of(f: dataclasses.Field) -> str:
    """The help line of a schema field ("" when it has none)."""
    return f.metadata.get(HELP, "")
