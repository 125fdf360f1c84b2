"""One large JSON Lines file read as byte ranges, a task each, with the records of one stream.

A build with workers reads its files a task each; one large file would leave all but one
worker idle (and on a cluster, send the whole file through one node). Such a file is cut
into ranges at line ends, and each range is read on its own, starting at the line number
the lines before it give (line breaks counted in the bytes, a task per range too).

A range is read as the whole file would be only if the reader of the whole file is, at
the range's start, where a fresh reader starts: between two records, nothing half read.
That is known only after reading the range before it, so each range says how it ended
(``RangeEnd``): cleanly when its last record was a whole JSON object and nothing was left
after it (no value cut by the range's end, no array open, no broken object whose lines
were still being skipped), and the reader had met a value that is not an array (until
then, a top-level array is read as a list of records; a range after the first starts
past that point). ``whole_file_needed`` checks every cut of a file; if one is
not clean, the file is read again in one task, so the documents are always those of one
stream. JSON Lines cuts cleanly everywhere; pretty-printed JSON may not, and then costs
one more read.

Only files read as bytes that the cut cannot split are cut: not compressed, and in an
encoding where a line end is the byte 0x0A and no character holds it (UTF-8 with or
without its mark, ASCII, Latin and the Windows code pages).
"""

from __future__ import annotations

import codecs
import io
import math
from dataclasses import dataclass
from pathlib import Path

from builder.pipeline.readers.text import bom_encoding, sniff_compression

#: A file is cut into ranges of at least this many bytes (a range is one task and one
#: Arrow file of documents) ...
RANGE_MIN_BYTES = 4 << 20
#: ... and of at most this many, whatever the workers.
RANGE_MAX_BYTES = 64 << 20
#: Ranges per worker, so that a worker that finishes early takes another.
RANGES_PER_WORKER = 4
#: Bytes read at a time when counting line breaks or looking for a line end.
_BLOCK = 8 << 20
#: Encodings (as ``codecs.lookup`` names them) whose line end is the byte 0x0A, found in
#: no other character's bytes.
_LINE_SAFE = frozenset(
    ["utf-8", "utf-8-sig", "ascii", "latin-1", "iso8859-1", "iso8859-2", "iso8859-15"]
    + [f"cp{n}" for n in range(1250, 1259)]
)


@dataclass(frozen=True)
class Span:
    """Bytes ``[start, end)`` of a file, whose first line is line ``line``, decoded with
    ``encoding`` and named ``named`` in messages (the file's own encoding: a range after
    the first has no byte-order mark to strip)."""

    start: int
    end: int
    line: int
    encoding: str
    named: str


@dataclass(frozen=True)
class RangeEnd:
    """How reading a range ended: ``clean`` when the next range starts where a reader of
    the whole file would be between records, with no array open and arrays no longer
    read as lists of records; ``failed`` when the
    bytes could not be read (its reject counts the range's records, not the file's)."""

    clean: bool
    failed: bool = False


def range_encodings(path: Path, encoding: str) -> tuple[str, str] | None:
    """(the encoding the file is read in, the one for ranges after its first) when the file
    can be cut at line ends, else None (compressed, or an encoding that may hold 0x0A)."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if sniff_compression(head):
        return None
    used = bom_encoding(head[:4]) or encoding
    try:
        name = codecs.lookup(used).name
    except LookupError:
        return None
    if name not in _LINE_SAFE:
        return None
    return used, "utf-8" if name == "utf-8-sig" else used


def range_count(size: int, workers: int) -> int:
    """How many ranges a file of ``size`` bytes is cut into for ``workers`` (1: not cut)."""
    wanted = max(math.ceil(size / RANGE_MAX_BYTES), RANGES_PER_WORKER * workers)
    return max(1, min(wanted, size // RANGE_MIN_BYTES))


def cut_points(path: Path, pieces: int) -> list[int]:
    """Offsets just after a line end near each ``k / pieces`` of the file, in order, with 0
    and the file's size at the ends (fewer pieces when lines are longer than a piece)."""
    size = path.stat().st_size
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, pieces):
            at = max(size * k // pieces, cuts[-1])
            end = _line_end_after(fh, at, size)
            if cuts[-1] < end < size:
                cuts.append(end)
    cuts.append(size)
    return cuts


def _line_end_after(fh: io.BufferedReader, at: int, size: int) -> int:
    """The offset just after the first line end at or after ``at`` (``size`` if none)."""
    fh.seek(at)
    pos = at
    while pos < size:
        block = fh.read(_BLOCK)
        if not block:
            break
        found = block.find(b"\n")
        if found >= 0:
            return pos + found + 1
        pos += len(block)
    return size


def line_breaks(path: Path, start: int, end: int) -> int:
    """Line breaks in bytes ``[start, end)`` as a text reader counts them: ``\\n``, ``\\r\\n``
    and a lone ``\\r`` one each (universal newlines)."""
    count = 0
    previous = b""
    with open(path, "rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0:
            block = fh.read(min(_BLOCK, left))
            if not block:
                break
            left -= len(block)
            count += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
            if previous == b"\r" and block[:1] == b"\n":  # a \r\n cut between two blocks
                count -= 1
            previous = block[-1:]
    return count


def spans(cuts: list[int], breaks: list[int], encodings: tuple[str, str]) -> list[Span]:
    """The ranges between ``cuts``, ``breaks`` being the line breaks of each range but the last."""
    used, later = encodings
    out, line = [], 1
    for k in range(len(cuts) - 1):
        out.append(Span(cuts[k], cuts[k + 1], line, used if k == 0 else later, used))
        if k < len(breaks):
            line += breaks[k]
    return out


def whole_file_needed(ends: list[RangeEnd]) -> bool:
    """Whether a file read as these ranges must be read again in one stream: some range
    but the last ended where the next range's fresh start would not be the stream's, or
    some range could not be read."""
    return any(end.failed for end in ends) or not all(end.clean for end in ends[:-1])


class RangeFile(io.RawIOBase):
    """Bytes ``[start, end)`` of a file as a stream of their own."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed with this stream
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._left)
        if n <= 0:
            return 0
        got = self._file.readinto(memoryview(buffer)[:n]) or 0
        self._left -= got
        return got

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()
