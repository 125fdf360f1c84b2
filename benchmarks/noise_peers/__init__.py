"""Garbling libraries that ``benchmarks/noise.py`` runs against our ``typo`` and ``ocr`` recipes.

Each peer (``base.Peer``) has ``available() -> (ok, reason)``, ``garble(texts, rate, seed)``,
``parameters(rate)`` (what the library calls ``rate`` and what else it is given) and a
``rate_range`` to calibrate in. Importing this package imports none of the libraries: they
are imported when a peer is checked or used, so a missing one is reported and skipped.

The libraries are in the project's ``bench`` extra only, never in the core install:
nlpaug 1.1.11, textnoisr 1.2.0 and glitchlings 1.0.0.
"""

from __future__ import annotations

from benchmarks.noise_peers import glitchlings_peer, nlpaug_peer, textnoisr_peer
from benchmarks.noise_peers.base import Peer

PEERS: tuple[Peer, ...] = (*nlpaug_peer.PEERS, *textnoisr_peer.PEERS, *glitchlings_peer.PEERS)


def peers_for(family: str) -> list[Peer]:
    """The peers compared with our recipe of ``family`` (``typo`` or ``ocr``)."""
    return [p for p in PEERS if p.family == family]


__all__ = ["PEERS", "Peer", "glitchlings_peer", "nlpaug_peer", "peers_for", "textnoisr_peer"]
