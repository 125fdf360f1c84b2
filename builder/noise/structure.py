"""Sentence-level garbling: split, merge, drop, and caption lines inserted.

Machine translation and page extraction change a text's sentence structure, not just
its words. These operations do that, and record the true mapping between garbled and
clean sentences, so every synthetic document is also an alignment test with gold.

A garbled document is built as a sequence of pieces: sentence groups (what the
aligner would pair) and the separators between them. Each piece carries its clean
text, its garbled text and the edits between the two, so a unit made of any run of
pieces replays exactly, and the word and character operations of a recipe only ever
touch the inside of a group, never the text a structural edit rewrote.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from builder.core.edits import APPLY_ORDER, Edit, replay_ordered
from builder.core.resources import read_list, read_words

#: Lines that pages put between paragraphs: what `insert` adds to the garbled side.
CAPTIONS: tuple[str, ...] = read_list("noise/captions.txt")
# Where a split cuts and how a merge joins stay here: they are patterns the code is
# written around (a split keeps "and" and "but" as the next sentence's first word).
_CLAUSE = re.compile(r"(?:, (and|but|while|although|because|as|which|who|whereas)|;) (\w+)", re.IGNORECASE)
_MERGE_JOINS = (", and ", "; ", ", ", " and ")
_NEUTRAL_CLAUSE = re.compile(r"(); (\w+)")  # a split at a semicolon only: no English conjunction
_NEUTRAL_JOINS = ("; ", ", ")
#: Sentence openers that lose their capital when their sentence is merged into the one before.
_LOWER_STARTERS: frozenset[str] = read_words("noise/merge_lowercase.txt")


@dataclass(frozen=True)
class StructureRates:
    """Probabilities per sentence (insert: per gap between sentences).

    ``script_neutral``: for a document not in English (``Recipe.script_neutral``): a split
    cuts only at a semicolon (the conjunctions it cuts at are English), a merge joins only
    with punctuation (not with "and"), and no caption is inserted (the captions are
    English lines). Drops are the same in any language.
    """

    split: float = 0.0
    merge: float = 0.0
    drop: float = 0.0
    insert: float = 0.0
    script_neutral: bool = False

    @property
    def active(self) -> bool:
        return any((self.split, self.merge, self.drop, self.insert))


class Piece(NamedTuple):
    """A run of the document: a sentence group, or the separator between two groups.
    (A named tuple: a document has some thirty, made in a hot loop.)"""

    clean: str
    garbled: str
    edits: list[Edit] | None  # relative to ``clean``; None for real pairs (diff later)
    is_group: bool
    clean_idx: tuple[int, ...] = ()  # clean sentences in this group
    n_garbled: int = 0  # garbled sentences in this group
    garbled_breaks: tuple[int, ...] = ()  # offsets in ``garbled`` where its sentences 2.. start
    score: float = 1.0
    tag: str = ""
    op: str = ""  # structural operation that made the group ("" for an untouched sentence)

    @property
    def align(self) -> str:
        return f"{self.n_garbled}-{len(self.clean_idx)}"

    def garbled_sentences(self) -> list[str]:
        cuts = [0, *self.garbled_breaks, len(self.garbled)]
        return [self.garbled[a:b].strip() for a, b in itertools.pairwise(cuts) if self.garbled[a:b].strip()]


@dataclass(slots=True)
class _Group:
    """A planned group: clean sentence indices and the structural op applied."""

    idx: tuple[int, ...]
    op: str = ""  # "", split, merge, drop, insert
    region: tuple[int, int] | None = None  # clean span the structural edit rewrites
    replacement: str = ""
    caption: str = ""
    sub_spans: list[tuple[int, int]] = field(default_factory=list)


def _merge_region(
    text: str, a: tuple[int, int], b: tuple[int, int], u: float, joins: Sequence[str] = _MERGE_JOINS
) -> tuple[tuple[int, int], str] | None:
    """Rewrite "end. Next" as "end, and next": the final stop, the gap and the first letter."""
    if text[a[1] - 1] not in ".!?" or "\n" in text[a[1] : b[0]] or not text[b[0]].isalpha():
        return None
    first_word = re.match(r"\w+", text[b[0] : b[1]])
    if not first_word:
        return None
    word = first_word.group()
    join = joins[min(int(u * len(joins)), len(joins) - 1)]
    return (a[1] - 1, b[0] + len(word)), join + (word.lower() if word in _LOWER_STARTERS else word)


def _split_region(
    text: str, s: tuple[int, int], clause: re.Pattern[str] = _CLAUSE
) -> tuple[tuple[int, int], str] | None:
    """Rewrite ", and then" as ". Then" at a clause boundary with words on both sides."""
    sentence = text[s[0] : s[1]]
    best = None
    for m in clause.finditer(sentence):
        left, right = sentence[: m.start()].split(), sentence[m.start(2) :].split()
        if len(left) >= 4 and len(right) >= 4:
            best = m
            break
    if best is None:
        return None
    conj, word = best.group(1), best.group(2)
    if conj and conj.lower() in ("but", "and"):
        new = ". " + conj.capitalize() + " " + word  # MT keeps the conjunction: ". But the ..."
    else:
        new = ". " + word[0].upper() + word[1:]
    return (s[0] + best.start(), s[0] + best.end(2)), new


def plan(text: str, spans: Sequence[tuple[int, int]], rates: StructureRates, rng: np.random.Generator) -> list[_Group]:
    """Which sentences are split, merged, dropped, and where captions go."""
    n = len(spans)
    draws = rng.random((n, 6)).tolist()  # Python floats: unpacking NumPy rows costs more than the plan
    neutral = rates.script_neutral
    joins, clause = (_NEUTRAL_JOINS, _NEUTRAL_CLAUSE) if neutral else (_MERGE_JOINS, _CLAUSE)
    groups: list[_Group] = []
    k = 0
    dropped = 0
    while k < n:
        u_drop, u_merge, u_split, u_insert, u_pick, u_join = draws[k]
        if u_drop < rates.drop and n - dropped > 1:
            groups.append(_Group((k,), "drop"))
            dropped += 1
            k += 1
            continue
        if u_merge < rates.merge and k + 1 < n:
            merged = _merge_region(text, spans[k], spans[k + 1], u_join, joins)
            if merged:
                region, new = merged
                groups.append(_Group((k, k + 1), "merge", region, new))
                k += 2
                continue
        if u_split < rates.split:
            cut = _split_region(text, spans[k], clause)
            if cut:
                region, new = cut
                groups.append(_Group((k,), "split", region, new))
                k += 1
                continue
        groups.append(_Group((k,)))
        if u_insert < rates.insert and not neutral:
            caption = CAPTIONS[min(int(u_pick * len(CAPTIONS)), len(CAPTIONS) - 1)]
            groups.append(_Group((), "insert", caption=caption))
        k += 1
    for g in groups:
        if g.op == "drop" or not g.idx:
            continue
        lo, hi = spans[g.idx[0]][0], spans[g.idx[-1]][1]
        g.sub_spans = [(lo, g.region[0]), (g.region[1], hi)] if g.region else [(lo, hi)]
    return groups


def _removed_separators(text: str, spans: Sequence[tuple[int, int]], groups: list[_Group]) -> set[int]:
    """For each dropped sentence, the separator that goes with it (indexed by the group it
    precedes): the following one, unless that is a paragraph break or there is none."""
    real = [gi for gi, g in enumerate(groups) if g.idx]
    removed: set[int] = set()
    for pos, gi in enumerate(real):
        if groups[gi].op != "drop":
            continue
        nxt = real[pos + 1] if pos + 1 < len(real) else None
        prv = gi if pos > 0 else None  # the separator before group gi
        following_gap = text[spans[groups[gi].idx[-1]][1] : spans[groups[nxt].idx[0]][0]] if nxt else ""
        choices = [nxt, prv] if nxt is not None and "\n" not in following_gap else [prv, nxt]
        for c in choices:
            if c is not None and c not in removed:
                removed.add(c)
                break
    return removed


#: Builds an Edit (or a Piece) from all its fields without NamedTuple's keyword handling
#: (a hot loop).
_new_edit = _new_piece = tuple.__new__


def build_pieces(
    text: str, spans: Sequence[tuple[int, int]], groups: list[_Group], word_edits: Sequence[Edit], tags: Sequence[str]
) -> list[Piece]:
    """Pieces from the plan and the word/character edits (which lie inside sub-spans)."""
    edits = sorted(word_edits, key=APPLY_ORDER)
    removed = _removed_separators(text, spans, groups)
    pieces: list[Piece] = []
    pos = k_edit = 0
    for gi, g in enumerate(groups):
        if not g.idx:  # an inserted caption: a new line break and a garbled-only group
            pieces.append(Piece("", "\n", [Edit("insert_caption", 0, 0, "", "\n")], False))
            pieces.append(
                Piece(
                    "",
                    g.caption,
                    [Edit("insert_caption", 0, 0, "", g.caption)],
                    True,
                    (),
                    1,
                    tag="caption",
                    op="insert",
                )
            )
            continue
        lo, hi = spans[g.idx[0]][0], spans[g.idx[-1]][1]
        if lo > pos or pieces:
            sep = text[pos:lo]
            if gi in removed:
                pieces.append(Piece(sep, "", [Edit("drop_sentence", 0, len(sep), sep, "")] if sep else [], False))
            else:
                pieces.append(_unchanged(sep))
        own, k_edit = _own_edits(edits, k_edit, lo, hi)
        clean = text[lo:hi]
        tag = tags[g.idx[0]] if len(g.idx) == 1 else next((tags[i] for i in g.idx if tags[i]), "")
        pos = hi
        if g.op == "drop":
            pieces.append(
                Piece(clean, "", [Edit("drop_sentence", 0, len(clean), clean, "")], True, g.idx, 0, tag=tag, op="drop")
            )
            continue
        breaks: tuple[int, ...] = ()
        if g.region:
            rs, rend = g.region[0] - lo, g.region[1] - lo
            own.append(Edit(f"{g.op}_sentence", rs, rend, clean[rs:rend], g.replacement))
            own.sort(key=APPLY_ORDER)
            if g.op == "split":
                breaks = (len(replay_ordered(clean[:rs], [e for e in own if e.end <= rs])) + 2,)  # after ". "
        n_garbled = 2 if g.op == "split" else 1
        garbled = replay_ordered(clean, own) if own else clean
        pieces.append(_new_piece(Piece, (clean, garbled, own, True, g.idx, n_garbled, breaks, 1.0, tag, g.op)))
    if pos < len(text):
        pieces.append(_unchanged(text[pos:]))
    return pieces


def _unchanged(separator: str) -> Piece:
    """The piece of text between groups (or after the last) that the garbling leaves as it is."""
    return _new_piece(Piece, (separator, separator, [], False, (), 0, (), 1.0, "", ""))


def _own_edits(edits: Sequence[Edit], k: int, lo: int, hi: int) -> tuple[list[Edit], int]:
    """The edits (sorted) of ``text[lo:hi]`` from the ``k``-th on, relative to ``lo``,
    and where the next text's edits start."""
    own: list[Edit] = []
    n = len(edits)
    while k < n and edits[k].start < lo:
        k += 1
    while k < n and edits[k].end <= hi:
        op, start, end, before, after = edits[k]
        own.append(_new_edit(Edit, (op, start - lo, end - lo, before, after)))
        k += 1
    return own, k


def garbled_text(pieces: Sequence[Piece]) -> str:
    return "".join(p.garbled for p in pieces)


def clean_text(pieces: Sequence[Piece]) -> str:
    return "".join(p.clean for p in pieces)


def document_edits(pieces: Sequence[Piece]) -> list[Edit]:
    """The pieces' edits in document coordinates (insertions at one place merged)."""
    out: list[Edit] = []
    pos = 0
    for p in pieces:
        for e in p.edits or []:
            shifted = e._replace(start=e.start + pos, end=e.end + pos)
            if out and out[-1].end == shifted.start and out[-1].start == out[-1].end == shifted.start == shifted.end:
                last = out.pop()
                shifted = last._replace(after=last.after + shifted.after)
            out.append(shifted)
        pos += len(p.clean)
    return out


def restructure(
    sentences: Sequence[str], rates: StructureRates, rng: np.random.Generator
) -> list[tuple[list[str], tuple[int, ...]]]:
    """Split, merge, drop and insert on a list of sentences, keeping the true mapping.

    Returns one entry per group: the new sentences and the indices of the input
    sentences they come from (empty for an inserted caption; no new sentence for a
    dropped one). Used to turn real sentence-aligned pairs into alignment tests.
    """
    text, spans, pos = [], [], 0
    for s in sentences:
        spans.append((pos, pos + len(s)))
        text.append(s)
        pos += len(s) + 1
    joined = " ".join(text)
    pieces = build_pieces(joined, spans, plan(joined, spans, rates, rng), [], [""] * len(spans))
    return [(p.garbled_sentences(), p.clean_idx) for p in pieces if p.is_group]
