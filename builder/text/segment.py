"""Sentence segmentation of news text: Punkt's sentences, offline, pickle-free and
deterministic, without NLTK.

Punkt's parameters come from ``resources/punkt_en`` (lists written for this
project), so nothing is downloaded or unpickled. Segmentation is paragraph-aware:
a sentence never crosses a paragraph break, which keeps captions and credits
(lines without a final period) from swallowing the next paragraph.

The boundaries are those of NLTK 3.10.4's Punkt with these parameters, computed by
``punkt_fast`` only where a boundary is possible; ``punkt_reference`` keeps the NLTK
path for the differential test (``tests/text/test_segment_differential.py``) and the
benchmark (``benchmarks/segment.py``). Same bytes on every run, whatever the load on
the machine: nothing runs under a wall-clock timeout (NLTK 3.10's ``nltk.redos``),
every pattern is the standard ``re``'s, and the work of one Punkt pass is bounded by
length (``MAX_PUNKT_CHARS``).

Other scripts' sentence ends (。！？．｡ । ॥ ؟ ۔ ։ ።) end a sentence even with no
space after them, together with the closing quotes and brackets that follow them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from builder.core.resources import read_words
from builder.text.boilerplate import searched_rules_may_match, tag_line, tag_parts
from builder.text.punkt_fast import CLOSERS, FastPunkt

#: Punkt never sees more than this many characters at once. A longer paragraph is
#: segmented in windows that end at whitespace; each window's last (possibly
#: unfinished) sentence is segmented again as the start of the next window, so the
#: sentences are those of one Punkt pass over the whole paragraph. Only a sentence
#: longer than this is cut, at its last whitespace before the limit (or, with no
#: whitespace at all, at the limit itself).
MAX_PUNKT_CHARS = 10_000

#: Sentence ends of other scripts that need no space after them: CJK (。！？ and
#: the halfwidth ｡), Devanagari danda and double danda, Arabic question mark, Urdu
#: full stop, Armenian full stop, Ethiopic full stop.
_SCRIPT_ENDS = "\u3002\uff01\uff1f\uff61\u0964\u0965\u061f\u06d4\u0589\u1362"
#: ... and the fullwidth full stop ．, unless a digit follows (３．５ is a number).
_SCRIPT_CHAR = re.compile(f"[{_SCRIPT_ENDS}\uff0e]")
_SCRIPT_END = re.compile(rf"(?:[{_SCRIPT_ENDS}]|\uff0e(?![0-9\uff10-\uff19]))+[{re.escape(CLOSERS)}]*")


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    tag: str  # boilerplate category of its line, "" for story text


def _word_list(name: str) -> set[str]:
    return {w.lower() for w in read_words(name)}


def punkt_types(extra_abbreviations: tuple[str, ...] = ()) -> tuple[frozenset[str], frozenset[str]]:
    """Punkt's abbreviation types (ours and the config's) and sentence starters."""
    extra = {a.lower().rstrip(".") for a in extra_abbreviations}
    abbreviations = _word_list("punkt_en/abbreviations.txt") | extra
    return frozenset(abbreviations), frozenset(_word_list("punkt_en/sentence_starters.txt"))


@lru_cache(maxsize=8)
def _tokenizer(extra_abbreviations: tuple[str, ...]) -> FastPunkt:
    return FastPunkt(*punkt_types(extra_abbreviations))


_PARAGRAPH_SPLIT = {"line": re.compile(r"\n"), "blank": re.compile(r"\n[ \t]*\n")}


class Segmenter:
    def __init__(
        self, paragraphs: str = "line", extra_abbreviations: Iterable[str] = (), max_chars: int = MAX_PUNKT_CHARS
    ) -> None:
        self.paragraph_split = _PARAGRAPH_SPLIT[paragraphs]
        self.line_mode = paragraphs == "line"
        self.extra_abbreviations = tuple(sorted(extra_abbreviations))
        self.punkt = _tokenizer(self.extra_abbreviations)
        self.max_chars = max_chars

    def paragraphs(self, text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for m in self.paragraph_split.finditer(text):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(text)))
        return [(s, e) for s, e in spans if text[s:e].strip()]

    def split(self, text: str) -> list[Sentence]:
        """Sentences with offsets into ``text``; between two of them there is only
        whitespace, so the offsets rebuild the text."""
        if self.line_mode:
            return self._split_lines(text)
        out: list[Sentence] = []
        for p, (ps, pe) in enumerate(self.paragraphs(text)):
            para = text[ps:pe]
            tags = _LineTags(para)
            for s, e in self._spans(para, None):
                out.append(Sentence(ps + s, ps + e, p, tags.tag(para, s, e)))
        return out

    def _split_lines(self, text: str) -> list[Sentence]:
        """``split`` when every line is a paragraph: a sentence takes its line's tag,
        else its own, unless it is the whole (untagged) line. Punkt runs on each line
        in place (offsets into ``text``, no copy to shift back)."""
        out: list[Sentence] = []
        new = tuple.__new__  # Sentence(...) without the keyword handling: a third of the cost
        # a line never holds a newline: without tabs and the like, every window is plain
        plain = True if all(text.find(c) < 0 for c in "\t\r\x0b\x0c") else None
        p = pe = 0
        for line in text.split("\n"):
            ps = pe
            pe += len(line)
            if not line or line.isspace():
                pe += 1
                continue
            line_tag = tag_line(line)
            spans = self._spans(line, plain, text, ps)
            if line_tag:
                out += [new(Sentence, (s, e, p, line_tag)) for s, e in spans]
            elif len(spans) == 1 and spans[0] == _trim(text, ps, pe):
                # a sentence that is the whole line (stripped) has the line's tag, ""
                out.append(new(Sentence, (*spans[0], p, "")))
            else:
                tags = tag_parts(text, spans, searched_rules_may_match(line))
                out += [new(Sentence, (s, e, p, tag)) for (s, e), tag in zip(spans, tags, strict=True)]
            p += 1
            pe += 1
        return out

    def sentences(self, text: str) -> list[str]:
        return [text[s.start : s.end] for s in self.split(text)]

    def spans(self, para: str) -> list[tuple[int, int]]:
        """(start, end) of each sentence of one paragraph, without surrounding whitespace."""
        return self._spans(para, None)

    def _spans(self, para: str, plain: bool | None, text: str | None = None, start: int = 0) -> list[tuple[int, int]]:
        """``spans(para)``, in offsets into ``text`` when ``para`` is ``text[start:]``'s
        start (the usual paragraph is split there in place, without a copy)."""
        if self._one_window(para):
            where = para if text is None else text
            return self.punkt.span_tokenize(where, start, start + len(para), plain or para.isprintable() or None)
        return [(start + s, start + e) for s, e in self._pieces_spans(para)] if start else self._pieces_spans(para)

    def _one_window(self, para: str) -> bool:
        """The usual paragraph: one piece (no other script's sentence end), one window,
        nothing to strip at its start."""
        return (
            0 < len(para) <= self.max_chars
            and not para[0].isspace()
            and (para.isascii() or not _SCRIPT_CHAR.search(para))
        )

    def _pieces_spans(self, para: str) -> list[tuple[int, int]]:
        """``_spans`` of any paragraph: cut after other scripts' sentence ends, each
        piece in windows of at most ``max_chars``, each sentence stripped."""
        out: list[tuple[int, int]] = []
        for start, end in _script_pieces(para):
            for s, e in self._punkt_spans(para, start, end):
                if s < e and (para[s].isspace() or para[e - 1].isspace()):
                    s, e = _trim(para, s, e)
                if s < e:
                    out.append((s, e))
        return out

    def _punkt_spans(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Punkt's sentences of ``text[start:end]``, never more than ``max_chars`` at a time."""
        pos = _skip_space(text, start, end)
        if end - pos <= self.max_chars:  # one window
            return self.punkt.span_tokenize(text, pos, end) if pos < end else []
        out: list[tuple[int, int]] = []
        while pos < end:
            final = end - pos <= self.max_chars
            stop = end if final else _window_end(text, pos, pos + self.max_chars)
            spans = self.punkt.span_tokenize(text, pos, stop)
            if final or len(spans) < 2:
                out += spans
                pos = _skip_space(text, stop, end)
            else:  # the last sentence may go on past the window: it starts the next one
                out += spans[:-1]
                pos = _skip_space(text, spans[-1][0], end)
        return out


def _script_pieces(para: str) -> list[tuple[int, int]]:
    """``para`` cut after each sentence end of a script that needs no space after it."""
    if para.isascii() or not _SCRIPT_CHAR.search(para):  # the usual case, without the slower pattern
        return [(0, len(para))] if para else []
    pieces, pos = [], 0
    for m in _SCRIPT_END.finditer(para):
        pieces.append((pos, m.end()))
        pos = m.end()
    if pos < len(para):
        pieces.append((pos, len(para)))
    return pieces


def bounded_pieces(text: str, max_chars: int = MAX_PUNKT_CHARS) -> list[tuple[int, int]]:
    """(start, end) of pieces of ``text`` of at most ``max_chars`` characters, cut at
    whitespace where there is some, without surrounding whitespace: how a line given
    as one sentence is kept to a size the aligner can hold."""
    out, pos = [], _skip_space(text, 0, len(text))
    while pos < len(text):
        stop = len(text) if len(text) - pos <= max_chars else _window_end(text, pos, pos + max_chars)
        s, e = _trim(text, pos, stop)
        if s < e:
            out.append((s, e))
        pos = _skip_space(text, stop, len(text))
    return out


def _window_end(text: str, start: int, limit: int) -> int:
    """Where a window from ``start`` ends: at the last whitespace before ``limit``
    (so no word is cut), else at ``limit`` itself."""
    cut = limit - 1
    while cut > start and not text[cut].isspace():
        cut -= 1
    return cut if cut > start else limit


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


class _LineTags:
    """Boilerplate tags of the lines of one paragraph, looked up by offset."""

    def __init__(self, para: str) -> None:
        self.starts: list[int] = []
        self.lines: list[tuple[int, str]] = []  # (end, tag) of each tagged line
        self.untagged: set[tuple[int, int]] = set()  # (start, end) of each untagged line, stripped
        pos = 0
        for line in para.split("\n"):
            tag = tag_line(line)
            if tag:
                self.starts.append(pos)
                self.lines.append((pos + len(line), tag))
            else:
                s, e = _trim(line, 0, len(line))
                self.untagged.add((pos + s, pos + e))
            pos += len(line) + 1

    def tag_for(self, s: int, e: int) -> str:
        """The tag of the tagged line holding all of ``[s, e)``, or ""."""
        k = bisect.bisect_right(self.starts, s) - 1
        if k >= 0 and e <= self.lines[k][0]:
            return self.lines[k][1]
        return ""

    def tag(self, para: str, s: int, e: int) -> str:
        """The tag of sentence ``para[s:e]``: its line's, else its own. A sentence that
        is a whole untagged line (stripped) is not tagged again: ``tag_line`` strips,
        so it would say what it said of the line."""
        return self.tag_for(s, e) or ("" if (s, e) in self.untagged else tag_line(para[s:e]))
