"""Corpus step: near-duplicate documents, grouped before the split.

Two copies of one article that differ by a headline, a byline or a corrected figure
are different documents to the exact dedup, so without this step they could land in
train and test, and a model would be scored on text it was trained on. Each usable
document gets a MinHash signature of its word shingles (datasketch); documents whose
signatures collide in a band of the LSH index and whose estimated Jaccard similarity
reaches ``dedup.threshold`` are linked, and every connected set of linked documents is
a group. The ``group`` column names each document's group by its smallest doc_id, so
the group does not depend on the input order (null for a document with no near-copy);
the split step places whole groups.

Memory: one signature per document (``dedup.perms`` 32-bit values, 512 bytes at the
default 128), written to the build's work folder and mapped back when it gives one, and
one 64-bit key per document for the band being grouped, never the texts. The banding is
done here with NumPy sorts rather than with datasketch's ``MinHashLSH``, whose
in-memory index costs several kilobytes a document.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from builder.core.seeding import GOLDEN, fmix64
from builder.pipeline.steps.base import CorpusStep

_POLY = np.uint64(0x01000193)  # an odd multiplier (FNV's prime): gram order matters
_MASK32 = np.uint64(0xFFFFFFFF)
_BLOCK = 65536  # documents whose signatures are read at a time


#: ``bytes.translate`` table: the ASCII characters ``\w`` does not match become spaces; the
#: bytes of other characters (0x80 and up, UTF-8's multi-byte sequences) stay as they are.
_ASCII_WORDS = bytes(c if chr(c).isalnum() or c == 0x5F else 0x20 for c in range(128)) + bytes(range(128, 256))
#: Other characters that are not ``\w`` replaced one at a time up to this many, then by
#: one ``str.translate`` (linear whatever the text holds).
_REPLACED_ONE_BY_ONE = 8


#: The word hash: ``h = h * _WORD_MULTIPLIER + byte`` over a word's UTF-8, modulo 2**64
#: (an odd multiplier, FNV-1's 64-bit prime), then splitmix64's finaliser and its low 32
#: bits. A polynomial, so it is computed for all the words of many texts at once: a
#: CRC-32 call a word (and the ``bytes`` object of each) cost more than the rest of
#: signing.
_WORD_MULTIPLIER = 0x100000001B3
#: Bytes of a word hashed position by position; a longer word is cut into pieces of at
#: most this many (from its end) whose values are combined as one more polynomial, so
#: the passes are bounded whatever the longest word.
_PIECE = 16
#: Bytes of text whose words are hashed together at most (a longer text goes alone), so
#: the arrays made a word (positions, lengths, values) stay a small multiple of it.
_BYTES_AT_ONCE = 4 << 20


def word_bytes(text: str) -> list[bytes]:
    """The UTF-8 of each word of the case-folded text, as ``re.findall(r"\\w+",
    text.casefold())`` finds them."""
    return _spaced_words(text).split()


def _spaced_words(text: str) -> bytes:
    """The UTF-8 of the case-folded text with every character that is not ``\\w`` a
    space. Cut as bytes: ``str.translate`` costs some 75 ns a character on text that is
    not all ASCII (a dictionary lookup each), ``bytes.translate`` a table lookup, so only
    the few other characters that are not ``\\w`` (£, quotes, dashes) are replaced in
    the text first."""
    folded = text.casefold()
    if not folded.isascii():
        other = [c for c in set(folded) if c > "\x7f" and not c.isalnum()]  # \w is alphanumeric or "_"
        if len(other) > _REPLACED_ONE_BY_ONE:
            folded = folded.translate(dict.fromkeys(map(ord, other), " "))
        else:
            for char in other:
                folded = folded.replace(char, " ")
    return folded.encode("utf-8").translate(_ASCII_WORDS)


def shingles(text: str, size: int) -> np.ndarray:
    """32-bit hashes of the word ``size``-grams of the case-folded text (one gram of the
    whole text when it is shorter): ``shingles_many`` of one text."""
    return shingles_many([text], size)[0]


def shingles_many(texts: list[str], size: int) -> list[np.ndarray]:
    """``shingles`` of each text. Each word's value (``_WORD_MULTIPLIER``) and each gram's
    (a polynomial of its words' values) are computed for many texts at once, in NumPy,
    on the texts' bytes joined by spaces (``_BYTES_AT_ONCE`` at a time, so the arrays a
    word stay small whatever the texts): no Python object is made a word. datasketch
    mixes each value (MurmurHash3's finaliser) before its permutations, so these plain
    values are safe input."""
    out: list[np.ndarray] = []
    group: list[bytes] = []
    held = 0
    for text in texts:
        spaced = _spaced_words(text)
        if group and held + len(spaced) > _BYTES_AT_ONCE:
            out += _joined_shingles(group, size)
            group, held = [], 0
        group.append(spaced)
        held += len(spaced) + 1
    if group:
        out += _joined_shingles(group, size)
    return out


def _joined_shingles(spaced: list[bytes], size: int) -> list[np.ndarray]:
    """``shingles_many`` of texts given as ``_spaced_words``."""
    data = np.frombuffer(b" ".join(spaced), dtype=np.uint8)
    in_word = np.zeros(len(data) + 2, dtype=np.int8)  # a zero either side
    np.not_equal(data, 0x20, out=in_word[1:-1].view(bool))
    edges = np.flatnonzero(np.diff(in_word))  # a word's start, then its end, and so on
    starts, ends = edges[::2], edges[1::2]
    values = fmix64(_horner(data, starts, ends - starts, _WORD_MULTIPLIER)) & _MASK32
    text_starts = np.cumsum([0] + [len(b) + 1 for b in spaced])  # words never cross the spaces between
    bounds = np.searchsorted(starts, text_starts).tolist()
    grams = _grams(values, size)  # every window of the joined words; a text's own are a slice
    # a text with fewer words than a gram has one gram of them all (none without a word)
    return [
        grams[first : stop - size + 1] if stop - first >= size else _grams(values[first:stop], size)
        for first, stop in pairwise(bounds)
    ]


def _grams(values: np.ndarray, size: int) -> np.ndarray:
    """Each ``size``-gram of word values as a polynomial of them (one gram of them all
    when there are fewer)."""
    n = max(1, len(values) - size + 1)
    grams = values[:n].copy()
    for k in range(1, min(size, len(values))):
        grams = (grams * _POLY + values[k : k + n]) & _MASK32
    return grams


def _horner(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, multiplier: int) -> np.ndarray:
    """``sum(data[start + j] * multiplier ** (length - 1 - j))`` modulo 2**64 for each run
    (``length`` at least 1). A run longer than ``_PIECE`` is cut into pieces from its
    end, so every piece but the first is whole and the run's value is the polynomial of
    its pieces' values in ``multiplier ** _PIECE``."""
    long = np.flatnonzero(lengths > _PIECE)
    if not len(long):
        return _horner_short(data, starts, lengths, multiplier)
    out = np.empty(len(starts), dtype=np.uint64)
    short = np.flatnonzero(lengths <= _PIECE)
    out[short] = _horner_short(data, starts[short], lengths[short], multiplier)
    starts, lengths = starts[long], lengths[long]
    pieces = (lengths + _PIECE - 1) // _PIECE
    first = np.cumsum(pieces) - pieces  # each run's first piece
    head = lengths - (pieces - 1) * _PIECE  # the first piece's length
    within = np.arange(int(pieces.sum())) - np.repeat(first, pieces)  # piece number in its run
    piece_starts = np.repeat(starts + head - _PIECE, pieces) + within * _PIECE
    piece_lengths = np.full(len(within), _PIECE, dtype=np.int64)
    piece_starts[first] += _PIECE - head
    piece_lengths[first] = head
    values = _horner_short(data, piece_starts, piece_lengths, multiplier)
    out[long] = _horner(values, first, pieces, pow(multiplier, _PIECE, 2**64))
    return out


def _horner_short(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, multiplier: int) -> np.ndarray:
    """``_horner`` of runs of at most ``_PIECE``: the runs longest first (a radix sort of
    small numbers), so step ``j`` updates a prefix of them."""
    h = np.zeros(len(starts), dtype=np.uint64)
    if not len(starts):
        return h
    order = np.argsort(-lengths.astype(np.int8), kind="stable")
    starts, lengths = starts[order], lengths[order]
    longer = np.searchsorted(-lengths, -np.arange(int(lengths[0])), side="left")  # runs longer than j
    m = np.uint64(multiplier)
    for j, count in enumerate(longer.tolist()):
        part = h[:count]
        part *= m
        part += data[starts[:count] + j]
    out = np.empty_like(h)
    out[order] = h
    return out


#: MurmurHash3's 32-bit finaliser (shifts and multipliers), which datasketch's affine32
#: scheme applies to each value before its permutations.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
#: Shingles whose permuted values are held at once when signing many texts (4 bytes
#: times ``perms`` each: 2 MB at the default 128, which stays in cache: 8,192 was slower).
_GRAMS_AT_ONCE = 4096


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> np.uint32(s1))
    hv = hv * np.uint32(m1)
    hv = hv ^ (hv >> np.uint32(s2))
    hv = hv * np.uint32(m2)
    return hv ^ (hv >> np.uint32(s3))


class Signer:
    """MinHash signatures with one fixed set of permutations (datasketch's affine32
    scheme, named so that a datasketch upgrade cannot change a split silently).
    ``sign_many`` computes the same values for many texts at once: datasketch makes
    an object and a Python list per text, which cost more than the arithmetic."""

    def __init__(self, perms: int, shingle: int) -> None:
        from datasketch import MinHash

        self._minhash = MinHash
        self.template = MinHash(num_perm=perms, seed=1, scheme="affine32")
        self.perms, self.shingle = perms, shingle
        a, b = self.template.permutations
        self._a, self._b = a.astype(np.uint32), b.astype(np.uint32)

    def sign(self, text: str) -> np.ndarray | None:
        """datasketch's own signature of one text (None: no word)."""
        grams = shingles(text, self.shingle)
        if not len(grams):
            return None
        m = self._minhash(num_perm=self.perms, permutations=self.template.permutations, scheme="affine32", hashfunc=int)
        m.update_batch(grams.tolist())
        return m.hashvalues.astype(np.uint32)

    def sign_many(self, texts: list[str | None]) -> list[np.ndarray | None]:
        """``sign`` of each text (None for None), the shingles of many texts permuted at
        once and each text's minimum taken with one ``reduceat``."""
        out: list[np.ndarray | None] = [None] * len(texts)
        signed = [i for i, t in enumerate(texts) if t is not None]
        made = shingles_many([texts[i] for i in signed], self.shingle)
        grams = [(i, g) for i, g in zip(signed, made, strict=True) if len(g)]
        start = 0
        while start < len(grams):
            stop, held = start, 0
            while stop < len(grams) and (stop == start or held + len(grams[stop][1]) <= _GRAMS_AT_ONCE):
                held += len(grams[stop][1])
                stop += 1
            block = grams[start:stop]
            hv = _fmix32(np.concatenate([g for _, g in block]).astype(np.uint32))
            permuted = np.multiply.outer(self._a, hv)  # a permutation per row; wraps modulo 2**32 as datasketch's
            permuted += self._b[:, None]
            firsts = np.cumsum([0] + [len(g) for _, g in block[:-1]])
            mins = np.ascontiguousarray(np.minimum.reduceat(permuted, firsts, axis=1).T)  # each text's along its row
            for (i, _), sig in zip(block, mins, strict=True):
                out[i] = sig
            start = stop
        return out


def bands_for(threshold: float, perms: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH chooses for this threshold, weighing a
    missed pair 19 times a false candidate: a missed near-copy is leakage, while a false
    candidate only costs one comparison of signatures. At the default 0.6 and 128
    permutations that is 24 bands of 4, which finds a pair of similarity 0.66 with
    probability 0.994 (the even weighting's 18 bands of 7: 0.64)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=perms, weights=(0.05, 0.95))
    return lsh.b, lsh.r


def band_keys(sigs: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One 64-bit key per document for band ``band``: equal bands give equal keys."""
    with np.errstate(over="ignore"):
        h = np.full(sigs.shape[0], np.uint64(band + 1) * np.uint64(GOLDEN), dtype=np.uint64)
        for col in range(band * rows, (band + 1) * rows):
            h = fmix64(h ^ np.asarray(sigs[:, col]).astype(np.uint64))
    return h


def band_table(sigs: np.ndarray, bands: int, rows: int, scratch: Path | None = None) -> np.ndarray:
    """Every band's keys, a band per row (each band's keys contiguous), made in one pass
    over the signatures a block of documents at a time; in ``scratch`` when given."""
    n = sigs.shape[0]
    if scratch is None:
        table = np.empty((bands, n), dtype=np.uint64)
    else:
        table = np.memmap(scratch / "bands.u64", dtype=np.uint64, mode="w+", shape=(bands, max(n, 1)))[:, :n]
    for start in range(0, n, _BLOCK):
        block = np.asarray(sigs[start : start + _BLOCK])
        for b in range(bands):
            table[b, start : start + len(block)] = band_keys(block, b, rows)
    return table


def linked_groups(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The documents (positions) that some pair links, in order, and the connected set
    of linked documents each is in, numbered from 0 (scipy's connected components: a
    compiled pass over the pairs; with ``group_names``, a fifth of the time a Python
    union-find and ``min`` per group took)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    linked = np.unique(pairs.ravel())
    if not len(linked):
        return linked, np.empty(0, dtype=np.int64)
    # the graph over the linked documents only: its size follows the links, not the corpus
    a, b = np.searchsorted(linked, pairs[:, 0]), np.searchsorted(linked, pairs[:, 1])
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (a, b)), shape=(len(linked), len(linked)))
    _, component = connected_components(graph, directed=False)
    return linked, component.astype(np.int64)


def group_names(ids: pa.Array, component: np.ndarray) -> pa.Array:
    """Each document's group named by the smallest id in it (Arrow orders strings by
    their UTF-8 bytes, which is the order of their code points, as Python's ``min``)."""
    table = pa.table({"component": component, "id": ids})
    ordered = table.sort_by([("component", "ascending"), ("id", "ascending")])
    first = np.r_[True, np.diff(ordered.column("component").to_numpy()) != 0]
    smallest = ordered.column("id").filter(pa.array(first))  # one per component, in component order
    return smallest.take(pa.array(component))


def similar_pairs(
    sigs: np.ndarray, threshold: float, bands: int, rows: int, scratch: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Linked document pairs (positions ``i < j``) and their estimated similarity.

    Documents sharing a band key are compared with the first of their bucket and, when
    that fails, with the one before them: linear in the bucket size (a bucket of many
    one-word documents would be quadratic to compare in full), and enough to connect
    every document of a cluster of near-copies."""
    table = band_table(sigs, bands, rows, scratch)
    found: list[np.ndarray] = []
    for b in range(bands):
        keys = np.asarray(table[b])  # one band at a time: 8 bytes a document
        order = np.argsort(keys, kind="stable")
        k = keys[order]
        later = np.flatnonzero(np.r_[False, k[1:] == k[:-1]])  # sorted places not first in their bucket
        if not len(later):
            continue
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        first = starts[np.searchsorted(starts, later, side="right") - 1]
        member, with_first, with_prev = order[later], order[first], order[later - 1]
        near_first = _similar(sigs, member, with_first, threshold)
        retry = ~near_first & (later - 1 != first)  # the one before, when it is not the first
        near_prev = np.zeros(len(later), dtype=bool)
        near_prev[retry] = _similar(sigs, member[retry], with_prev[retry], threshold)
        other = np.where(near_first, with_first, with_prev)
        linked = near_first | near_prev
        found.append(np.stack([np.minimum(member, other)[linked], np.maximum(member, other)[linked]], axis=1))
    found = [f for f in found if len(f)]
    if not found:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float32)
    pairs = _unique_pairs(np.concatenate(found).astype(np.int64), sigs.shape[0])  # sorted, each pair once
    similarity = np.mean(sigs[pairs[:, 0]] == sigs[pairs[:, 1]], axis=1).astype(np.float32)
    return pairs, similarity


def _unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    """``np.unique(pairs, axis=0)`` for pairs of positions below ``n``: each pair as one
    64-bit number ``i * n + j``, whose order is the pairs' order: numbers sort several
    times faster than rows do."""
    if n > 1 << 31:
        return np.unique(pairs, axis=0)
    keys = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([keys // n, keys % n], axis=1)


def _similar(sigs: np.ndarray, a: np.ndarray, b: np.ndarray, threshold: float) -> np.ndarray:
    """Whether the signatures of ``a[i]`` and ``b[i]`` agree in at least ``threshold`` of
    their values, a few thousand pairs at a time (each gathers two signatures)."""
    out = np.empty(len(a), dtype=bool)
    for s in range(0, len(a), 8192):
        out[s : s + 8192] = np.mean(sigs[a[s : s + 8192]] == sigs[b[s : s + 8192]], axis=1) >= threshold
    return out


#: Documents signed per task: small enough that workers share a corpus evenly, large
#: enough that handing the texts over costs little.
_PART = 512


def _texts(part: pa.Table) -> list[str | None]:
    """The text each document of ``part`` is signed by (None: rejected, never grouped)."""
    cols = [part.column(c).to_pylist() for c in ("clean", "garbled", "reject")]
    return [None if reject else (clean or garbled or "") for clean, garbled, reject in zip(*cols, strict=True)]


@lru_cache(maxsize=4)
def _signer(perms: int, shingle: int) -> Signer:
    return Signer(perms, shingle)


def _sign_part(task: tuple[int, int, int, list[str | None]]) -> tuple[np.ndarray, np.ndarray]:
    """Positions (``offset`` + index) and signatures of the texts of one part that sign."""
    perms, shingle, offset, texts = task
    signer = _signer(perms, shingle)
    where: list[int] = []
    sigs: list[np.ndarray] = []
    for i, sig in enumerate(signer.sign_many(texts)):
        if sig is not None:
            where.append(offset + i)
            sigs.append(sig)
    matrix = np.vstack(sigs) if sigs else np.empty((0, perms), dtype=np.uint32)
    return np.asarray(where, dtype=np.int64), matrix


class NearDup(CorpusStep):
    name = "neardup"
    phase = "documents"
    inputs = ("doc_seq", "doc_id", "clean", "garbled", "reject")
    outputs = ("group",)

    def __init__(self, section: Any) -> None:
        """``section``: the ``dedup`` config section (``near``, ``threshold``, ``shingle``, ``perms``)."""
        super().__init__()
        self.enabled = bool(section.near)
        self.threshold, self.shingle, self.perms = float(section.threshold), int(section.shingle), int(section.perms)
        #: linked pairs as doc_seq (n x 2) and their estimated similarity, for the leakage count
        self.pairs = np.empty((0, 2), dtype=np.int64)
        self.similarity = np.empty(0, dtype=np.float32)

    def signatures(self, docs: pa.Table) -> tuple[np.ndarray, np.ndarray]:
        """Positions (in ``docs``) of the signed documents and their signatures; a
        rejected document, or one with no word, is never grouped. Parts of the corpus are
        signed on the build's workers when it has some (``parallel_map``), in order."""
        parts = (
            (self.perms, self.shingle, offset, _texts(docs.slice(offset, _PART)))
            for offset in range(0, docs.num_rows, _PART)
        )
        signed = (self.parallel_map or map)(_sign_part, parts)
        where: list[np.ndarray] = []
        sigs: list[np.ndarray] = []
        path = self.scratch / "signatures.u32" if self.scratch is not None else None
        with open(path, "wb") if path is not None else nullcontext() as sink:
            for positions, matrix in signed:
                where.append(positions)
                if sink is None:
                    sigs.append(matrix)
                else:
                    sink.write(np.ascontiguousarray(matrix, dtype=np.uint32).tobytes())
        signed_docs = sum(len(w) for w in where)
        if not signed_docs:
            return np.empty(0, dtype=np.int64), np.empty((0, self.perms), dtype=np.uint32)
        if path is not None:  # mapped from the work folder: page cache, not the build's memory
            return np.concatenate(where), np.memmap(path, dtype=np.uint32, mode="r", shape=(signed_docs, self.perms))
        return np.concatenate(where), np.vstack(sigs)

    def run(self, docs: pa.Table) -> pa.Table:
        """The documents with a ``group`` column: the group's name for a document with
        near-copies, null for the others (a group of one constrains no split)."""
        group = np.full(docs.num_rows, None, dtype=object)
        self.stats = {}
        if self.enabled and docs.num_rows:
            where, sigs = self.signatures(docs)
            bands, rows = bands_for(self.threshold, self.perms)
            pairs, self.similarity = similar_pairs(sigs, self.threshold, bands, rows, self.scratch)
            linked, component = linked_groups(pairs)
            at = where[linked]  # the linked documents' positions in docs, in order
            sizes = np.bincount(component) if len(component) else np.empty(0, dtype=np.int64)
            if len(at):
                names = group_names(docs.column("doc_id").take(pa.array(at)), component)
                group[at] = np.asarray(names.to_pylist(), dtype=object)
            seqs = docs.column("doc_seq").to_numpy()
            self.pairs = seqs[where[pairs]] if len(pairs) else np.empty((0, 2), dtype=np.int64)
            self.stats = {
                "groups": len(sizes),
                "grouped_documents": int(sizes.sum()),
                "largest_group": int(sizes.max(initial=0)),
                "linked_pairs": len(pairs),
            }
        column = pa.array(group, pa.string())
        if "group" in docs.schema.names:
            return docs.set_column(docs.schema.get_field_index("group"), "group", column)
        return docs.append_column("group", column)
