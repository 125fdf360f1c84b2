"""Real garbled/clean pairs in, categorised edits per pair out.

A pair may be one sentence or a whole document. Both sides are cut into sentences and,
when either has more than one, aligned with ``builder.align.Aligner``: the alignment's
2-1, 1-2, 0-1 and 1-0 groups are the sentence-structure categories (split, merge,
drop, insert), and the words and characters are compared inside each group, so a
sentence moved or dropped is not counted as dozens of word edits.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz

from builder.align import Aligner
from builder.metrics import cer, wer
from builder.normalize import normalize_text
from builder.profile.categorize import Observation, categorize, count_words
from builder.segment import Segmenter

#: Sentence-structure categories, counted per clean sentence.
SENTENCE_CATEGORIES = ("split_sentence", "merge_sentence", "drop_sentence", "insert_caption")
#: Alignment group (garbled-clean sentences) -> the structural edit it shows.
_GROUP_CATEGORY = {"2-1": "split_sentence", "1-2": "merge_sentence", "0-1": "drop_sentence", "1-0": "insert_caption"}


class PairsError(ValueError):
    """Pairs that cannot be read: the message says which line and why, in one line."""


@dataclass
class PairStats:
    """What one pair shows: edit counts and the sizes they are rates of."""

    words: int  # clean words
    sentences: int  # clean sentences
    observations: list[Observation] = field(default_factory=list)
    groups: Counter = field(default_factory=Counter)  # alignment group kinds
    cer: float = 0.0
    wer: float = 0.0
    length_ratio: float = 1.0  # garbled characters / clean characters
    identical: bool = False

    @cached_property
    def counts(self) -> Counter:
        return Counter(o.category for o in self.observations)


class PairMeasurer:
    """Segments, aligns and categorises pairs; one instance serves many pairs."""

    def __init__(self, aligner: Aligner | None = None, segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter or Segmenter()
        self._aligner = aligner

    @property
    def aligner(self) -> Aligner:
        if self._aligner is None:
            self._aligner = Aligner()
        return self._aligner

    def groups(self, clean: str, garbled: str) -> tuple[list[tuple[list[str], list[str]]], int]:
        """(garbled sentences, clean sentences) per alignment group, and the clean sentence count."""
        cs = self.segmenter.sentences(clean) if clean.strip() else []
        gs = self.segmenter.sentences(garbled) if garbled.strip() else []
        if len(cs) <= 1 and len(gs) <= 1:
            return [(gs, cs)], len(cs)
        return [([gs[i] for i in g.garbled], [cs[j] for j in g.clean]) for g in self.aligner.align(gs, cs)], len(cs)

    def measure(self, clean: str, garbled: str) -> PairStats:
        stats = PairStats(
            words=count_words(clean),
            sentences=0,
            cer=cer(garbled, clean),
            wer=wer(garbled, clean),
            length_ratio=len(garbled) / max(1, len(clean)),
            identical=clean == garbled,
        )
        if stats.identical:
            stats.sentences = len(self.segmenter.sentences(clean)) if clean.strip() else 0
            return stats
        groups, stats.sentences = self.groups(clean, garbled)
        for g_sents, c_sents in groups:
            kind = f"{len(g_sents)}-{len(c_sents)}"
            stats.groups[kind] += 1
            category = _GROUP_CATEGORY.get(kind)
            if category in ("drop_sentence", "insert_caption") and _still_there(
                " ".join(c_sents or g_sents), garbled if c_sents else clean
            ):
                continue  # left unaligned, but its text is on the other side: not dropped or added
            if category:
                stats.observations.append(Observation(category, " ".join(c_sents), " ".join(g_sents)))
            if g_sents and c_sents:
                stats.observations += categorize(" ".join(c_sents), " ".join(g_sents))
        return stats


def sentence_pairs(clean: str, garbled: str, measurer: PairMeasurer | None = None) -> list[tuple[str, str]]:
    """A document pair cut into its aligned sentence groups, as (clean, garbled) pairs;
    a dropped or inserted sentence is a pair with one side empty."""
    groups, _ = (measurer or PairMeasurer()).groups(clean, garbled)
    return [(" ".join(cs), " ".join(gs)) for gs, cs in groups]


def _still_there(sentence: str, other_side: str) -> bool:
    """The sentence's text is (nearly) all in the other side's text: the aligner left it
    out of a group (segmentation broke differently), but nothing was dropped or added."""
    if len(sentence) < 4:
        return True
    return fuzz.partial_ratio(sentence.lower(), other_side.lower()) >= 80


# -- reading pairs -----------------------------------------------------------------------


def detokenizer() -> Callable[[str], str]:
    """Moses detokenisation (for MLQE-PE style ``1918 , and`` text), via sacremoses."""
    try:
        from sacremoses import MosesDetokenizer
    except ImportError:
        raise PairsError("--detokenize needs sacremoses: pip install sacremoses") from None
    detok = MosesDetokenizer(lang="en")
    return lambda text: detok.detokenize(text.split())


def read_pairs(
    path: str | Path,
    garbled_field: str = "noisy",
    clean_field: str = "clean",
    detokenize: bool = False,
    split_lines: bool = False,
    limit: int | None = None,
) -> Iterator[tuple[str, str, str]]:
    """(pair id, clean, garbled) from a JSONL file, Unicode- and whitespace-normalised.

    ``split_lines``: the two sides are line-aligned (line n of one is line n of the
    other, as in the ICDAR post-OCR sets): each line pair is a pair of its own.
    """
    detok = detokenizer() if detokenize else None
    path = Path(path)
    if not path.is_file():
        raise PairsError(f"{path}: no such file")
    n = 0
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise PairsError(f"{path}:{number}: not JSON ({e.msg})") from None
            missing = [f for f in (garbled_field, clean_field) if not isinstance(row.get(f), str)]
            if missing:
                raise PairsError(f"{path}:{number}: no text field {missing[0]!r} (fields: {', '.join(row)})")
            pair_id = str(row.get("id", number))
            garbled, clean = row[garbled_field], row[clean_field]
            if split_lines:
                g_lines, c_lines = garbled.split("\n"), clean.split("\n")
                if len(g_lines) != len(c_lines):
                    raise PairsError(f"{path}:{number}: {len(g_lines)} garbled lines but {len(c_lines)} clean lines")
                items = [(f"{pair_id}/{k}", c, g) for k, (g, c) in enumerate(zip(g_lines, c_lines, strict=True))]
            else:
                items = [(pair_id, clean, garbled)]
            for item_id, c, g in items:
                if detok is not None:
                    c, g = detok(c), detok(g)
                c, g = normalize_text(c), normalize_text(g)
                if c and g:
                    yield item_id, c, g
                    n += 1
                    if limit is not None and n >= limit:
                        return


def read_text_pair(garbled: str | Path, clean: str | Path, detokenize: bool = False) -> Iterator[tuple[str, str, str]]:
    """One document pair from two text files, as ``read_pairs`` yields it."""
    texts = []
    for path in (Path(clean), Path(garbled)):
        if not path.is_file():
            raise PairsError(f"{path}: no such file")
        texts.append(path.read_text(encoding="utf-8"))
    if detokenize:
        detok = detokenizer()
        texts = ["\n".join(detok(line) for line in t.split("\n")) for t in texts]
    c, g = (normalize_text(t) for t in texts)
    if c and g:
        yield Path(garbled).stem, c, g


def halves(ids: Sequence[str], salt: str = "half") -> tuple[list[int], list[int]]:
    """A deterministic split of items into two halves by a hash of their ids (not order)."""
    from builder.seeding import unit_interval

    keyed = sorted(range(len(ids)), key=lambda k: (unit_interval(salt, ids[k]), k))
    mid = len(keyed) // 2
    return sorted(keyed[:mid]), sorted(keyed[mid:])
