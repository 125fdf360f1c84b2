"""Proper-noun drift, as names come out of machine translation or transliteration.

Witkoff -> Witkov, Sudzha -> Suda, Loeb -> Roeb, Joly -> Jolie, Zelenskyy -> Zelensky.
Only mid-sentence name words are touched, and the initial capital is kept, so the word
still reads as a name: the restoration model has to learn which name was meant.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np

from builder.core.edits import Edit
from builder.noise.ops.base import Context, NoiseOp, pick
from builder.noise.ops.tables import NAME_RULES

#: (rule, compiled pattern, replacement, shortest name it applies to), in table order.
_RULES = [(rule, re.compile(pattern, re.IGNORECASE), repl, min_len) for rule, min_len, repl, pattern in NAME_RULES]


def _recase(matched: str, repl: str) -> str:
    """Give the replacement the case of the text it replaces (L -> R, ZH -> Z)."""
    if not repl or not matched[0].isupper():
        return repl
    if len(matched) > 1 and matched.isupper():
        return repl.upper()
    return repl[0].upper() + repl[1:]


def _finish(word: str, out: str) -> str:
    if word.isupper() and len(word) > 1:
        return out.upper()
    if word[0].isupper() and out and not out[0].isupper():
        return out[0].upper() + out[1:]
    return out


@lru_cache(maxsize=1 << 16)
def _rule_variants(word: str) -> tuple[tuple[str, ...], ...]:
    """For each applicable rule, the spellings it can give (one per match position).

    Cached: news repeats its names, and this is a pure function of the word.
    """
    out: list[tuple[str, ...]] = []
    for _, rx, repl, min_len in _RULES:
        if len(word) < min_len:
            continue
        forms = []
        for m in rx.finditer(word):
            new = _recase(m.group(), m.expand(repl))
            forms.append(_finish(word, word[: m.start()] + new + word[m.end() :]))
        forms = [f for f in forms if f and f != word]
        if forms:
            out.append(tuple(forms))
    return tuple(out)


def name_variants(word: str) -> set[str]:
    """Every spelling ``name_mangle`` can turn ``word`` into (for tests and inspection)."""
    return {f for forms in _rule_variants(word) for f in forms}


def mangle(word: str, u_rule: float, u_pos: float) -> str | None:
    """One drift of ``word``: a rule chosen uniformly, then one place it applies."""
    options = _rule_variants(word)
    if not options:
        return None
    return pick(pick(options, u_rule), u_pos)


class NameMangle(NoiseOp):
    """Transliteration-style drift of a proper noun (only mid-sentence name words).

    Each mention of a name is picked on its own (probability as for any word).
    ``consistent`` says how the picked mentions of one name drift:

    - ``true`` (the default): the first picked mention draws a spelling and every other
      picked mention of that name in the document gets the same one, as one translation
      system carrying a whole document does (Witkoff -> Witkov, twice in the seed article).
      The default because a consistent name is what most synthetic pairs should show, and
      what the ``names`` recipe always meant.
    - ``false``: every picked mention draws its own rule and position, independently of
      the others, so one document may hold several spellings of one name, as text
      translated sentence by sentence does (in the seed article, Sudzha -> Suda, Skascha,
      Sudasuha; Joly -> Jolly, Jolie). The ``rtt`` recipe uses this.
    """

    name = "name_mangle"
    params: ClassVar[dict[str, Any]] = {"consistent": True}
    min_len = 2

    def eligible(self, ctx: Context) -> np.ndarray:
        return ctx.is_name & ctx.capitalised & ~ctx.initial & (ctx.lengths >= self.min_len)

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        if not self.consistent:
            new = mangle(w, u[0], u[1])
        else:
            seen: dict[tuple[int, str], str | None] = ctx.memo.setdefault(self.name, {})
            key = (int(ctx.doc[i]), w)  # one spelling per document, not per batch
            if key not in seen:
                seen[key] = mangle(w, u[0], u[1])
            new = seen[key]
        if new is None:
            return None
        return Edit(self.name, ctx.starts[i], ctx.ends[i], w, new)
