"""JSON values read one at a time from a text stream, with their line numbers.

One reader covers the shapes a ``.json``/``.jsonl`` file comes in: JSON Lines, one
top-level array (on one line or pretty-printed), and pretty-printed objects one after
another (commas between them are ignored). A line that is one whole value is parsed
on its own, so JSON Lines keeps a fast line-by-line path; a value that does not end on
its line grows a buffer (doubling, so a long value costs linear time) until it parses,
up to a bound. Memory is bounded by one value, never the file.

A value that cannot be parsed is reported with its line, and reading resumes at the
next line: in JSON Lines (a broken value that began a line with more than its opening
bracket) that is simply the next line, so one broken line rejects only that line; in a
pretty-printed file it is the next line that can start a value at the same indentation
or less, the next object, not each of the broken object's inner lines. (In an array
written on one line, the rest of that line goes with the reject: its detail says so.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from builder.core import reasons
from builder.pipeline.readers.text import has_marks, marked_detail

_DECODER = json.JSONDecoder()
_loads = json.loads
_SPACE = re.compile("[ \t\n\r\ufeff]*")  # a BOM inside a file is left by concatenating files
_INDENT = re.compile(r"[ \t]*")
CHUNK = 1 << 20  # characters read at once from a line longer than this
_FIRST_READ = 1 << 12
_LITERAL_TAIL = 16  # a value cut at the end of a partial line errs this close to the end


@dataclass
class JsonItem:
    """One top-level value (or array element) and the line it starts on, or why it failed."""

    line: int
    value: Any = None
    error: str = ""
    detail: str = ""


class JsonValues:
    """Iterate over the JSON values of ``stream`` as ``JsonItem``s.

    ``line`` is the line the reader has reached, ``count`` the values yielded so far:
    both say where reading stopped when the stream itself fails.
    """

    def __init__(
        self, stream: TextIO, max_value_chars: int, encoding: str = "utf-8", line: int = 1, arrays_open: bool = True
    ) -> None:
        """``line`` and ``arrays_open``: where the stream starts, for a part of a file
        that starts between records (``builder.pipeline.readers.ranges``)."""
        self.stream = stream
        self.max_value_chars = max_value_chars
        self.encoding = encoding
        self.buf = ""
        self.pos = 0
        self.line = line  # line of buf[pos]
        self.line_start = 0  # where that line starts in buf (negative: before buf[0])
        self.eof = False
        self.marked = False  # the buffer holds bytes that were not valid in the encoding
        self.in_array = False
        self.arrays_open = arrays_open  # a top-level array is a list of records until a non-array value
        self.count = 0

    def __iter__(self) -> Iterator[JsonItem]:
        while True:
            self._advance(_SPACE.match(self.buf, self.pos).end())  # type: ignore[union-attr]
            item = self._whole_line() if self._at_plain_line_start() else None
            if item is None:
                if not self._to_next_value():
                    return
                item = self._value()
            self.count += 1
            yield item

    # -- the fast path: JSON Lines ---------------------------------------------------
    def _at_plain_line_start(self) -> bool:
        """Between top-level values at the start of a line, where a line is usually one value."""
        at_line_start = self.pos == len(self.buf) and (not self.buf or self.buf.endswith("\n"))
        return at_line_start and not self.in_array and not self.arrays_open and not self.eof

    def _whole_line(self) -> JsonItem | None:
        """The next line parsed on its own; None when it is not one whole value, which is
        then left in the buffer for the general path (or at the end of the stream)."""
        text = self.stream.readline(CHUNK)
        while text.endswith("\n") and not text.strip():
            self.line += 1
            text = self.stream.readline(CHUNK)
        if text.endswith("\n") or len(text) < CHUNK:
            try:
                value = _loads(text.lstrip("\ufeff"))
            except (ValueError, RecursionError):
                pass
            else:
                line = self.line
                if text.endswith("\n"):
                    self.line += 1
                self.buf, self.pos, self.line_start = "", 0, 0
                if not text.isascii() and has_marks(text):
                    return JsonItem(line, error=reasons.BAD_ENCODING, detail=marked_detail(text, self.encoding))
                return JsonItem(line, value)
        self.buf, self.pos, self.line_start = text, 0, 0
        self.marked = has_marks(text)
        self.eof = not text
        return None

    # -- reading -------------------------------------------------------------------
    def _read(self, at_least: int) -> bool:
        """Drop what was parsed and append at least ``at_least`` characters (whole lines
        unless a line is longer than CHUNK); False at the end of the stream."""
        if self.pos:
            self.line_start -= self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        pieces: list[str] = []
        added = 0
        while added < at_least:
            piece = self.stream.readline(CHUNK)
            if not piece:
                self.eof = True
                break
            pieces.append(piece)
            added += len(piece)
        if pieces:
            self.buf += "".join(pieces)
        self.marked = has_marks(self.buf)
        return added > 0

    def _advance(self, to: int) -> None:
        lines = self.buf.count("\n", self.pos, to)
        if lines:
            self.line += lines
            self.line_start = self.buf.rfind("\n", self.pos, to) + 1
        self.pos = to

    def _col(self, at: int) -> int:
        """Column of ``at`` (at or after ``pos``), looking back no further than ``pos``:
        a long one-line array must not be rescanned for every element."""
        newline = self.buf.rfind("\n", self.pos, at)
        return at - newline - 1 if newline >= 0 else at - self.line_start

    def _to_next_value(self) -> bool:
        """Skip blanks and array punctuation; False when the stream has no more values."""
        while True:
            self._advance(_SPACE.match(self.buf, self.pos).end())  # type: ignore[union-attr]
            if self.pos == len(self.buf):
                if self.eof or not self._read(1):
                    return False
                continue
            char = self.buf[self.pos]
            if char == ",":  # between elements, or objects listed with commas but no brackets
                self._advance(self.pos + 1)
            elif self.in_array and char == "]":
                self.in_array = False
                self._advance(self.pos + 1)
            elif not self.in_array and char == "[" and self.arrays_open:
                self.in_array = True
                self._advance(self.pos + 1)
            else:
                return True

    # -- parsing -------------------------------------------------------------------
    def _value(self) -> JsonItem:
        start_line, start_col = self.line, self._col(self.pos)
        if not self.in_array:
            self.arrays_open = False
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:
                return self._fail(start_line, start_col, reasons.INVALID_JSON, "nested too deeply to read")
            except json.JSONDecodeError as e:
                if not self._needs_more(e):
                    return self._fail(start_line, start_col, *self._syntax_error(e), error_at=e.pos)
            except ValueError as e:  # an integer of more than 4300 digits
                return self._fail(start_line, start_col, reasons.INVALID_JSON, str(e).split(";")[0])
            else:
                if end < len(self.buf) or self.eof:  # a number at the end of the buffer may go on
                    return self._parsed(start_line, value, end)
            if len(self.buf) - self.pos > self.max_value_chars:
                detail = f"a JSON value longer than {self.max_value_chars:,} characters (16 x source.max_chars)"
                return self._fail(start_line, start_col, reasons.TOO_LARGE, detail)
            self._read(max(len(self.buf) - self.pos, _FIRST_READ))

    def _parsed(self, start_line: int, value: Any, end: int) -> JsonItem:
        span = self.buf[self.pos : end] if self.marked else ""
        self._advance(end)
        if span and has_marks(span):
            return JsonItem(start_line, error=reasons.BAD_ENCODING, detail=marked_detail(span, self.encoding))
        return JsonItem(start_line, value)

    def _needs_more(self, err: json.JSONDecodeError) -> bool:
        """Whether the value may just go on past the buffer (else the error is real)."""
        if self.eof:
            return False
        if self.buf.endswith("\n"):  # whole lines: no token is cut, only the value
            return err.msg.startswith("Expecting") and err.pos >= len(self.buf.rstrip())
        return err.msg.startswith("Unterminated string") or err.pos >= len(self.buf) - _LITERAL_TAIL

    def _syntax_error(self, err: json.JSONDecodeError) -> tuple[str, str]:
        """The reject reason and detail for a value that does not parse."""
        text = self.buf[self.pos : err.pos + 1]
        if has_marks(text):
            return reasons.BAD_ENCODING, marked_detail(text, self.encoding)
        line = self.line + self.buf.count("\n", self.pos, err.pos)
        problem = f"{err.msg.removesuffix(' at')} at line {line} column {self._col(err.pos) + 1}"
        cut = err.msg.startswith("Unterminated string") or err.pos >= len(self.buf.rstrip())
        if self.eof and cut:
            return reasons.INVALID_JSON, f"the file ends inside this JSON value ({problem})"
        return reasons.INVALID_JSON, problem

    # -- resuming after a bad value ------------------------------------------------
    def _fail(self, start_line: int, start_col: int, reason: str, detail: str, error_at: int = -1) -> JsonItem:
        """A reject for the value starting here; reading resumes at the next line that can
        start a value at ``start_col`` or less."""
        if self.in_array and error_at >= 0:
            end = self.buf.find("\n", error_at)
            if "{" in self.buf[error_at + 1 : end if end >= 0 else len(self.buf)]:
                error_line = self.line + self.buf.count("\n", self.pos, error_at)
                detail += f"; the rest of line {error_line} skipped"
        newline = self.buf.find("\n", self.pos)
        first = self.buf[self.pos : newline if newline >= 0 else len(self.buf)].strip()
        one_line_values = start_col == 0 and not self.in_array and first not in ("{", "[")
        self._skip_line()
        # JSON Lines (the broken value began a line with more than its bracket): the next
        # line is the next record, whatever it holds; else skip the broken object's lines.
        while not one_line_values and self._line_head() and not self._starts_value(start_col):
            self._skip_line()
        last = self.line - 1
        if last > start_line:
            detail += f"; lines {start_line}-{last} skipped"
        return JsonItem(start_line, error=reason, detail=detail)

    def _skip_line(self) -> None:
        """Move past the end of the current line, reading (and dropping) as needed."""
        while True:
            newline = self.buf.find("\n", self.pos)
            if newline >= 0:
                self._advance(newline + 1)
                return
            self.pos = len(self.buf)
            if self.eof or not self._read(1):
                return

    def _line_head(self) -> bool:
        """Make sure the line at ``pos`` is buffered up to its first non-blank character."""
        while True:
            head = _INDENT.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if head < len(self.buf) or self.eof:
                return self.pos < len(self.buf)
            if not self._read(1):
                return self.pos < len(self.buf)

    def _starts_value(self, max_col: int) -> bool:
        head = _INDENT.match(self.buf, self.pos).end()  # type: ignore[union-attr]
        return head < len(self.buf) and self.buf[head] in "{[]" and head - self.pos <= max_col
