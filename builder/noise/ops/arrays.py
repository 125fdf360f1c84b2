"""Array helpers for garbling a whole batch at once: text as code points, uniforms
turned into choices (the draws themselves are ``builder.core.seeding``'s), per-character
lookup tables, and "the k-th qualifying character of each word".

Text is handled as an array of code points in the narrowest type that holds it (one
byte for Latin-1 text, two for the Basic Multilingual Plane, else four), so the common
case of news text costs one byte per character in every pass.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from builder.noise.ops.tables import KEYBOARD, OCR, SHIFT_PAIRS

#: Characters above the Basic Multilingual Plane index the tables here (a non-character
#: with no property), so astral characters are never word characters for a table op.
_CLAMP = 0xFFFF


# ---------------------------------------------------------------------------- code points


def codepoints(text: str) -> np.ndarray:
    """``text`` as code points: uint8 for Latin-1 text, uint16 for the BMP, else uint32."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    try:
        return np.frombuffer(text.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        pass
    wide = text.encode("utf-16-le", "surrogatepass")
    if len(wide) == 2 * len(text):  # no character needed a surrogate pair
        return np.frombuffer(wide, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def decode(cp: np.ndarray) -> str:
    """The string of code points ``cp`` (any of ``codepoints``' types)."""
    if cp.dtype == np.uint8:
        return cp.tobytes().decode("latin-1")
    if cp.dtype == np.uint16:
        return cp.tobytes().decode("utf-16-le", "surrogatepass")
    return cp.astype(np.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def narrowest(top: int) -> type:
    """The code point type for characters up to ``top``."""
    return np.uint8 if top < 0x100 else np.uint16 if top < 0x10000 else np.uint32


_BYTE_TABLES: dict[int, tuple[np.ndarray, bytes]] = {}


def lookup(table: np.ndarray, cp: np.ndarray) -> np.ndarray:
    """``table[cp]`` for a table over the BMP; characters above it get ``table[0xFFFF]``.

    One-byte tables of one-byte text go through ``bytes.translate``, a plain C loop.
    """
    if cp.dtype == np.uint8 and table.dtype.itemsize == 1:
        cached = _BYTE_TABLES.get(id(table))
        if cached is None or cached[0] is not table:
            cached = _BYTE_TABLES[id(table)] = (table, table[:256].view(np.uint8).tobytes())
        return np.frombuffer(bytearray(cp.tobytes()).translate(cached[1]), dtype=table.dtype)
    if cp.dtype == np.uint32:
        cp = np.minimum(cp, _CLAMP)
    return table[cp]


# ---------------------------------------------------------------------------- draws


def split(v: np.ndarray, n: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """A uniform ``v`` in [0, 1) as a choice among ``n`` (``floor(v * n)``, at most n - 1)
    and a fresh uniform: what is left of ``v`` once the choice is known."""
    scaled = v * n
    k = np.minimum(scaled.astype(np.int64), np.maximum(np.asarray(n) - 1, 0))
    return k, np.clip(scaled - k, 0.0, 1.0 - 2.0**-53)


def chance(v: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    """``v < p``, and ``v`` rescaled to a fresh uniform on either side of ``p``."""
    hit = v < p
    if not 0 < p < 1:
        return hit, v
    rest = np.where(hit, v / p, (v - p) / (1.0 - p))
    return hit, np.clip(rest, 0.0, 1.0 - 2.0**-53)


# ---------------------------------------------------------------------------- ranges


def expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Every position ``starts[k] + j`` for ``j < counts[k]``, in order."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(counts)
    first -= counts
    out = np.repeat(np.asarray(starts, dtype=np.int64) - first, counts)
    out += np.arange(total, dtype=np.int64)
    return out


class Slots:
    """The characters ``starts[k] .. starts[k] + counts[k] - 1`` of each of some words,
    flattened, to draw per word one of its characters with a property (or by weight) in
    a few passes over these characters only."""

    def __init__(self, starts: np.ndarray, counts: np.ndarray):
        self.counts = np.maximum(np.asarray(counts, dtype=np.int64), 0)
        self.pos = expand(starts, self.counts)
        self.first = np.cumsum(self.counts) - self.counts  # each word's first slot

    def totals(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The running sum of integer ``weights`` over the slots (from 0), and per word the
        sum before its first slot and its own sum."""
        run = np.zeros(self.pos.size + 1, dtype=np.int32)
        if weights.dtype == bool:
            weights = weights.view(np.uint8)
        np.cumsum(weights, dtype=np.int32, out=run[1:])
        before = run[self.first]
        return run, before, run[self.first + self.counts] - before

    def locate(self, run: np.ndarray, target: np.ndarray) -> np.ndarray:
        """The slot whose weight holds unit ``target`` of the running sum ``run`` (a binary
        search over all slots: for a few words)."""
        return np.minimum(np.searchsorted(run, target, side="right") - 1, max(self.pos.size - 1, 0))

    def locate_each(self, run: np.ndarray, target: np.ndarray) -> np.ndarray:
        """``locate`` for every word (one ``target`` each), by counting in each word the
        slots the target lies beyond: a few passes over the slots, no search."""
        word = np.repeat(np.arange(self.counts.size), self.counts)
        beyond = run[1:] <= target[word]
        count = np.zeros(self.pos.size + 1, dtype=np.int32)
        np.cumsum(beyond.view(np.uint8), dtype=np.int32, out=count[1:])
        offset = count[self.first + self.counts] - count[self.first]
        return np.minimum(self.first + offset, max(self.pos.size - 1, 0))

    def pick(self, weights: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per word, a slot drawn by ``v`` with chance proportional to its integer weight:
        (whether the word has any weight, the slot, how far into the slot's weight the draw
        fell, what is left of ``v``)."""
        run, before, total = self.totals(weights)
        k, rest = split(v, total)
        target = before + k
        slot = self.locate_each(run, target)
        return total > 0, slot, target - run[slot], rest

    def kth(self, flags: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per word: whether any of its slots has the flag, the position of one drawn
        uniformly by ``v`` (the word's first slot if none), and what is left of ``v``."""
        if not self.pos.size:
            return np.zeros(v.size, dtype=bool), self.pos[:0].copy(), v
        run, before, total = self.totals(flags)
        k, rest = split(v, total)
        slot = self.first + k
        partial = np.flatnonzero(total != self.counts)  # most words have the flag everywhere
        if partial.size:
            slot[partial] = self.locate(run, before[partial] + k[partial])
        pos = self.pos[np.minimum(slot, self.pos.size - 1)]
        return total > 0, pos, rest


# ---------------------------------------------------------------------------- tables


def _bmp(fn) -> np.ndarray:
    return np.array([fn(chr(c)) for c in range(0x10000)])


@cache
def alnum_table() -> np.ndarray:
    """Per BMP code point: a letter or digit (``str.isalnum``)."""
    return _bmp(str.isalnum).astype(bool)


@cache
def swapcase_table() -> np.ndarray:
    """Per BMP code point: the character in the other case, where that is one character
    (0 where the case does not change or the other case is longer, as "ß" -> "SS")."""

    def other(c: str) -> int:
        s = c.swapcase()
        return ord(s) if len(s) == 1 and s != c else 0

    return _bmp(other).astype(np.uint32)


@cache
def swappable_table() -> np.ndarray:
    """Per BMP code point: ``swapcase_table`` is not 0."""
    return swapcase_table() != 0


@cache
def keyboard_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP code point, its row in the neighbour table (0: not on the keyboard); per
    row, the neighbouring keys in the character's case, and how many there are."""
    rows: dict[tuple[str, ...], int] = {(): 0}
    row_of = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        c = chr(code)
        near = KEYBOARD.get(c.lower())
        if not near:
            continue
        cased = tuple(r.upper() if c.isupper() else r for r in near)
        row_of[code] = rows.setdefault(cased, len(rows))
    if len(rows) > 256:
        raise ValueError("keyboard table: more than 255 distinct neighbour rows")
    width = max(len(r) for r in rows)
    neighbours = np.zeros((len(rows), width), dtype=np.uint32)
    count = np.zeros(len(rows), dtype=np.int64)
    for cased, r in rows.items():
        neighbours[r, : len(cased)] = [ord(x) for x in cased]
        count[r] = len(cased)
    return row_of, neighbours, count


def _ascii_table(chars, values=None, dtype=bool) -> np.ndarray:
    out = np.zeros(0x10000, dtype=dtype)
    for k, c in enumerate(chars):
        out[ord(c)] = True if values is None else values[k]
    return out


#: Shift slips: the character with the shift key's other state (0: none).
SHIFTED = _ascii_table(list(SHIFT_PAIRS), [ord(v) for v in SHIFT_PAIRS.values()], np.uint32)
SHIFTABLE = SHIFTED != 0
#: The characters inside a word that have a shifted twin: digits and the straight apostrophe.
IN_WORD_SHIFT = _ascii_table("0123456789'")
ASCII_UPPER = _ascii_table("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_LOWER = _ascii_table("abcdefghijklmnopqrstuvwxyz")


class OcrTable:
    """The OCR confusions as lookups over the whole text.

    Per character: the summed weight of the one-character patterns it is (``single``),
    and an id as the first and as the second character of a two-character pattern, whose
    pair has a weight (``pair``). Weights are doubled to integers. To resolve a drawn
    position: per character class, its one-character rows (at most two) and per pair of
    classes its two-character row (at most one).
    """

    def __init__(self, table: tuple[tuple[str, str, float], ...] = OCR):
        for src, dst, weight in table:
            if not 1 <= len(src) <= 2 or not 1 <= len(dst) <= 2 or weight * 2 != int(weight * 2) or weight <= 0:
                raise ValueError(f"OCR row {src!r} -> {dst!r} ({weight}): 1-2 characters each, weights in halves")
            if any(ord(c) > 0xFFFF for c in src + dst):
                raise ValueError(f"OCR row {src!r} -> {dst!r}: characters outside the BMP")
        chars = sorted({c for src, _, _ in table for c in src})
        self.cls = np.zeros(0x10000, dtype=np.uint8)
        for k, c in enumerate(chars, start=1):
            self.cls[ord(c)] = k
        size = len(chars) + 1
        self.single_row = np.zeros((size, 2), dtype=np.int64)
        self.single_w = np.zeros((size, 2), dtype=np.int64)
        placed = np.zeros(size, dtype=np.int64)
        self.pair_row = np.full((size, size), -1, dtype=np.int64)
        firsts = sorted({src[0] for src, _, _ in table if len(src) == 2})
        seconds = sorted({src[1] for src, _, _ in table if len(src) == 2})
        self.first_id = np.zeros(0x10000, dtype=np.uint8)
        self.second_id = np.zeros(0x10000, dtype=np.uint8)
        for k, c in enumerate(firsts, start=1):
            self.first_id[ord(c)] = k
        for k, c in enumerate(seconds, start=1):
            self.second_id[ord(c)] = k
        self.pair_stride = len(seconds) + 1
        if (len(firsts) + 1) * self.pair_stride > 256:
            raise ValueError("OCR table: too many two-character patterns")
        self.pair_w = np.zeros(256, dtype=np.uint8)  # by first_id * pair_stride + second_id
        self.single = np.zeros(0x10000, dtype=np.uint8)
        for row, (src, _, weight) in enumerate(table):
            w = int(weight * 2)
            if w > 120:
                raise ValueError(f"OCR row {src!r}: weight {weight} too large")
            if len(src) == 1:
                k = int(self.cls[ord(src)])
                if placed[k] == 2:
                    raise ValueError(f"OCR table: more than two rows for {src!r}")
                self.single_row[k, placed[k]], self.single_w[k, placed[k]] = row, w
                placed[k] += 1
                self.single[ord(src)] += w
            else:
                a, b = int(self.cls[ord(src[0])]), int(self.cls[ord(src[1])])
                if self.pair_row[a, b] >= 0:
                    raise ValueError(f"OCR table: two rows for {src!r}")
                self.pair_row[a, b] = row
                self.pair_w[self.first_id[ord(src[0])] * self.pair_stride + self.second_id[ord(src[1])]] = w
        self.pair_ids = (self.first_id * self.pair_stride + self.second_id).astype(np.uint8)
        self.src_len = np.array([len(src) for src, _, _ in table], dtype=np.int64)
        self.dst_len = np.array([len(dst) for _, dst, _ in table], dtype=np.int64)
        self.dst = np.zeros((len(table), 2), dtype=np.uint32)
        for row, (_, dst, _) in enumerate(table):
            self.dst[row, : len(dst)] = [ord(c) for c in dst]

    def weights(self, chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per character of ``chars``: the weight of every pattern starting there, and of the
        two-character one alone (0 for the last character)."""
        pair = np.zeros(chars.size, dtype=np.uint8)
        if chars.size > 1:
            ids = lookup(self.pair_ids, chars)  # first id times the stride, plus the second id
            first = ids[:-1] // np.uint8(self.pair_stride)
            first *= np.uint8(self.pair_stride)
            first += ids[1:] % np.uint8(self.pair_stride)
            pair[:-1] = lookup(self.pair_w, first)
        return lookup(self.single, chars) + pair, pair
