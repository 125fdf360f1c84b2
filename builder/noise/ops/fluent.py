"""Keeping word operations fluent: what reads naturally next to a word's neighbours.

Machine translation chooses wrong words that still read; word salad ("made a the of
error") is not what it makes. The word operations ask here before they act: the word
pairs an edit leaves must be pairs the recipe's bigram table (``Context.bigrams``,
``builder.noise.bigrams``) knows, and among several choices the likelier in context is
the likelier pick. With no table (``bigrams: none``) every choice fits and weighs as
before. Neighbours are the words of the same sentence, case-folded; a sentence's start
and end count as words of their own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from builder.noise.bigrams import END, START, Bigrams
from builder.noise.ops.context import Context

#: How much less likely than what it replaces a choice may be, in its place, per word pair
#: (a geometric mean, so an inserted word is not held to one pair more than the text).
LIKELY = 0.3


#: Option lists longer than this (a profile's tables) are indexed by first word, once.
_LONG = 16


class _Options(NamedTuple):
    """A long list of options, indexed once: each option's case-folded words, and the
    options by first word (an empty option, a word dropped, under ""), apart for options
    of one word (which must also be a word the table has before the right neighbour)."""

    options: Sequence[str]
    split: list[list[str]]
    single: dict[str, list[int]]
    longer: dict[str, list[int]]
    single_firsts: frozenset[str]
    longer_firsts: frozenset[str]


_SPLIT: dict[int, _Options] = {}


def _split(options: Sequence[str]) -> _Options:
    found = _SPLIT.get(id(options))
    if found is None or found.options is not options:
        split = [o.casefold().split() for o in options]
        single: dict[str, list[int]] = {}
        longer: dict[str, list[int]] = {}
        for k, words in enumerate(split):
            (single if len(words) == 1 else longer).setdefault(words[0] if words else "", []).append(k)
        found = _SPLIT[id(options)] = _Options(options, split, single, longer, frozenset(single), frozenset(longer))
    return found


def _per_pair(table: Bigrams, words: Sequence[str]) -> float:
    return table.likelihood(words) ** (1.0 / max(1, len(words) - 1))


class _Written:
    """What the word operations have written so far in a batch, so that a choice is judged
    against its neighbours as they now read ("in the" -> "the the" is seen): words
    replaced (index -> new words), words added after a word (index -> new words), and
    words dropped."""

    def __init__(self) -> None:
        self.replaced: dict[int, list[str]] = {}
        self.added: dict[int, list[str]] = {}
        self.dropped: set[int] = set()


def _written(ctx: Context) -> _Written:
    found = ctx.memo.get("fluent_written")
    if found is None:
        found = ctx.memo["fluent_written"] = _Written()
    return found


def replaced(ctx: Context, i: int, new: str) -> None:
    """Note that word ``i`` now reads ``new``."""
    _written(ctx).replaced[i] = new.casefold().split()


def added(ctx: Context, i: int, new: str) -> None:
    """Note that ``new`` now stands after word ``i``."""
    _written(ctx).added[i] = new.casefold().split()


def dropped(ctx: Context, i: int) -> None:
    """Note that word ``i`` is gone."""
    _written(ctx).dropped.add(i)


def current(ctx: Context, i: int) -> str:
    """Word ``i`` as it now reads (case-folded; its last word if it became several)."""
    now = _written(ctx).replaced.get(i)
    return now[-1] if now else ctx.word(i).casefold()


def before(ctx: Context, i: int) -> str:
    """The word before word ``i`` in its sentence as the text now reads (case-folded), or
    the sentence start."""
    if i == 0 or not ctx.has_next[i - 1]:
        return START
    written = _written(ctx)
    if written.added.get(i - 1):
        return written.added[i - 1][-1]
    return current(ctx, i - 1)


def after(ctx: Context, i: int) -> str:
    """The word after word ``i`` in its sentence as the text now reads (case-folded), or
    the sentence end."""
    written = _written(ctx)
    if written.added.get(i):
        return written.added[i][0]
    if not ctx.has_next[i]:
        return END
    now = written.replaced.get(i + 1)
    return now[0] if now else ctx.word(i + 1).casefold()


def alone(ctx: Context, i: int, before: bool = True, after: bool = True) -> bool:
    """Whether the neighbours of word ``i`` are still there: beside a dropped word, the
    text's next word is not known here, so nothing is judged (or done) there. Only
    checked with a table (without one, operations keep to their old behaviour)."""
    if ctx.bigrams is None:
        return True
    gone = _written(ctx).dropped
    if before and i > 0 and ctx.has_next[i - 1] and (i - 1) in gone:
        return False
    return not (after and ctx.has_next[i] and (i + 1) in gone)


def word_for(ctx: Context, i: int, options: Sequence[str], u: float) -> str | None:
    """One of ``options`` (equally weighed) in place of word ``i``, drawn by ``u`` among
    those that read well there, and noted as written; None when none does."""
    if not options or not alone(ctx, i):
        return None
    k = choose(ctx, before(ctx, i), after(ctx, i), options, [1.0] * len(options), u)
    if k < 0:
        return None
    replaced(ctx, i, options[k])
    return options[k]


def free_gap(ctx: Context, i: int) -> bool:
    """Whether nothing was added after word ``i`` yet (one word added per gap)."""
    return ctx.bigrams is None or not _written(ctx).added.get(i)


def fits(ctx: Context, words: Sequence[str]) -> bool:
    """Whether the run ``words`` (case-folded, neighbours included) reads as clean English."""
    table = ctx.bigrams
    return table is None or table.fits(words)


def choose(
    ctx: Context,
    left: str,
    right: str,
    options: Sequence[str],
    counts: Sequence[float],
    u: float,
    current: str | None = None,
) -> int:
    """The index of the option (a word or words, any case) to put between ``left`` and
    ``right``, drawn by ``u`` in proportion to its count times how likely it is there;
    options that do not fit are left out. -1 when none fits.

    ``current`` is what stands there now (a word, or "" for nothing): an option far less
    likely in this place than it (``LIKELY`` times, per word pair) is left out too, so a
    choice reads about as naturally as the text it replaces ("troops to destroy" ->
    "troops and destroy" does not)."""
    key = (id(options), left, right, current)
    memo = ctx.memo.setdefault("fluent_choices", {})
    found = memo.get(key)
    if found is None:  # the same word between the same neighbours is judged once a batch
        # (the options are kept with the result, so their id cannot be reused meanwhile)
        found = memo[key] = (options, *_fitting(ctx.bigrams, left, right, options, counts, current))
    _, index, cum = found
    if not index:
        return -1
    return index[min(bisect_right(cum, u * cum[-1]), len(index) - 1)]


def _fitting(
    table: Bigrams | None,
    left: str,
    right: str,
    options: Sequence[str],
    counts: Sequence[float],
    current: str | None,
) -> tuple[list[int], list[float]]:
    """The options that fit between ``left`` and ``right`` and their cumulative weights."""
    if table is not None and current == "" and not (table.known(left) and table.known(right)):
        return [], []  # a word added next to a name or a rare word cannot be judged: none is
    floor = 0.0
    if table is not None and current is not None:
        floor = LIKELY * _per_pair(table, [left, *current.casefold().split(), right])
    cum: list[float] = []
    index: list[int] = []
    total = 0.0
    # a long list of options is cut first to the words the table has beside the neighbours
    # (a word never seen next to a known neighbour cannot fit)
    after_left = table.followers.get(left, frozenset()) if table and table.known(left) else None
    before_right = table.leaders.get(right, frozenset()) if table and table.known(right) else None
    ks: Iterable[int] = range(len(options))
    if len(options) > _LONG:
        indexed = _split(options)
        split = indexed.split
        if after_left is not None:  # set intersections, in C, over the smaller sets
            singles = indexed.single_firsts & after_left
            if before_right is not None:  # a one-word option must also lead to the right neighbour
                singles &= before_right
            near = [k for w in singles for k in indexed.single[w]]
            near += (k for w in indexed.longer_firsts & after_left for k in indexed.longer[w])
            ks = sorted([*indexed.longer.get("", ()), *near])
    else:
        split = [o.casefold().split() for o in options]
    for k in ks:
        count, words = counts[k], split[k]
        if count <= 0:
            continue
        if words and before_right is not None and words[-1] not in before_right:
            continue
        if table is not None:
            if not words:
                if not table.pair_fits(left, right):
                    continue
                weight = count
            else:
                # a word the table never saw is no choice: an invented form, a rare
                # word, a slip of the pairs a table was learned from ("the" -> "Khanda")
                if not all(table.words.get(w, 0) for w in words):
                    continue
                if not table.fits([left, *words, right]):
                    continue
                if floor and _per_pair(table, [left, *words, right]) < floor:
                    continue
                weight = count * table.weight(left, words[0], right if len(words) == 1 else words[1])
        else:
            weight = count
        total += weight
        cum.append(total)
        index.append(k)
    return index, cum
