"""Word-bigram counts of clean English: what reads naturally next to what.

Machine translation is fluent and wrong: it picks another word, adds or drops one, and
the sentence still reads. The word operations ask this table before they act: an
inserted, substituted or dropped word must leave word pairs that clean English has
(``fits``), and among the choices that do, the likelier ones in context win
(``weight``, ``likelihood``). A pair whose neighbour the table has never seen (a name, a rare word) is
no worse than the clean text's own pair there, so it does not count against a choice.

The table is fixed for a build: the one shipped with the package (``en``: the
post-edited side of MLQE-PE, CC0, built by ``python -m builder.app.bigrams_cli``) or a
file the user gives (``noise.bigrams=<path>``). It is never learned from the documents
being garbled, so a document garbles the same way alone or in any batch.

File format: UTF-8 text, gzip-compressed or not, ``#`` comment lines first, then one
``first<TAB>second<TAB>count`` row per distinct pair of ``builder.text.wordpairs``
words; ``<s>`` and ``</s>`` stand for a sentence's start and end.
"""

from __future__ import annotations

import gzip
import io
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, cached_property
from pathlib import Path

from builder.core.resources import RESOURCES_DIR, ResourceError
from builder.text.wordpairs import sentence_words

START, END = "<s>", "</s>"
#: The shipped table's name, and the value that turns the check off.
SHIPPED, OFF = "en", "none"
SHIPPED_PATH = RESOURCES_DIR / "noise" / "bigrams_en.tsv.gz"
#: A word seen this often is common: a pair of two common words seen once is doubtful.
COMMON = 50


class Bigrams:
    """Counts of word pairs and of words (as the first of a pair)."""

    def __init__(self, pairs: dict[tuple[str, str], int]) -> None:
        self.pairs = pairs
        words: Counter[str] = Counter()
        for (a, b), n in pairs.items():
            words[a] += n
            if b == END:
                continue
            words.setdefault(b, 0)
        self.words = dict(words)

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_count: int = 1) -> Bigrams:
        counts: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for words in sentence_words(text):
                seq = [START, *words, END]
                counts.update(itertools.pairwise(seq))
        return cls({k: n for k, n in counts.items() if n >= min_count})

    def __len__(self) -> int:
        return len(self.pairs)

    @cached_property
    def followers(self) -> dict[str, frozenset[str]]:
        """Per word, the words the table has after it."""
        return _grouped(self.pairs)

    @cached_property
    def leaders(self) -> dict[str, frozenset[str]]:
        """Per word, the words the table has before it."""
        return _grouped((b, a) for a, b in self.pairs)

    def count(self, a: str, b: str) -> int:
        return self.pairs.get((a, b), 0)

    def known(self, word: str) -> bool:
        return word in self.words or word in (START, END)

    def pair_fits(self, a: str, b: str) -> bool:
        """Whether ``a b`` reads as clean English: the table has it (twice, when both are
        common words: once may be a slip of the source, as "the the" is), or one of the
        two is a word the table never saw (then no pair of it could be judged). A word
        never fits beside itself: a repeat reads as an echo, not as a choice."""
        if a == b:
            return False
        n = self.pairs.get((a, b), 0)
        if n >= 2:
            return True
        if n == 1:
            return min(self.words.get(a, 0), self.words.get(b, 0)) < COMMON
        return not (self.known(a) and self.known(b))

    def fits(self, words: Sequence[str]) -> bool:
        """Whether every neighbouring pair of ``words`` (lower case) fits."""
        return all(self.pair_fits(a, b) for a, b in itertools.pairwise(words))

    def likelihood(self, words: Sequence[str]) -> float:
        """P(w2 | w1) P(w3 | w2) ... of the run ``words`` under add-one counts: comparable
        between runs with the same first and last word (what is there against a choice)."""
        vocabulary = len(self.words) + 1.0
        out = 1.0
        for a, b in itertools.pairwise(words):
            out *= (self.count(a, b) + 1.0) / (self.words.get(a, 0) + vocabulary)
        return out

    def weight(self, before: str, word: str, after: str) -> float:
        """How likely ``word`` is between ``before`` and ``after``, up to a constant:
        P(word | before) P(after | word) under add-one counts."""
        n = self.words.get(word, 0) + 1.0
        return (self.count(before, word) + 1.0) * (self.count(word, after) + 1.0) / n

    def save(self, path: str | Path, header: Sequence[str] = ()) -> None:
        rows = sorted(self.pairs.items())
        # no time and no file name in the gzip header: the same counts give the same bytes
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as packed,
            io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as fh,
        ):
            fh.writelines(f"# {line}\n" for line in header)
            fh.writelines(f"{a}\t{b}\t{n}\n" for (a, b), n in rows)

    @classmethod
    def read(cls, path: str | Path) -> Bigrams:
        pairs: dict[tuple[str, str], int] = {}
        try:
            with open(path, "rb") as probe:
                packed = probe.read(2) == b"\x1f\x8b"  # a plain-text table reads too
            opener = gzip.open if packed else open
            with opener(path, "rt", encoding="utf-8") as fh:
                for number, line in enumerate(fh, start=1):
                    if line.startswith("#") or not line.strip():
                        continue
                    fields = line.rstrip("\n").split("\t")
                    if len(fields) != 3 or not fields[2].isdigit():
                        raise ResourceError(f"{path}:{number}: expected first<TAB>second<TAB>count")
                    pairs[(fields[0], fields[1])] = int(fields[2])
        except (OSError, EOFError, UnicodeDecodeError) as e:
            raise ResourceError(f"{path}: cannot read a bigram table: {e}") from None
        return cls(pairs)


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Pairs (key, value) as key -> the values it has."""
    out: dict[str, set[str]] = {}
    for key, value in pairs:
        out.setdefault(key, set()).add(value)
    return {key: frozenset(values) for key, values in out.items()}


@cache
def load(name: str) -> Bigrams | None:
    """The table a recipe names: ``en`` (shipped), ``none`` (no check) or a file path."""
    if name == OFF:
        return None
    return Bigrams.read(SHIPPED_PATH if name == SHIPPED else Path(name).expanduser())
