"""How pairing finds and judges candidates, what it returns, and why a document stays unpaired."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.align import AlignerParams
from builder.core import reasons

#: Reasons a garbled document is left unpaired (the build rejects it as ``unpaired_<reason>``,
#: listed in ``builder.core.reasons``).
EMPTY = reasons.UNPAIRED_EMPTY.removeprefix(reasons.UNPAIRED_PREFIX)  # no letters or digits to compare
NO_CANDIDATE = reasons.UNPAIRED_NO_CANDIDATE.removeprefix(reasons.UNPAIRED_PREFIX)  # nothing looks like it
BELOW_MIN_SCORE = reasons.UNPAIRED_BELOW_MIN_SCORE.removeprefix(reasons.UNPAIRED_PREFIX)  # all scored low
LOST_TO_BETTER_MATCH = reasons.UNPAIRED_LOST_TO_BETTER_MATCH.removeprefix(reasons.UNPAIRED_PREFIX)


@dataclass
class PairingParams:
    """How candidates are found and how a pair is judged."""

    candidates: int = 3  # clean candidates verified per garbled document (near-duplicates need more than 1)
    min_score: float = 0.5  # verification score a pair needs: half of both documents explained
    shingle: str = "char"  # "char": character n-grams of the folded text; "word": word n-grams
    shingle_size: int = 5
    max_df: float = 0.05  # shingles in more than this share of all documents are dropped ...
    min_df_cut: int = 20  # ... if also in more than this many (a tiny corpus keeps them all)
    num_perm: int = 256  # MinHash permutations
    lsh_bands: int = 128  # LSH bands x rows <= num_perm: 128 x 2 finds 94% of pairs at Jaccard 0.15, 72% at 0.1
    lsh_rows: int = 2
    seed: int = 1  # MinHash permutation seed
    min_estimate: float = 0.02  # estimated Jaccard a candidate needs to be verified
    relative_estimate: float = 0.5  # ... and this share of the best one's (near-duplicates are close, so stay)
    scan_max_clean: int = 20_000  # compare with every clean document when LSH finds none, up to this many
    # A fixed bar for a sentence pair to count as aligned, and no gap filling. The score is the build's
    # (document_score over calibrated groups, which are judged against each pair's own chance level
    # whatever the bar); the bar only decides which groups exist. Among thousands of one-sentence
    # candidates, a leftover pair made a 1-1 by gap filling still earns a little score, enough to win
    # some ties: with the build's adaptive aligner the scale run of benchmarks/pairing.py makes more
    # wrong pairs (its verifier_comparison). For a known pair (the build) it is the other way round:
    # the adaptive bar loses fewer true one-sentence pairs (benchmarks/align.py), so the build keeps it.
    aligner: AlignerParams = field(default_factory=lambda: AlignerParams(threshold=0.25, pair_gaps=False))
    progress: bool = False

    def __post_init__(self) -> None:
        if self.shingle not in ("char", "word"):
            raise ValueError(f"pairing: shingle={self.shingle!r} must be 'char' or 'word'")
        if self.shingle_size < 1 or self.candidates < 1:
            raise ValueError("pairing: shingle_size and candidates must be at least 1")
        if self.lsh_bands < 2 or self.lsh_rows < 1 or self.lsh_bands * self.lsh_rows > self.num_perm:
            raise ValueError(
                f"pairing: lsh_bands x lsh_rows = {self.lsh_bands} x {self.lsh_rows} must be at most"
                f" num_perm={self.num_perm}, with at least 2 bands"
            )
        for name in ("min_score", "max_df", "min_estimate", "relative_estimate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"pairing: {name}={getattr(self, name)} is not in [0, 1]")


@dataclass
class PairResult:
    pairs: list[tuple[int, int, float]]  # (garbled index, clean index, verification score), one to one, sorted
    unmatched_garbled: list[tuple[int, str]]  # (garbled index, reason)
    unmatched_clean: list[int]
    # Per garbled document, the verified candidates as (clean index, score), best estimate first: to
    # report how close an unpaired document came, or to run assign() again at another min_score.
    verified: list[list[tuple[int, float]]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)  # work done: candidates, scans, alignments
