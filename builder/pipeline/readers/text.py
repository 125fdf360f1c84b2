"""Opening a text file the way its bytes say, whatever its name says.

Compression is read from the magic bytes (gzip, bz2, xz), so ``news.jsonl`` holding
gzip data is read, and so is plain text named ``.gz``. A byte-order mark wins over
``source.encoding``. A byte that is not valid in the encoding does not stop the file:
it is decoded as a marker character (a lone surrogate U+DC00-U+DCFF, which no valid
text holds) so the reader can reject the one record that holds it and read on.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import re
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

MARK = "builder.pipeline.readers.mark"
MARKED = re.compile("[\udc00-\udcff]")
SURROGATE = re.compile("[\ud800-\udfff]")

_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
_OPENERS = {
    "gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
    "bz2": bz2.BZ2File,
    "xz": lzma.LZMAFile,
}
# UTF-32 first: its little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: What reading a damaged or truncated stream raises, besides OSError.
READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, lzma.LZMAError)


def _mark(err: UnicodeError) -> tuple[str | bytes, int]:
    """Decode bad bytes as U+DC00+byte; encode those markers back to the same bytes."""
    if isinstance(err, UnicodeDecodeError):
        return "".join(chr(0xDC00 + b) for b in err.object[err.start : err.end]), err.end
    if isinstance(err, UnicodeEncodeError):
        chunk = err.object[err.start : err.end]
        if all(0xDC00 <= ord(c) <= 0xDCFF for c in chunk):
            return bytes(ord(c) - 0xDC00 for c in chunk), err.end
    raise err


codecs.register_error(MARK, _mark)


@dataclass
class TextSource:
    """An open text stream and what was found out while opening it."""

    stream: TextIO
    compression: str  # "" (plain), gzip, bz2 or xz
    encoding: str


def sniff_compression(head: bytes) -> str:
    return next((name for magic, name in _MAGIC if head.startswith(magic)), "")


def bom_encoding(head: bytes) -> str | None:
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


@contextmanager
def open_text(path: Path, encoding: str, newline: str | None = None) -> Iterator[TextSource]:
    """The file decompressed and decoded; bad bytes become markers (see ``MARK``)."""
    with ExitStack() as stack:
        raw = stack.enter_context(open(path, "rb"))
        compression = sniff_compression(raw.peek(8)[:8])
        binary = stack.enter_context(_OPENERS[compression](raw)) if compression else raw
        used = bom_encoding(binary.peek(4)[:4]) or encoding
        stream = stack.enter_context(io.TextIOWrapper(binary, encoding=used, errors=MARK, newline=newline))
        yield TextSource(stream, compression, used)


def decode_bytes(data: bytes, encoding: str) -> str:
    """Bytes of a whole file as text: a BOM wins; bad bytes raise UnicodeDecodeError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name)
    return data.decode(encoding)


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (a marker, or a lone surrogate that
    Arrow cannot store): UTF-8 cannot encode one, and the codec says so six times faster
    than a pattern searches a news article for one."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def has_marks(text: str) -> bool:
    return has_surrogate(text) and MARKED.search(text) is not None


def suggest_encoding(raw: bytes, encoding: str) -> str:
    """The first of UTF-8, cp1252, latin-1 (other than ``encoding``) that reads ``raw``."""
    current = codecs.lookup(encoding).name
    for candidate in ("utf-8", "cp1252", "latin-1"):
        if codecs.lookup(candidate).name == current:
            continue
        try:
            raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return "latin-1"


def encoding_detail(raw: bytes, bad_at: int, encoding: str) -> str:
    """Why a record is ``bad_encoding``, and the ``source.encoding`` to try instead."""
    byte = f"byte 0x{raw[bad_at]:02x}" if 0 <= bad_at < len(raw) else "a byte sequence"
    return (
        f"{byte} is not valid {encoding}; if the corpus is in another encoding, "
        f"set source.encoding={suggest_encoding(raw, encoding)}"
    )


def marked_detail(text: str, encoding: str) -> str:
    """``encoding_detail`` for text decoded with ``MARK`` (its markers are the bad bytes)."""
    first = MARKED.search(text)
    try:
        raw = text.encode(encoding, MARK)
        prefix = len(text[: first.start()].encode(encoding, MARK)) if first else -1
    except (UnicodeError, LookupError):  # a codec that cannot write back what it read
        return f"bytes that are not valid {encoding}; if the corpus is in another encoding, set source.encoding=..."
    return encoding_detail(raw, prefix, encoding)


def printable(text: str) -> str:
    """``text`` with lone surrogates escaped, so Arrow can store it (file names, messages)."""
    if not has_surrogate(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
