"""Aligning two texts (or two lists of sentences): what ``builder.align(...)``, the API's
``align`` and ``python -m builder.align`` call.

A text is normalised and cut into sentences as the build cuts it; the sentences are
aligned a bounded window at a time (``windows``), so a long document needs no more
memory than a short one. NLTK and the aligner's numeric stack are imported on the
first call, not with this module.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["AlignedGroup", "align", "iter_align", "split_sentences"]


@dataclass
class AlignedGroup:
    """Garbled sentences matched to clean ones: 1-1, a split (2-1: two garbled sentences
    for one clean one), a merge (1-2), or a sentence on one side only (1-0, 0-1, score 0).
    ``score`` is calibrated: about the probability that the group is right."""

    garbled_idx: list[int]
    clean_idx: list[int]
    garbled: list[str]
    clean: list[str]
    score: float

    @property
    def kind(self) -> str:
        return f"{len(self.garbled_idx)}-{len(self.clean_idx)}"


def split_sentences(text: str, *, lines: bool = False) -> list[str]:
    """The sentences ``align`` sees in a text: it is normalised (line ends, spaces,
    invisible characters: ``builder.text.normalize``) and cut by the build's Punkt
    segmenter, or with ``lines=True`` taken a line a sentence (a line over 10,000
    characters cut at whitespace: the aligner holds no longer sentence)."""
    from builder.text.normalize import normalize_text
    from builder.text.segment import Segmenter, bounded_pieces

    text = normalize_text(text)
    segmenter = Segmenter()  # cheap: Punkt's tables are loaded once per process
    if not lines:
        return segmenter.sentences(text)
    return [line[s:e] for line in text.split("\n") for s, e in bounded_pieces(line, segmenter.max_chars)]


def align(
    garbled: str | Sequence[str],
    clean: str | Sequence[str],
    *,
    lines: bool = False,
    threshold: float | None = None,
    max_group: int = 2,
) -> list[AlignedGroup]:
    """The sentence alignment of a garbled text against its clean reference, in order.

    Each side is a text (cut by ``split_sentences``) or a list of its sentences, used as
    given. ``threshold``: the coverage a group needs (None: measured per document);
    ``max_group``: 2 allows 1-2 and 2-1 groups, 3 also 1-3 and 3-1.
    """
    return list(iter_align(garbled, clean, lines=lines, threshold=threshold, max_group=max_group))


def iter_align(
    garbled: str | Sequence[str],
    clean: str | Sequence[str],
    *,
    lines: bool = False,
    threshold: float | None = None,
    max_group: int = 2,
) -> Iterator[AlignedGroup]:
    """``align``'s groups as each is decided (``python -m builder.align`` prints them so)."""
    if max_group not in (2, 3):
        raise ValueError(f"max_group={max_group!r}: 2 or 3")
    g_sents = _side(garbled, lines, "garbled")
    c_sents = _side(clean, lines, "clean")
    from builder.align.aligner import Aligner, AlignerParams
    from builder.align.windows import iter_windows

    aligner = Aligner(AlignerParams(threshold=threshold, max_group=max_group))
    for g in iter_windows(aligner, g_sents, c_sents):
        yield AlignedGroup(
            list(g.garbled), list(g.clean), [g_sents[i] for i in g.garbled], [c_sents[j] for j in g.clean], g.score
        )


def _side(side: str | Sequence[str], lines: bool, name: str) -> list[str]:
    if isinstance(side, str):
        return split_sentences(side, lines=lines)
    out = list(side)
    if not all(isinstance(s, str) for s in out):
        raise TypeError(f"align(): {name} must be a text or a sequence of sentences (str)")
    return out
