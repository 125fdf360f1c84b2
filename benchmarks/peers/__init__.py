"""Sentence aligners the alignment benchmark runs side by side, behind one small interface.

Each entry has ``available() -> (ok, reason)`` and ``align(garbled, clean) -> groups``, groups
being ``(garbled indices, clean indices)`` in order, covering every sentence once, 1-0 and 0-1
included. The benchmark asks ``available()`` first, so a missing optional peer is reported and
skipped instead of stopping the run. Importing this package is cheap: heavy imports (torch,
sentence-transformers) happen only when a peer is checked or used.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Protocol

from benchmarks.align_scoring import Group
from benchmarks.peers import bertalign_peer, gale_church


class SentenceAligner(Protocol):
    def available(self) -> tuple[bool, str]: ...

    def align(self, garbled: Sequence[str], clean: Sequence[str]) -> list[Group]: ...


class _Ours:
    """The builder's own aligner in the peers' form, so one loop can run all of them."""

    NAME = "ours"

    @staticmethod
    def available() -> tuple[bool, str]:
        return True, ""

    @staticmethod
    def align(garbled: Sequence[str], clean: Sequence[str]) -> list[Group]:
        from builder.align import Aligner

        return [(g.garbled, g.clean) for g in Aligner().align(garbled, clean)]


OURS = _Ours()
PEERS: dict[str, ModuleType | SentenceAligner] = {
    gale_church.NAME: gale_church,
    bertalign_peer.NAME: bertalign_peer,
}
ALIGNERS: dict[str, ModuleType | SentenceAligner] = {OURS.NAME: OURS, **PEERS}

__all__ = ["ALIGNERS", "OURS", "PEERS", "SentenceAligner", "bertalign_peer", "gale_church"]
