"""Every random number the builder draws comes from here.

Every random choice is drawn from a generator keyed by (seed, doc_id, purpose), so
a record garbles the same way whatever its position, batch, worker or process.
Python's ``hash()`` is salted per process and is never used. Two kinds of draw:

- streams: ``rng_for`` (a NumPy generator per record and purpose), ``unit_interval``
  (one number fixed by its parts), ``unit_intervals`` (one a string of a column, from
  ``string_keys``, for a whole batch at once) and ``generator`` (a plain seeded generator, for
  measurements that are not about one record);
- counter-based draws for arrays of words: ``doc_key`` and ``salt`` make 64-bit keys,
  and ``unit(fmix64(key + counter))`` is the counter's number (one splitmix64 step), so
  a word's number never depends on which other words are in the batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np


def _update(h: Any, part: object) -> None:
    b = str(part).encode("utf-8")
    h.update(len(b).to_bytes(8, "little"))
    h.update(b)


def digest(*parts: object, size: int = 16) -> bytes:
    h = hashlib.blake2b(digest_size=size)
    for p in parts:
        _update(h, p)
    return h.digest()


def stable_hex(*parts: object, size: int = 8) -> str:
    return digest(*parts, size=size).hex()


def unit_interval(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``: the same on every machine and run."""
    return int.from_bytes(digest(*parts, size=8), "little") / 2.0**64


@lru_cache(maxsize=64)
def unit_interval_of(*first: object) -> Callable[..., float]:
    """``unit_interval`` with its first parts fixed, their hash made once:
    ``unit_interval_of(a, b)(c, d) == unit_interval(a, b, c, d)`` (a draw per row).
    Kept here, per process, not by its caller: a hash object cannot be pickled."""
    head = hashlib.blake2b(digest_size=8)
    for part in first:
        _update(head, part)

    def draw(*rest: object) -> float:
        h = head.copy()
        for part in rest:
            _update(h, part)
        return int.from_bytes(h.digest(), "little") / 2.0**64

    return draw


def string_keys(values: Any, first: object = None) -> np.ndarray:
    """A 64-bit key for each string of ``values`` (a list, or a NumPy or Arrow column),
    fixed by the string and ``first``: the same on every machine and run. Each is pandas'
    SipHash of the string's UTF-8 (keyed by a hash of ``first`` when given), all in one
    call in C: a BLAKE2b object a value cost ten times as much."""
    from pandas.util import hash_array  # loaded already in a build, with datasets

    if hasattr(values, "to_numpy"):  # an Arrow column
        values = values.to_numpy(zero_copy_only=False)
    strings = np.asarray(values, dtype=object)
    if first is None:
        return hash_array(strings, categorize=False).astype(np.uint64)
    return hash_array(strings, hash_key=digest(first, size=8).hex(), categorize=False).astype(np.uint64)


def unit_intervals(first: object, values: Any) -> np.ndarray:
    """A number in [0, 1) for each string of ``values``, fixed by ``first`` and the
    string: the top 53 bits of its ``string_keys`` (not ``unit_interval``'s numbers)."""
    return (string_keys(values, first) >> np.uint64(11)).astype(np.float64) * 2.0**-53  # exactly below 1


def rng_for(seed: int, doc_id: str, purpose: str) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(int.from_bytes(digest(seed, doc_id, purpose), "little")))


def generator(seed: int) -> np.random.Generator:
    """A plain generator for ``seed``: for measurements (such as the realism report's
    folds) that draw for a whole corpus, not per record."""
    return np.random.default_rng(seed)


U64 = np.uint64
GOLDEN = 0x9E3779B97F4A7C15
MASK64 = (1 << 64) - 1


def doc_key(seed: int, doc_id: str) -> int:
    """The 64-bit key every random draw for one document derives from: one BLAKE2b of the
    seed and the id (a decimal integer never holds the separator, so the pair is unambiguous)."""
    data = f"{int(seed)}\x1f{doc_id}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, person=b"garble:noise").digest(), "little")


@lru_cache(maxsize=4096)
def salt(*parts: object) -> int:
    return int.from_bytes(digest(*parts, size=8), "little")


def fmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser of each element, in place: a bijection that spreads every
    input bit over the whole output."""
    y = x >> U64(30)
    x ^= y
    x *= U64(0xBF58476D1CE4E5B9)
    np.right_shift(x, U64(27), out=y)
    x ^= y
    x *= U64(0x94D049BB133111EB)
    np.right_shift(x, U64(31), out=y)
    x ^= y
    return x


def unit(x: np.ndarray) -> np.ndarray:
    """The top 53 bits of each uint64 as a float in [0, 1)."""
    return (x >> U64(11)).astype(np.float64) * (2.0**-53)
