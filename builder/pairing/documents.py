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

import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH
from tqdm import tqdm

from builder.align import Aligner, AlignerParams
from builder.align.features import fold
from builder.align.relatedness import document_score
from builder.core import reasons
from builder.text.segment import Segmenter

#: Reasons a garbled document is left unpaired (the build rejects it as ``unpaired_<reason>``,
#: listed in ``builder.core.reasons``).
EMPTY = reasons.UNPAIRED_EMPTY.removeprefix(reasons.UNPAIRED_PREFIX)  # no letters or digits to compare
NO_CANDIDATE = reasons.UNPAIRED_NO_CANDIDATE.removeprefix(reasons.UNPAIRED_PREFIX)  # nothing looks like it
BELOW_MIN_SCORE = reasons.UNPAIRED_BELOW_MIN_SCORE.removeprefix(reasons.UNPAIRED_PREFIX)  # all scored low
LOST_TO_BETTER_MATCH = reasons.UNPAIRED_LOST_TO_BETTER_MATCH.removeprefix(reasons.UNPAIRED_PREFIX)

_DF_BUCKETS = 1 << 22  # document frequency is counted in hashed buckets: bounded memory, rare collisions
_GOLDEN64 = np.uint64(0x9E3779B97F4A7C15)
_CHAR_CODE = np.zeros(256, dtype=np.uint64)  # folded text is [0-9a-z ]: 37 symbols, space = 0
_CHAR_CODE[ord("0") : ord("9") + 1] = np.arange(1, 11)
_CHAR_CODE[ord("a") : ord("z") + 1] = np.arange(11, 37)


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


# --- retrieval -------------------------------------------------------------------------------------------------


def _mix32(x: np.ndarray) -> np.ndarray:
    """64-bit codes to well-spread 32-bit ones (Fibonacci hashing: the high half of x * golden ratio)."""
    with np.errstate(over="ignore"):
        return ((x.astype(np.uint64) * _GOLDEN64) >> np.uint64(32)).astype(np.uint32)


def shingle_codes(text: str, shingle: str = "char", size: int = 5) -> np.ndarray:
    """The distinct shingles of ``fold(text)`` as sorted uint32 codes.

    Character n-grams (with word boundaries as spaces) are coded exactly in base 37 up
    to n = 6, so no two collide; words go through CRC-32, which is stable everywhere.
    """
    folded = fold(text)
    if not folded:
        return np.zeros(0, dtype=np.uint32)
    if shingle == "word":
        words = np.array([zlib.crc32(w.encode("ascii")) for w in folded.split()], dtype=np.uint64)
        n = min(size, len(words))
        acc = words[: len(words) - n + 1].copy()
        with np.errstate(over="ignore"):
            for k in range(1, n):
                acc = acc * np.uint64(0x100000001B3) ^ words[k : k + len(acc)]
        codes = acc.astype(np.uint32) if n == 1 else _mix32(acc)
        return np.unique(codes)
    chars = _CHAR_CODE[np.frombuffer(f" {folded} ".encode("ascii"), dtype=np.uint8)]
    if len(chars) < size:
        chars = np.concatenate([chars, np.zeros(size - len(chars), dtype=np.uint64)])
    acc = chars[: len(chars) - size + 1].copy()
    with np.errstate(over="ignore"):
        for k in range(1, size):
            acc = acc * np.uint64(37) + chars[k : k + len(acc)]
    return np.unique(acc.astype(np.uint32) if 37**size <= 1 << 32 else _mix32(acc))


def _bucket(codes: np.ndarray) -> np.ndarray:
    return (_mix32(codes) & np.uint32(_DF_BUCKETS - 1)).astype(np.int64)


def drop_common(shingles: list[np.ndarray], max_df: float, min_df_cut: int) -> list[np.ndarray]:
    """Each set without the shingles that too many documents share; a set made only of
    those keeps them all (better a vague signature than none)."""
    counts = np.zeros(_DF_BUCKETS, dtype=np.int64)
    for start in range(0, len(shingles), 2048):
        chunk = [_bucket(s) for s in shingles[start : start + 2048] if len(s)]
        if chunk:
            counts += np.bincount(np.concatenate(chunk), minlength=_DF_BUCKETS)
    limit = max(max_df * sum(1 for s in shingles if len(s)), min_df_cut)
    common = counts > limit
    out = []
    for s in shingles:
        kept = s[~common[_bucket(s)]] if len(s) else s
        out.append(kept if len(kept) else s)
    return out


def signatures(
    shingles: Sequence[np.ndarray], num_perm: int, seed: int, progress: str = ""
) -> tuple[np.ndarray, list[MinHash]]:
    """MinHash of each shingle set: the (n, num_perm) signature matrix and the MinHash objects.

    The shingles are already stable 32-bit codes, so they go in as they are (``hashfunc=int``)."""
    base = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
    sketches = []
    for s in tqdm(shingles, desc=progress, unit="doc", disable=not progress):
        m = base.copy()
        if len(s):
            m.update_batch(s.tolist())
        sketches.append(m)
    matrix = np.stack([m.hashvalues for m in sketches]) if sketches else np.zeros((0, num_perm), dtype=np.uint32)
    return matrix, sketches


def retrieve(
    garbled_shingles: Sequence[np.ndarray], clean_shingles: Sequence[np.ndarray], p: PairingParams
) -> tuple[list[list[tuple[int, float]]], dict[str, int]]:
    """For each garbled document, its clean candidates as (index, estimated Jaccard), best first."""
    label = "pairing: minhash {}" if p.progress else ""
    g_sig, g_mh = signatures(garbled_shingles, p.num_perm, p.seed, label.format("garbled"))
    c_sig, c_mh = signatures(clean_shingles, p.num_perm, p.seed, label.format("clean"))
    clean_ok = np.array([len(s) > 0 for s in clean_shingles], dtype=bool)
    lsh = MinHashLSH(num_perm=p.num_perm, params=(p.lsh_bands, p.lsh_rows))
    with lsh.insertion_session() as session:
        for j in np.flatnonzero(clean_ok):
            session.insert(int(j), c_mh[j], check_duplication=False)
    all_clean = np.flatnonzero(clean_ok)
    out: list[list[tuple[int, float]]] = []
    stats = {"lsh_candidates": 0, "scans": 0}
    for i, shingles in enumerate(garbled_shingles):
        if not len(shingles) or not len(all_clean):
            out.append([])
            continue
        found = np.array(sorted(lsh.query(g_mh[i])), dtype=np.int64)
        stats["lsh_candidates"] += len(found)
        ranked = _rank(found, g_sig[i], c_sig, p)
        if not ranked and len(all_clean) <= p.scan_max_clean:
            stats["scans"] += 1
            ranked = _rank(all_clean, g_sig[i], c_sig, p)
        out.append(ranked)
    return out, stats


def _rank(found: np.ndarray, sig: np.ndarray, c_sig: np.ndarray, p: PairingParams) -> list[tuple[int, float]]:
    """The top candidates among ``found`` by estimated Jaccard, ties to the lower index."""
    if not len(found):
        return []
    est = (c_sig[found] == sig).mean(axis=1)
    order = np.lexsort((found, -est))[: p.candidates]
    best = float(est[order[0]])
    floor = max(p.min_estimate, p.relative_estimate * best)
    return [(int(found[k]), float(est[k])) for k in order if est[k] >= floor]


# --- verification ----------------------------------------------------------------------------------------------


class _Verifier:
    """Sentence-aligns candidate pairs; each clean document is segmented once."""

    def __init__(self, garbled: Sequence[str], clean: Sequence[str], p: PairingParams) -> None:
        self.garbled, self.clean = garbled, clean
        self.segmenter = Segmenter()
        self.aligner = Aligner(p.aligner)
        self.clean_sentences: dict[int, list[str]] = {}

    def scores(self, i: int, candidates: Sequence[int]) -> list[float]:
        g = self.segmenter.sentences(self.garbled[i])
        out = []
        for j in candidates:
            if j not in self.clean_sentences:
                self.clean_sentences[j] = self.segmenter.sentences(self.clean[j])
            c = self.clean_sentences[j]
            out.append(document_score(self.aligner.align(g, c), len(g), len(c)) if g and c else 0.0)
        return out


# --- assignment ------------------------------------------------------------------------------------------------


def assign(
    scored: Sequence[Sequence[tuple[int, float]]], min_score: float, empty: Collection[int] = ()
) -> tuple[list[tuple[int, int, float]], list[tuple[int, str]]]:
    """One to one, greedily by descending score (ties: lower garbled, then lower clean index).

    Greedy rather than an optimal matching: a true pair scores near 1 and a wrong one far
    lower, so the best edge is almost always right, and greedy keeps the decision local and
    explainable ("lost to a better match"). ``scored[i]`` holds garbled document i's
    verified candidates. Returns the pairs and each unpaired garbled document with its reason.
    """
    edges = sorted((-s, i, j) for i, cands in enumerate(scored) for j, s in cands if s >= min_score)
    taken_g: set[int] = set()
    taken_c: set[int] = set()
    pairs = []
    for neg, i, j in edges:
        if i not in taken_g and j not in taken_c:
            taken_g.add(i)
            taken_c.add(j)
            pairs.append((i, j, -neg))
    unmatched = []
    for i, cands in enumerate(scored):
        if i in taken_g:
            continue
        if not cands:
            unmatched.append((i, EMPTY if i in empty else NO_CANDIDATE))
        elif any(s >= min_score for _, s in cands):
            unmatched.append((i, LOST_TO_BETTER_MATCH))
        else:
            unmatched.append((i, BELOW_MIN_SCORE))
    pairs.sort()
    return pairs, unmatched


def pair_documents(garbled: list[str], clean: list[str], params: PairingParams | None = None) -> PairResult:
    """Pair each garbled document with at most one clean document, and say why for the rest."""
    p = params or PairingParams()
    g_sh = [shingle_codes(t, p.shingle, p.shingle_size) for t in garbled]
    c_sh = [shingle_codes(t, p.shingle, p.shingle_size) for t in clean]
    empty = {i for i, s in enumerate(g_sh) if not len(s)}
    filtered = drop_common(g_sh + c_sh, p.max_df, p.min_df_cut)
    candidates, stats = retrieve(filtered[: len(garbled)], filtered[len(garbled) :], p)
    verifier = _Verifier(garbled, clean, p)
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
