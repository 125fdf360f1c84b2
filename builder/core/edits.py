"""Edits: the record of how a clean text became a garbled one.

An edit replaces ``clean[start:end]`` (its ``before``) with ``after``. Edits of one
text never overlap, so replaying them in order of ``start`` rebuilds the garbled
text exactly and leaves every byte outside them untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any, NamedTuple


class Edit(NamedTuple):
    op: str
    start: int
    end: int
    before: str
    after: str

    def as_dict(self) -> dict:
        return self._asdict()


class EditsColumn(Sequence):
    """A batch's ``edits`` column held as the Arrow list array the rows are written with:
    a row's edits become ``Edit`` rows only when they are asked for, so a batch whose
    edits were made as arrays never makes a Python object an edit on its way to Parquet
    (``pyarrow.array`` takes the array as it is, through ``__arrow_array__``). No row in
    it waits for a diff (``complete``)."""

    complete = True

    def __init__(self, array: Any) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return EditsColumn(self.array[i])
        return [Edit(**e) for e in self.array[i].as_py()]

    def __iter__(self) -> Iterator[list[Edit]]:
        return ([Edit(**e) for e in row] for row in self.array.to_pylist())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __arrow_array__(self, type: Any = None) -> Any:
        return self.array if type is None or self.array.type == type else self.array.cast(type)


class EditError(ValueError):
    """Edits that do not describe a change of the given text."""


def _as_edit(e: Edit | dict) -> Edit:
    return e if isinstance(e, Edit) else Edit(e["op"], e["start"], e["end"], e["before"], e["after"])


def replay(clean: str, edits: Iterable[Edit | dict]) -> str:
    """Apply ``edits`` to ``clean``; raise EditError if they overlap or disagree with it."""
    return replay_ordered(clean, sorted(map(_as_edit, edits), key=APPLY_ORDER))


def replay_ordered(clean: str, edits: Iterable[Edit]) -> str:
    """``replay`` for ``Edit``s already in the order they apply (by start, then end), as
    the garbling makes them: the same checks, without the sort."""
    out: list[str] = []
    pos = 0
    for op, start, end, before, after in edits:
        if start < pos:
            raise EditError(f"edit {Edit(op, start, end, before, after)} overlaps the previous one (ends at {pos})")
        if clean[start:end] != before:
            raise EditError(f"edit {Edit(op, start, end, before, after)} does not match the text {clean[start:end]!r}")
        out.append(clean[pos:start])
        out.append(after)
        pos = end
    out.append(clean[pos:])
    return "".join(out)


#: Edits in the order they apply: by start, an insertion before a replacement that starts there.
APPLY_ORDER = itemgetter(1, 2)


def shift(edits: Iterable[Edit], offset: int) -> list[Edit]:
    """Re-base edits to a text that starts ``offset`` characters later."""
    return [e._replace(start=e.start - offset, end=e.end - offset) for e in edits]


def within(edits: Sequence[Edit], start: int, end: int) -> list[Edit]:
    """The edits lying inside ``[start, end]`` (insertions at either border included)."""
    return [e for e in edits if e.start >= start and e.end <= end]


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> tuple[list[str], list[int]]:
    toks, starts = [], []
    for m in _TOKEN.finditer(text):
        toks.append(m.group())
        starts.append(m.start())
    return toks, starts


def diff(clean: str, garbled: str) -> list[Edit]:
    """Word-level edits turning ``clean`` into ``garbled`` (for real pairs, where no
    operation was recorded). Adjacent changes are merged into one edit."""
    if clean == garbled:
        return []
    from rapidfuzz.distance import Levenshtein  # here: garbling records its edits and never diffs

    ctoks, cstarts = _tokens(clean)
    gtoks, gstarts = _tokens(garbled)
    cstarts.append(len(clean))
    gstarts.append(len(garbled))
    edits: list[Edit] = []
    for op in Levenshtein.opcodes(ctoks, gtoks):
        if op.tag == "equal":
            continue
        cs, ce = cstarts[op.src_start], cstarts[op.src_end]
        gs, ge = gstarts[op.dest_start], gstarts[op.dest_end]
        if edits and edits[-1].end == cs:
            last = edits.pop()
            cs = last.start
            gs -= len(last.after)
        before, after = clean[cs:ce], garbled[gs:ge]
        kind = "insert" if not before else "delete" if not after else "replace"
        edits.append(Edit(kind, cs, ce, before, after))
    return edits
