"""The interface every garbling peer of ``benchmarks/noise.py`` has, and what they share.

A peer is one library configured for one family of noise (``typo`` or ``ocr``) with one
knob, ``rate``: ``garble(texts, rate, seed)`` garbles a list of documents at that rate,
``parameters(rate)`` says what the library itself calls it and what else it was given, and
``available()`` says whether it can run here, with the reason when it cannot. The benchmark
finds the rate that gives a target CER by bisection inside ``rate_range``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from importlib import metadata
from typing import Any, ClassVar


class Peer:
    #: Shown in the results, e.g. "nlpaug KeyboardAug".
    name: ClassVar[str] = ""
    #: ``typo`` or ``ocr``: which of our recipes it is compared with.
    family: ClassVar[str] = ""
    #: The distribution on PyPI (its installed version is recorded).
    distribution: ClassVar[str] = ""
    #: Modules that must import for the peer to run.
    modules: ClassVar[tuple[str, ...]] = ()
    #: The library's own name for the knob ``rate`` maps to.
    rate_name: ClassVar[str] = "rate"
    #: The interval the calibration searches; the library's own limits.
    rate_range: ClassVar[tuple[float, float]] = (0.0, 1.0)
    #: Worker threads the peer uses (1 for every per-document path).
    threads: ClassVar[int] = 1

    def available(self) -> tuple[bool, str]:
        """(True, "") when the library imports, else (False, why and how to get it)."""
        for module in self.modules:
            try:
                importlib.import_module(module)
            except Exception as exc:  # ImportError, or a broken compiled extension
                hint = f"pip install {self.distribution} (or the project's bench extra)"
                return False, f"{module} cannot be imported ({type(exc).__name__}: {exc}); {hint}"
        return True, ""

    def version(self) -> str | None:
        try:
            return metadata.version(self.distribution)
        except metadata.PackageNotFoundError:
            return None

    def parameters(self, rate: float) -> dict[str, Any]:
        """The library's arguments at ``rate`` (for the record; ``garble`` uses the same)."""
        return {self.rate_name: rate}

    def garble(self, texts: Sequence[str], rate: float, seed: int) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "library": self.distribution,
            "version": self.version(),
            "rate_name": self.rate_name,
            "rate_range": list(self.rate_range),
            "threads": self.threads,
            "how": (self.__doc__ or "").strip().splitlines()[0],
        }
