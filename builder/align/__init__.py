"""Sentence alignment of garbled text against its clean reference.

The package is callable: ``builder.align(garbled, clean)`` is ``texts.align``. The API
exports a function named ``align`` from ``builder``, and Python binds the name
``builder.align`` to this subpackage as soon as it is imported, so ``from builder import
align`` gives one or the other; either way a call aligns.

The names below are imported on first use (PEP 562): ``python -m builder.align --help``
need not load the aligner's numeric stack.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING

from builder.core.lazy import lazy_exports

if TYPE_CHECKING:
    from builder.align.aligner import Aligner, AlignerParams, Group
    from builder.align.texts import AlignedGroup

_HOMES = {
    "Aligner": "builder.align.aligner",
    "AlignerParams": "builder.align.aligner",
    "Group": "builder.align.aligner",
    "AlignedGroup": "builder.align.texts",
}
__all__ = ["AlignedGroup", "Aligner", "AlignerParams", "Group"]


__getattr__, __dir__ = lazy_exports(globals(), _HOMES)


class _CallablePackage(types.ModuleType):
    def __call__(
        self,
        garbled: str | Sequence[str],
        clean: str | Sequence[str],
        *,
        lines: bool = False,
        threshold: float | None = None,
        max_group: int = 2,
    ) -> list[AlignedGroup]:
        """The sentence alignment of a garbled text against its clean reference: see
        ``builder.align.texts.align``."""
        from builder.align.texts import align

        return align(garbled, clean, lines=lines, threshold=threshold, max_group=max_group)


sys.modules[__name__].__class__ = _CallablePackage
