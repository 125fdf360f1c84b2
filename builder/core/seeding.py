"""Stable hashing and per-record random streams.

Every random choice is drawn from a generator keyed by (seed, doc_id, purpose), so
a record garbles the same way whatever its position, batch, worker or process.
Python's ``hash()`` is salted per process and is never used.
"""

from __future__ import annotations

import hashlib

import numpy as np


def digest(*parts: object, size: int = 16) -> bytes:
    h = hashlib.blake2b(digest_size=size)
    for p in parts:
        b = str(p).encode("utf-8")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.digest()


def stable_hex(*parts: object, size: int = 8) -> str:
    return digest(*parts, size=size).hex()


def unit_interval(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``: the same on every machine and run."""
    return int.from_bytes(digest(*parts, size=8), "little") / 2.0**64


def rng_for(seed: int, doc_id: str, purpose: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(int.from_bytes(digest(seed, doc_id, purpose), "little")))
