"""The reference segmenter: NLTK's own Punkt, which ``builder.text.segment`` must match.

The builder segments with ``builder.text.punkt_fast``; this module keeps the NLTK
path it replaced, for the differential test and the benchmark only. It is the one
place in ``builder/`` that imports NLTK for segmentation, and its NLTK is pinned
(``nltk==3.10.4`` in pyproject.toml) so "identical to Punkt" names one Punkt.

Punkt's patterns are compiled with the standard ``re`` here: since 3.10 NLTK runs
them through ``nltk.redos``, which abandons a match after a wall-clock timeout, so a
long paragraph could fail on a busy machine and pass on an idle one.
``NewsLanguageVars`` (word tokens, sentence-end contexts, boundary realignment) and
``NewsToken`` (token types) cover every pattern ``span_tokenize`` uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer, PunktToken

from builder.text.boilerplate import tag_line
from builder.text.punkt_fast import CLOSERS
from builder.text.segment import (
    Segmenter,
    Sentence,
    _LineTags,
    _script_pieces,
    _skip_space,
    _trim,
    _window_end,
    punkt_types,
)


class NewsLanguageVars(PunktLanguageVars):
    """Punkt's language variables with every pattern compiled by the standard ``re``.

    Curly quotes, guillemets and CJK closing brackets close a sentence like straight
    quotes: ``He said “no.” Then`` ends after the quote.
    """

    re_boundary_realignment = re.compile(rf"[{re.escape(CLOSERS)}]+?(?:\s+|(?=--)|$)", re.MULTILINE)

    def __init__(self) -> None:
        fields = {"NonWord": self._re_non_word_chars, "MultiChar": self._re_multi_char_punct}
        flags = re.UNICODE | re.VERBOSE
        self._word_re = re.compile(self._word_tokenize_fmt % {**fields, "WordStart": self._re_word_start}, flags)
        self._period_re = re.compile(
            self._period_context_fmt % {"NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars},
            flags,
        )

    @property
    def _re_non_word_chars(self) -> str:
        others = re.escape("".join(sorted(set(self.sent_end_chars) - {"."})))
        return rf"(?:[)\";}}\]\*:@\'\({{\[{re.escape(CLOSERS)}{others}])"

    def _word_tokenizer_re(self) -> re.Pattern[str]:
        return self._word_re

    def period_context_re(self) -> re.Pattern[str]:
        return self._period_re


class NewsToken(PunktToken):
    """Punkt's token with its type patterns compiled by the standard ``re``."""

    __slots__ = ()

    _RE_ELLIPSIS = re.compile(r"\.\.+$")
    _RE_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
    _RE_INITIAL = re.compile(r"[^\W\d]\.$", re.UNICODE)
    _RE_ALPHA = re.compile(r"[^\W\d]+$", re.UNICODE)
    _RE_NON_PUNCT = re.compile(r"[^\W\d]", re.UNICODE)

    @property
    def is_non_punct(self) -> re.Match[str] | None:
        return self._RE_NON_PUNCT.search(self.type)


@lru_cache(maxsize=8)
def reference_tokenizer(extra_abbreviations: tuple[str, ...] = ()) -> PunktSentenceTokenizer:
    """NLTK's Punkt with the builder's parameters."""
    params = PunktParameters()
    params.abbrev_types, params.sent_starters = (set(t) for t in punkt_types(extra_abbreviations))
    return PunktSentenceTokenizer(params, lang_vars=NewsLanguageVars(), token_cls=NewsToken)


class ReferenceSegmenter(Segmenter):
    """``Segmenter`` as it was before ``punkt_fast``: NLTK's Punkt on a copy of each
    window, every sentence's tag from ``tag_line`` unless its whole line is tagged."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.punkt = reference_tokenizer(self.extra_abbreviations)

    def split(self, text: str) -> list[Sentence]:
        out: list[Sentence] = []
        for p, (ps, pe) in enumerate(self.paragraphs(text)):
            para = text[ps:pe]
            tags = _LineTags(para)
            for s, e in self.spans(para):
                out.append(Sentence(ps + s, ps + e, p, tags.tag_for(s, e) or tag_line(para[s:e])))
        return out

    def spans(self, para: str) -> Iterator[tuple[int, int]]:
        for start, end in _script_pieces(para):
            for s, e in self._punkt_spans(para, start, end):
                s, e = _trim(para, s, e)
                if s < e:
                    yield s, e

    def _punkt_spans(self, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
        pos = _skip_space(text, start, end)
        while pos < end:
            final = end - pos <= self.max_chars
            stop = end if final else _window_end(text, pos, pos + self.max_chars)
            spans = [(pos + s, pos + e) for s, e in self.punkt.span_tokenize(text[pos:stop])]
            if final or len(spans) < 2:
                yield from spans
                pos = _skip_space(text, stop, end)
            else:  # the last sentence may go on past the window: it starts the next one
                yield from spans[:-1]
                pos = _skip_space(text, spans[-1][0], end)
