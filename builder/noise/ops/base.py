"""The operation contract: pick words with one vectorised draw, then edit only those.

Each operation draws from its own random stream and records each change as an
``Edit`` named after itself; the shared ``Context`` keeps operations off each other's
words, so edits never overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from builder.edits import Edit
from builder.noise.ops.context import Context

__all__ = ["Context", "NoiseOp", "pick"]


def pick(seq: Sequence[Any], u: float) -> Any:
    """The element of ``seq`` a uniform draw ``u`` in [0, 1) points at."""
    return seq[min(int(u * len(seq)), len(seq) - 1)]


class NoiseOp:
    """A named garbling operation. Subclasses set ``name`` and implement ``edit``.

    ``params`` lists the keyword arguments (and defaults) the config may pass; anything
    else is a ValueError, so a typo in a recipe fails when the recipe is loaded.
    """

    name: ClassVar[str] = ""
    params: ClassVar[dict[str, Any]] = {}
    #: Uniform numbers drawn per selected word and handed to ``edit``.
    draws: ClassVar[int] = 2
    min_len: ClassVar[int] = 1

    def __init__(self, **params: Any):
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise ValueError(f"noise op {self.name!r}: unknown parameter(s) {', '.join(unknown)} (known: {known})")
        for key, default in self.params.items():
            setattr(self, key, self._coerce(key, params.get(key, default), default))

    def _coerce(self, key: str, value: Any, default: Any) -> Any:
        """A parameter in the type of its default (a wrong type fails at load time)."""
        kind = type(default)
        ok = isinstance(value, kind) or (kind is float and type(value) is int)
        if not ok:
            raise ValueError(f"noise op {self.name!r}: parameter {key}={value!r} should be {kind.__name__}")
        return kind(value)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def _key(self) -> tuple:
        return tuple(getattr(self, k) for k in self.params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.params)
        return f"{type(self).__name__}({args})"

    def eligible(self, ctx: Context) -> np.ndarray:
        """Words this operation could apply to (before the random draw)."""
        return ctx.lengths >= self.min_len

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:  # pragma: no cover
        """The edit for word ``i`` (marking any extra words taken), or None to decline."""
        raise NotImplementedError

    def apply(self, ctx: Context, p: float, rng: np.random.Generator) -> list[Edit]:
        """Select each eligible word with probability ``p`` and edit the free ones."""
        if p <= 0 or ctx.n == 0:
            return []
        candidates = np.flatnonzero(self.eligible(ctx) & ctx.editable)
        if candidates.size == 0:
            return []
        picked = candidates[rng.random(candidates.size) < p].tolist()
        if not picked:
            return []
        draws = rng.random((len(picked), self.draws)).tolist()
        taken = ctx.taken
        edits: list[Edit] = []
        for i, u in zip(picked, draws, strict=True):
            if taken[i]:
                continue
            e = self.edit(ctx, i, u)
            if e is not None:
                taken[i] = True
                edits.append(e)
        return edits
