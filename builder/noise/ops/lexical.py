"""Word-choice noise of machine translation round trips: wrong forms, wrong senses and
literal renderings.

- ``inflection``: another form of the same lemma (were -> was, has -> have,
  borders -> border), from the ``lemminflect`` tables (shipped with the package).
- ``wrong_sense``: a translation of another sense of the word (units -> layers,
  court -> yard), from ``tables.WRONG_SENSE``.
- ``calque``: a literal rendering: of a word (noncommittal -> non-committed), of a prefix
  (counteroffensive -> anti-offensive) or of an idiom, word for word (the ball is in
  their court -> ball is in their yard), from the ``tables.CALQUE_*`` and ``IDIOMS``.

Words that look like names (capitalised mid-sentence, all caps) are never touched.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from builder.core.edits import Edit
from builder.noise.ops import fluent
from builder.noise.ops.base import Context, NoiseOp, pick
from builder.noise.ops.shared import WordTable, claim, recase, word_key, word_keys, words_between
from builder.noise.ops.tables import (
    AUXILIARIES,
    CALQUE_WORDS,
    DETERMINERS,
    FUNCTION_WORDS,
    HYPHEN_PREFIX_CALQUES,
    IDIOM_SLOTS,
    IDIOMS,
    PREFIX_CALQUES,
    WRONG_SENSE,
)

# ---------------------------------------------------------------------------------------
# inflection
# ---------------------------------------------------------------------------------------

#: Forms of "be" a slip turns into each other (lemminflect's "am", "be", "been" and
#: "being" make no plausible agreement or tense slip, so they are left out).
_BE: dict[str, tuple[str, ...]] = {
    "is": ("are", "was"),
    "are": ("is", "were"),
    "was": ("were", "is"),
    "were": ("was", "are"),
}
#: Auxiliaries with forms to slip between; modals (will, can, must, ...) have none.
_INFLECTING_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "do", "does", "did"})
#: Penn tag of a word -> the tags of the slips it may turn into (agreement, then tense).
#: A participle in -ing is left alone: "the remaining units" -> "the remain units" is not
#: a slip a translation makes.
_VERB_SLIPS: dict[str, tuple[str, ...]] = {
    "VBZ": ("VBP", "VBD"),
    "VBP": ("VBZ", "VBD"),
    "VBD": ("VBD", "VBZ", "VBP", "VBN"),
    "VBN": ("VBD", "VB"),
    "VB": ("VBZ", "VBD"),
}
_NOUN_SLIPS: dict[str, tuple[str, ...]] = {"NN": ("NNS",), "NNS": ("NN",)}
_NO_INFLECTION = WordTable((FUNCTION_WORDS - _INFLECTING_AUX) | DETERMINERS | {"not", "no", "also", "only"})


@lru_cache(maxsize=1 << 17)
def inflections(word: str) -> tuple[str, ...]:
    """Other forms of ``word``'s lemma that make an agreement or tense slip (lower case):
    another person or tense of a verb, the other number of a noun. Empty when lemminflect
    does not know the word. Cached: a pure function of the word."""
    w = word.lower()
    if w in _BE:
        return _BE[w]
    if not w.isalpha():
        return ()
    from lemminflect import getAllInflections, getAllLemmas  # loads its tables on first use

    lemmas = getAllLemmas(w)
    if w in AUXILIARIES:
        lemmas = {u: ls for u, ls in lemmas.items() if u in ("AUX", "VERB")}
    modifier = "ADJ" in lemmas or "ADV" in lemmas
    out: list[str] = []
    # A noun reading first: a word that is a noun and a verb ("troops", "attacks") slips
    # in number, not into a verb form nobody would write ("trooped").
    for upos in [u for u in ("NOUN", "AUX", "VERB") if u in lemmas]:
        found = lemmas[upos]
        if out:
            break
        slips = _NOUN_SLIPS if upos == "NOUN" else _VERB_SLIPS
        for lemma in found:
            if lemma == "be":
                continue
            forms = getAllInflections(lemma, upos=upos)
            own = [tag for tag, fs in forms.items() if w in fs and tag in slips]
            if upos != "NOUN" and modifier and set(own) <= {"VB", "VBP"}:
                continue  # an adjective that is also a verb ("major", "free"): not a verb here
            for tag in own:
                for target in slips[tag]:
                    fs = forms.get(target)
                    if fs and fs[0] != w and fs[0] not in out and fs[0].isalpha():
                        out.append(fs[0])
    return tuple(out)


class Inflection(NoiseOp):
    """Agreement and tense slips: a word replaced by another form of its lemma ("were" ->
    "was", "has" -> "have", "borders" -> "border", "pushed" -> "pushes").

    Eligible are words that are not names and not uninflected function words; a word
    lemminflect does not know (or an adjective, an adverb) is declined, so the share of
    words changed is below the operation's probability.
    """

    name = "inflection"
    min_len = 2

    def eligible(self, ctx: Context) -> np.ndarray:
        return (ctx.lengths >= self.min_len) & ~ctx.is_name & ~_NO_INFLECTION.mask(ctx)

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        new = fluent.word_for(ctx, i, inflections(w), u[0])
        return None if new is None else Edit(self.name, ctx.starts[i], ctx.ends[i], w, recase(w, new))


# ---------------------------------------------------------------------------------------
# wrong_sense
# ---------------------------------------------------------------------------------------

_SENSES = WordTable(WRONG_SENSE)


class WrongSense(NoiseOp):
    """A word replaced by the translation of another of its senses, as a round trip through
    another language renders it: "units" -> "layers", "post" -> "position", "court" ->
    "yard", "peace" -> "world". Only words in ``tables.WRONG_SENSE``; case is kept.

    Function words confused with each other (a/the, of/in, he/it) are the category
    ``word_substitute``, not this one, so this operation leaves them alone.
    """

    name = "wrong_sense"

    def eligible(self, ctx: Context) -> np.ndarray:
        return _SENSES.mask(ctx) & ~ctx.is_name

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        new = fluent.word_for(ctx, i, WRONG_SENSE[w.lower()], u[0])
        return None if new is None else Edit(self.name, ctx.starts[i], ctx.ends[i], w, recase(w, new))


# ---------------------------------------------------------------------------------------
# calque
# ---------------------------------------------------------------------------------------

_CALQUE_WORDS = WordTable(CALQUE_WORDS)


def _prefix_bits(prefix: str) -> int:
    """The bits of a word key that hold the first ``len(prefix)`` characters."""
    return (1 << (6 * len(prefix))) - 1


_HYPHEN_PREFIXES = WordTable(HYPHEN_PREFIX_CALQUES)
#: (prefix, rendering, shortest word, words left alone, key bits of the prefix)
_PREFIX_RULES = [
    (prefix, rendering, len(prefix) + rest, WordTable(skip), np.uint64(word_key(prefix) & _prefix_bits(prefix)))
    for prefix, rendering, rest, skip in PREFIX_CALQUES
]
_WORD_EDGE_BEFORE = r"(?<![\w'’-])"
_WORD_EDGE_AFTER = r"(?![\w'’-])"


class _Idiom:
    """One idiom pattern compiled: its regex, key word and renderings."""

    def __init__(self, pattern: str, renderings: tuple[str, ...]):
        parts = []
        literals: list[tuple[str, int]] = []  # (word, how many words come before it)
        words_before = 0
        self.alternatives: list[str] = []
        for tok in pattern.split(" "):
            if tok.startswith("{"):
                slot = tok[1:-1]
                parts.append(f"(?P<{slot}>{IDIOM_SLOTS[slot]})")
            elif "/" in tok:
                self.alternatives = tok.split("/")
                parts.append("(?P<alt>" + "|".join(re.escape(a) for a in self.alternatives) + ")")
            else:
                parts.append(re.escape(tok))
                if tok.isalpha():
                    literals.append((tok, words_before))
            words_before += 1 if tok.startswith("{") or "/" in tok else len(re.findall(r"\w+", tok))
        self.regex = re.compile(_WORD_EDGE_BEFORE + " ".join(parts) + _WORD_EDGE_AFTER, re.IGNORECASE)
        #: The longest plain word, found with a table lookup; the idiom starts ``offset``
        #: words before it.
        keyword, self.offset = max(literals, key=lambda x: len(x[0]))
        self.keyword = keyword.lower()
        self.renderings = renderings
        for r in renderings:
            for tok in r.split(" "):
                if "/" in tok and len(tok.split("/")) != len(self.alternatives):
                    raise ValueError(f"idiom {pattern!r}: rendering {r!r} has another number of alternatives")

    def render(self, m: re.Match[str], u: float) -> str:
        out = []
        alt = self.alternatives.index(m.group("alt").lower()) if self.alternatives else 0
        for tok in pick(self.renderings, u).split(" "):
            if tok.startswith("{"):
                out.append(m.group(tok[1:-1]))
            elif "/" in tok:
                out.append(tok.split("/")[alt])
            else:
                out.append(tok)
        return recase(m.group()[0], " ".join(out))


_IDIOMS = [_Idiom(p, r) for p, r in IDIOMS]
_IDIOMS_BY_KEYWORD: dict[str, list[_Idiom]] = {}
for _idiom in _IDIOMS:
    _IDIOMS_BY_KEYWORD.setdefault(_idiom.keyword, []).append(_idiom)
_IDIOM_KEYWORDS = WordTable(_IDIOMS_BY_KEYWORD)


def _prefix_mask(ctx: Context) -> np.ndarray:
    keys = word_keys(ctx)
    out = np.zeros(ctx.n, dtype=bool)
    for prefix, _, min_len, skip, key in _PREFIX_RULES:
        out |= ((keys & np.uint64(_prefix_bits(prefix))) == key) & (ctx.lengths >= min_len) & ~skip.mask(ctx)
    return out


class Calque(NoiseOp):
    """A literal rendering, as a translation system makes when it carries a word, a prefix
    or an idiom over piece by piece.

    - a word: "noncommittal" -> "non-committed", "ceasefire" -> "fire cessation"
      (``tables.CALQUE_WORDS``);
    - a prefix: "counteroffensive" -> "anti-offensive", "counter-attack" -> "anti-attack"
      (``tables.PREFIX_CALQUES``, ``HYPHEN_PREFIX_CALQUES``);
    - an idiom, matched inside one sentence: "the ball is in their court" -> "ball is in
      their yard", "get ahead of itself" -> "preempt itself" (``tables.IDIOMS``). The edit
      spans the idiom; all its words must be free.

    The word an idiom starts with is its anchor: picking it renders the whole idiom.
    """

    name = "calque"

    def _idioms(self, ctx: Context) -> dict[int, list[tuple[_Idiom, re.Match[str]]]]:
        """Idiom matches in the document, by the index of their first word."""
        found: dict[int, list[tuple[_Idiom, re.Match[str]]]] = ctx.memo.get("calque:idioms")  # type: ignore[assignment]
        if found is not None:
            return found
        found = {}
        for c in np.flatnonzero(_IDIOM_KEYWORDS.mask(ctx)).tolist():
            for idiom in _IDIOMS_BY_KEYWORD.get(ctx.word(c).lower(), ()):
                first = c - idiom.offset
                if first < 0 or ctx.sent[first] != ctx.sent[c]:
                    continue
                m = idiom.regex.match(ctx.text, ctx.starts[first], ctx.span_of(c)[1])
                if m is not None:
                    found.setdefault(first, []).append((idiom, m))
        ctx.memo["calque:idioms"] = found
        return found

    def eligible(self, ctx: Context) -> np.ndarray:
        out = _CALQUE_WORDS.mask(ctx) | _prefix_mask(ctx)
        hyphen = _HYPHEN_PREFIXES.mask(ctx)
        if hyphen.any():
            ends = np.asarray(ctx.ends, dtype=np.int64)
            ok = ends < len(ctx.text)
            dash = np.zeros(ctx.n, dtype=bool)
            dash[ok] = ctx._chars[ends[ok]] == ord("-")
            out |= hyphen & dash & ctx.has_next
        idioms = self._idioms(ctx)
        if idioms:
            out[list(idioms)] = True
        return out & ~ctx.is_name

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        matches = self._idioms(ctx).get(i)
        if matches:
            idiom, m = pick(matches, u[1])
            words = words_between(ctx, m.start(), m.end())
            if not all(ctx.free(j) for j in words[1:]):
                return None
            marks = [p for p in range(m.start(), m.end()) if not ctx.text[p].isalnum() and not ctx.text[p].isspace()]
            if not claim(ctx, marks):  # e.g. the hyphen of "wake-up"
                return None
            ctx.taken[words.start : words.stop] = True
            return Edit(self.name, m.start(), m.end(), m.group(), idiom.render(m, u[0]))
        w = ctx.word(i)
        low = w.lower()
        new = None
        if low in CALQUE_WORDS:
            new = pick(CALQUE_WORDS[low], u[0])
        elif low in HYPHEN_PREFIX_CALQUES and ctx.text.startswith("-", ctx.ends[i]):
            new = HYPHEN_PREFIX_CALQUES[low]
        else:
            for prefix, rendering, min_len, skip, _ in _PREFIX_RULES:
                if low.startswith(prefix) and len(low) >= min_len and low not in skip:
                    rest = low[len(prefix) :].lstrip("-")
                    new = rendering + rest
                    break
        if new is None:
            return None
        return Edit(self.name, ctx.starts[i], ctx.ends[i], w, recase(w, new))
