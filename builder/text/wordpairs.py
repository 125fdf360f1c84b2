"""Words as the fluency tables and the fluency measure see them.

Case-folded ``\\w+`` runs (an apostrophe inside a word kept: "don't", "Russia's"), cut
into sentences at . ! ? ; so that no word pair spans a sentence end. The garbling's
bigram tables (``builder.noise.bigrams``) and the realism report's fluency measure
(``builder.profile.fluency``) both count pairs of these words, so a table built here
answers exactly the question the measure asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

WORD = re.compile(r"\w+(?:['’]\w+)*")
SENTENCE_END = re.compile(r"[.!?;]+(?:\s|$)")


def sentence_words(text: str) -> Iterator[list[str]]:
    """The case-folded words of each sentence of ``text``."""
    for sentence in SENTENCE_END.split(text.casefold()):
        words = WORD.findall(sentence)
        if words:
            yield words
