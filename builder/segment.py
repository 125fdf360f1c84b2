"""Sentence segmentation of news text with NLTK's Punkt, offline and pickle-free.

Punkt's parameters come from ``resources/punkt_en`` (lists written for this
project), so nothing is downloaded or unpickled. Segmentation is paragraph-aware:
a sentence never crosses a paragraph break, which keeps captions and credits
(lines without a final period) from swallowing the next paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from builder.boilerplate import tag_line
from builder.paths import RESOURCES_DIR

_CLOSERS = "\"')\\]}\u2018\u2019\u201c\u201d\u00ab\u00bb"


class NewsLanguageVars(PunktLanguageVars):
    """Curly quotes and guillemets close a sentence like straight ones, in every NLTK
    version: ``He said “no.” Then`` ends after the closing quote."""

    re_boundary_realignment = re.compile(rf"[{_CLOSERS}]+?(?:\s+|(?=--)|$)", re.MULTILINE)

    @property
    def _re_non_word_chars(self) -> str:
        others = re.escape("".join(set(self.sent_end_chars) - {"."}))
        return rf"(?:[)\";}}\]\*:@\'\({{\[\u2018\u2019\u201c\u201d\u00ab\u00bb{others}])"


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    tag: str  # boilerplate category of its line, "" for story text


def _word_list(name: str) -> set[str]:
    path = RESOURCES_DIR / "punkt_en" / name
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return words


@lru_cache(maxsize=8)
def _tokenizer(extra_abbreviations: tuple[str, ...]) -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = _word_list("abbreviations.txt") | {a.lower().rstrip(".") for a in extra_abbreviations}
    params.sent_starters = _word_list("sentence_starters.txt")
    return PunktSentenceTokenizer(params, lang_vars=NewsLanguageVars())


_PARAGRAPH_SPLIT = {"line": re.compile(r"\n"), "blank": re.compile(r"\n[ \t]*\n")}


class Segmenter:
    def __init__(self, paragraphs: str = "line", extra_abbreviations: Iterable[str] = ()) -> None:
        self.paragraph_split = _PARAGRAPH_SPLIT[paragraphs]
        self.punkt = _tokenizer(tuple(sorted(extra_abbreviations)))

    def paragraphs(self, text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for m in self.paragraph_split.finditer(text):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(text)))
        return [(s, e) for s, e in spans if text[s:e].strip()]

    def split(self, text: str) -> list[Sentence]:
        out: list[Sentence] = []
        for p, (ps, pe) in enumerate(self.paragraphs(text)):
            para = text[ps:pe]
            line_tags = _line_tags(para)
            for s, e in self.punkt.span_tokenize(para):
                while s < e and para[s].isspace():
                    s += 1
                while e > s and para[e - 1].isspace():
                    e -= 1
                if s < e:
                    tag = _tag_for(line_tags, s, e) or tag_line(para[s:e])
                    out.append(Sentence(ps + s, ps + e, p, tag))
        return out

    def sentences(self, text: str) -> list[str]:
        return [text[s.start : s.end] for s in self.split(text)]


def _line_tags(para: str) -> list[tuple[int, int, str]]:
    tags, pos = [], 0
    for line in para.split("\n"):
        tag = tag_line(line)
        if tag:
            tags.append((pos, pos + len(line), tag))
        pos += len(line) + 1
    return tags


def _tag_for(line_tags: list[tuple[int, int, str]], s: int, e: int) -> str:
    for ls, le, tag in line_tags:
        if ls <= s and e <= le:
            return tag
    return ""
