"""Text files named on a command line: their UTF-8 text, or one line saying why not.

A user points a command at the wrong file often enough (a directory, a PDF, a
Latin-1 export) that the answer must be a sentence naming the file and the reason,
not a traceback from deep inside a decoder.
"""

from __future__ import annotations

from pathlib import Path

#: Bytes looked at for a NUL, the mark of a binary file (text in UTF-8 has none).
SNIFF_BYTES = 8192


class TextFileError(ValueError):
    """A file that is not readable UTF-8 text; the message is one line naming it."""


def checked_path(path: str | Path, what: str = "text file") -> Path:
    """``path`` if it names an existing file; a TextFileError saying what it is otherwise."""
    path = Path(path)
    if path.is_dir():
        raise TextFileError(f"{path}: is a directory, not a {what}")
    if not path.is_file():
        raise TextFileError(f"{path}: no such file")
    return path


def check_not_binary(head: bytes, where: str) -> None:
    """A TextFileError if the first bytes of a file hold a NUL."""
    if b"\0" in head[:SNIFF_BYTES]:
        raise TextFileError(f"{where}: binary file (NUL bytes), not UTF-8 text")


def decode_utf8(data: bytes, where: str) -> str:
    """``data`` as UTF-8, or a TextFileError naming the first bad byte and its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TextFileError(f"{where}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def read_utf8(path: str | Path, what: str = "text file") -> str:
    """The whole text of a UTF-8 file (a leading byte-order mark is kept: normalising removes it)."""
    path = checked_path(path, what)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TextFileError(f"{path}: {e.strerror or e}") from None
    check_not_binary(data, str(path))
    return decode_utf8(data, str(path))
