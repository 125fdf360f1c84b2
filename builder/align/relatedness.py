"""Whether the two sides of a document belong together, from its alignment.

One number decides it, for the build and for pairing alike: the share of the sentences
of both sides that the alignment explains, each sentence counting its group's
calibrated score (1-0 and 0-1 groups count 0). A group's score already measures it
against the document's own chance level (see :mod:`builder.align.calibration`), so two
unrelated articles, whose best sentence pairs beat chance only by chance, score near 0
however many pairs the aligner found; a garbled version of the clean side scores near 1
however heavily it is garbled; a document that is half another story scores about a half.
A one-sentence document is judged by its one group, whose score was fitted on
one-sentence pairs, true and unrelated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.align.aligner import Group

#: Groups scored at least this count as confident in the explanation of a rejection.
CONFIDENT = 0.5


def document_score(groups: Sequence[Group], n_garbled: int, n_clean: int) -> float:
    """Share of both sides' sentences explained by the alignment, weighted by group scores, in [0, 1]."""
    total = n_garbled + n_clean
    if total == 0:
        return 0.0
    explained = sum(g.score * (len(g.garbled) + len(g.clean)) for g in groups if g.garbled and g.clean)
    return float(min(1.0, max(0.0, explained / total)))


@dataclass(frozen=True)
class Relatedness:
    score: float  # document_score
    garbled_confident: int  # garbled sentences in groups scored >= CONFIDENT
    clean_confident: int
    n_garbled: int
    n_clean: int

    def explain(self, min_score: float, key: str = "align.min_document_score") -> str:
        """One line for a reject: what share is explained, by how many sentences, against which bar."""
        return (
            f"confident groups explain {self.score:.0%} of the sentences of both sides"
            f" (garbled {self.garbled_confident}/{self.n_garbled}, clean {self.clean_confident}/{self.n_clean});"
            f" {key}={min_score:g}"
        )


def relatedness(groups: Sequence[Group], n_garbled: int, n_clean: int) -> Relatedness:
    confident = [g for g in groups if g.garbled and g.clean and g.score >= CONFIDENT]
    return Relatedness(
        score=document_score(groups, n_garbled, n_clean),
        garbled_confident=sum(len(g.garbled) for g in confident),
        clean_confident=sum(len(g.clean) for g in confident),
        n_garbled=n_garbled,
        n_clean=n_clean,
    )


def unrelated(groups: Sequence[Group], n_garbled: int, n_clean: int, min_score: float) -> str | None:
    """The reason's detail when the sides do not belong together, else None.

    A side without sentences is not judged here: there is nothing to compare it with,
    and an empty side is a different problem from a wrong one."""
    if not n_garbled or not n_clean:
        return None
    r = relatedness(groups, n_garbled, n_clean)
    return r.explain(min_score) if r.score < min_score else None
