"""Pairing garbled documents with their clean originals when the input does not say which is which.

Two steps, so that the corpus can hold tens of thousands of documents a side:

1. Retrieval. Each document becomes a set of shingles of its folded text (case,
   accents and punctuation gone): character 5-grams by default, because they survive
   typos, OCR confusions and drifting names better than words do. Shingles found in a
   large share of all documents (" the ", "tion ") are dropped: they make unrelated
   articles look alike. A MinHash of each set goes into an LSH index of the clean side
   (datasketch), and each garbled document keeps its top ``candidates`` clean documents
   by estimated Jaccard similarity. If the index finds nothing and the clean side is
   small, every clean document is compared instead.
2. Verification. Each candidate pair is split into sentences and aligned with
   :class:`~builder.align.Aligner`; its score is the share of both documents' sentences
   that confident groups explain: :func:`builder.align.relatedness.document_score`, the
   very score with which the build rejects a record whose sides are unrelated. Pairs are
   then assigned one to one, best score first, and accepted at ``min_score`` or above.

Retrieval is cheap (about 1 ms a document); verification, one alignment per candidate,
is most of the time, which is why only candidates near the best estimate are verified.
``benchmarks/pairing.py`` measures both, and why these shingles and LSH settings.

A document of one sentence or a short line gives little evidence: a weak match of one
sentence can score as high as a real one (on single MT sentences, precision is about 0.99).

Every garbled document that ends unpaired gets a reason. Nothing depends on Python's
salted ``hash()`` or on dict order: the same input gives the same pairs.
"""

from __future__ import annotations

from tqdm import tqdm

from builder.pairing.assign import assign
from builder.pairing.params import (
    BELOW_MIN_SCORE,
    EMPTY,
    LOST_TO_BETTER_MATCH,
    NO_CANDIDATE,
    PairingParams,
    PairResult,
)
from builder.pairing.retrieve import drop_common, retrieve, shingle_codes, signatures
from builder.pairing.verify import Verifier

__all__ = [
    "BELOW_MIN_SCORE",
    "EMPTY",
    "LOST_TO_BETTER_MATCH",
    "NO_CANDIDATE",
    "PairResult",
    "PairingParams",
    "assign",
    "drop_common",
    "pair_documents",
    "retrieve",
    "shingle_codes",
    "signatures",
]


def pair_documents(garbled: list[str], clean: list[str], params: PairingParams | None = None) -> PairResult:
    """Pair each garbled document with at most one clean document, and say why for the rest."""
    p = params or PairingParams()
    g_sh = [shingle_codes(t, p.shingle, p.shingle_size) for t in garbled]
    c_sh = [shingle_codes(t, p.shingle, p.shingle_size) for t in clean]
    empty = {i for i, s in enumerate(g_sh) if not len(s)}
    filtered = drop_common(g_sh + c_sh, p.max_df, p.min_df_cut)
    candidates, stats = retrieve(filtered[: len(garbled)], filtered[len(garbled) :], p)
    verifier = Verifier(garbled, clean, p)
    scored: list[list[tuple[int, float]]] = []
    steps = tqdm(range(len(garbled)), desc="pairing: verify", unit="doc", disable=not p.progress)
    for i in steps:
        js = [j for j, _ in candidates[i]]
        scored.append(list(zip(js, verifier.scores(i, js), strict=True)))
    pairs, unmatched = assign(scored, p.min_score, empty)
    paired_clean = {j for _, j, _ in pairs}
    stats.update(
        garbled=len(garbled),
        clean=len(clean),
        verified=sum(len(s) for s in scored),
        pairs=len(pairs),
    )
    return PairResult(
        pairs=pairs,
        unmatched_garbled=unmatched,
        unmatched_clean=[j for j in range(len(clean)) if j not in paired_clean],
        verified=scored,
        stats=stats,
    )
