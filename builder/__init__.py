"""garble-builder: garbled-to-clean news pairs, real and synthetic.

    from builder import align, build, estimate_profile, garble, garble_batch

The Python API (``builder.app.api``) is imported on first use (PEP 562): importing any
module of the package (``builder.core.edits``) runs this file first, and it imports
nothing.

``align`` is also the name of the ``builder.align`` subpackage, which Python binds to
``builder.align`` once it is imported; the package is callable as the function, so
``from builder import align`` aligns either way.
"""

TYPE_CHECKING = False  # what type checkers read; never true at run time
if TYPE_CHECKING:
    from builder.app.api import (
        AlignedGroup,
        Built,
        Garbled,
        Garbler,
        align,
        build,
        estimate_profile,
        garble,
        garble_batch,
    )

__all__ = [
    "AlignedGroup",
    "Built",
    "Garbled",
    "Garbler",
    "align",
    "build",
    "estimate_profile",
    "garble",
    "garble_batch",
]


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    api = import_module("builder.app.api")
    if name not in globals():  # importing the API bound the (callable) align subpackage: it stays
        globals()[name] = getattr(api, name)
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
