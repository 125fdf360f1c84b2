"""Character and word error rates of a garbled text against its clean reference."""

from __future__ import annotations

from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

#: Decimals a row's ``cer`` and ``wer`` keep.
RATE_DECIMALS = 6
#: Below this reference length a rounded rate still tells the whole number of errors:
#: rounding moves the rate by at most half of ``10**-RATE_DECIMALS``, so rate times
#: length by at most a quarter here.
EXACT_LENGTH = 10**RATE_DECIMALS // 2


def char_errors(garbled: str, clean: str) -> tuple[int, int]:
    """Character edits (substitutions, deletions, insertions) and the reference length
    (at least 1): summed over rows, they give a corpus CER."""
    return Levenshtein.distance(clean, garbled), max(1, len(clean))


def word_errors(garbled: str, clean: str) -> tuple[int, int]:
    """Word edits (words split at whitespace) and the reference's word count (at least 1)."""
    ref = clean.split()
    return Levenshtein.distance(ref, garbled.split()), max(1, len(ref))


#: What ``str.split()`` splits at (``str.isspace``): the ASCII space, and two runs of
#: ASCII control characters, (first, count); the other characters (none above U+3000, a
#: test checks all of Unicode) by their UTF-8, which is two or three bytes long, as a
#: number (the lead byte first).
_ASCII_SPACE_RUNS = ((0x09, 5), (0x1C, 5))
_SPACES_BELOW = 0x3001
_WIDE_SPACES = {
    size: np.array(
        sorted(
            int.from_bytes(chr(c).encode(), "big")
            for c in range(0x80, _SPACES_BELOW)
            if chr(c).isspace() and len(chr(c).encode()) == size
        ),
        dtype=np.int64,
    )
    for size in (2, 3)
}
_LEADS = {size: np.unique(codes >> (8 * (size - 1))) for size, codes in _WIDE_SPACES.items()}


def char_counts(texts: Any) -> np.ndarray:
    """``len(text)`` of each text of an Arrow string column (0 for a null)."""
    import pyarrow.compute as pc  # here: the layers below the writer never need it

    return pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)


def word_counts(texts: Any) -> np.ndarray:
    """``len(text.split())`` of each text of an Arrow string column (0 for a null),
    counted on its UTF-8 bytes: no Python string is made, which cost more than the
    counting. A word starts at a byte that is not whitespace after one that is."""
    chunks = texts.chunks if hasattr(texts, "chunks") else [texts]
    return np.concatenate([_word_counts(chunk) for chunk in chunks] or [np.zeros(0, np.int64)])


def _word_counts(texts: Any) -> np.ndarray:
    import pyarrow as pa

    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        texts = texts.cast(pa.string())  # a string view, or a dictionary of strings
    wide = pa.types.is_large_string(texts.type)
    _, offsets_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int64 if wide else np.int32)
    offsets = offsets[texts.offset : texts.offset + len(texts) + 1]
    if not len(texts) or offsets[-1] == offsets[0]:
        return np.zeros(len(texts), np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buffer, np.uint8)[first:last]
    space = np.zeros(len(data), dtype=bool)
    for first_byte, count in _ASCII_SPACE_RUNS:  # comparisons: a table lookup per byte costs more
        space |= (data - np.uint8(first_byte)) < count  # wraps below first_byte
    if data.max() >= 0x80:
        for size, codes in _WIDE_SPACES.items():
            # only where a lead byte of one of them is: few places (a lead byte is never a
            # continuation byte, so a match is a whole character)
            at = np.flatnonzero(np.isin(data[: len(data) - size + 1], _LEADS[size]))
            code = np.zeros(len(at), np.int64)
            for k in range(size):
                code = (code << 8) | data[at + k]
            at = at[np.isin(code, codes)]
            for k in range(size):
                space[at + k] = True
    after_space = np.empty_like(space)
    after_space[0] = True
    after_space[1:] = space[:-1]
    heads = offsets[:-1] - first
    after_space[heads[heads < len(data)]] = True  # a text's first byte starts a word unless it is a space
    # where words start (few), counted between each text's offsets: a running sum over
    # every byte cost more
    starts = np.flatnonzero(~space & after_space)
    bounds = np.searchsorted(starts, offsets - first)
    return np.diff(bounds).astype(np.int64)


def cer(garbled: str, clean: str) -> float:
    errors, length = char_errors(garbled, clean)
    return errors / length


def wer(garbled: str, clean: str) -> float:
    errors, length = word_errors(garbled, clean)
    return errors / length


def row_rate(errors_and_length: tuple[int, int]) -> float:
    """A row's rate as it is stored: errors over length, rounded."""
    errors, length = errors_and_length
    return round(errors / length, RATE_DECIMALS)


def errors_from_rates(rates: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of errors behind stored rates (NaN: none) and their reference lengths
    (as ``char_errors``/``word_errors`` give them), and which rows they are known for:
    not where a rate is missing, or where the rounding could hide an error."""
    stored = np.asarray(rates, dtype=np.float64)
    known = ~np.isnan(stored) & (lengths < EXACT_LENGTH)
    # rate times length is within a quarter of a whole number here: rounding has no ties
    return np.rint(np.where(known, stored, 0.0) * lengths).astype(np.int64), known
