"""Numbers as written: the tokens ``noise.protect_numbers`` keeps and the benchmark counts.

A number token is a run of word characters holding a digit, with the separators that sit
between digits (``3.5``, ``140,000``, ``12:30``, ``1/2``), a currency sign right before
it and a percent sign right after it: ``$18.90``, ``16%``, ``2024``, ``1st``, ``1990s``,
``G7``. A full stop or comma after the last digit is the sentence's, not the number's
(``in 2024.`` holds ``2024``). A hyphen ends a token (``COVID-19`` holds ``19``), so a
range such as ``2010-2014`` is two tokens.

One definition serves the noise operations (which keep these characters as they are) and
``benchmarks/numbers.py`` (which measures how often real garbling changes them), so what
is protected is what was measured.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

#: A token starts where a word starts (the look-behind keeps the search linear: one try
#: per word, not one per character of a long word).
NUMBER_RE = re.compile(r"(?:[$€£¥](?=\d))?(?<!\w)\w*\d(?:\w|[.,:/]\d)*%?")


def number_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every number token of ``text``, in order."""
    for m in NUMBER_RE.finditer(text):
        yield m.span()


def number_tokens(text: str) -> list[str]:
    """The number tokens of ``text`` as written, in order."""
    return NUMBER_RE.findall(text)


def kept_numbers(clean: str, garbled: str) -> tuple[int, int]:
    """(number tokens of ``clean``, how many of them ``garbled`` holds verbatim), each token
    of ``garbled`` matching at most one of ``clean`` (a multiset intersection)."""
    want = Counter(number_tokens(clean))
    have = Counter(number_tokens(garbled))
    return sum(want.values()), sum((want & have).values())
