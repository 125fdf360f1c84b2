"""Put the differences between a clean and a garbled text into edit categories.

The categories are those of ``builder.core.categories``: the names of the garbling
operations. Real pairs and synthetic pairs go through this one function, so their
category rates can be compared, and a profile's rates can drive the operations of the
same names.

How: both texts become tokens (words and single punctuation marks); a Levenshtein
alignment over tokens finds the changed stretches; inside a stretch a small dynamic
programme pairs tokens (substitutions, words run together or broken apart, swapped
neighbours); each pair is then named, looking inside a changed word at character
level (keyboard neighbours, OCR confusions, inserted, deleted or transposed letters).
Each observation keeps what it replaced (``before``, from the clean side) and what it
became (``after``), which is what the profile's substitution tables are made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Indel, Levenshtein

from builder.noise.ops.names import name_variants

# The noise operations' own tables, so that what an operation makes is named after it:
# a word the function-word operations insert is a function word here too, a wrong sense
# or calque from their tables is a wrong_sense or calque, and so on.
from builder.noise.ops.tables import (
    CALQUE_WORDS,
    FUNCTION_WORDS,
    HYPHEN_PREFIX_CALQUES,
    IDIOM_SLOTS,
    IDIOMS,
    KEYBOARD,
    OCR,
    PREFIX_CALQUES,
    SHIFT_PAIRS,
    WRONG_SENSE,
)

TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


class Observation(NamedTuple):
    """One categorised edit: ``before`` (clean side) became ``after`` (garbled side)."""

    category: str
    before: str
    after: str


class Token(NamedTuple):
    text: str
    start: int
    end: int
    space_before: bool  # whitespace between this token and the previous one

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    prev_end = 0
    for m in TOKEN_RE.finditer(text):
        out.append(Token(m.group(), m.start(), m.end(), bool(out) and m.start() > prev_end))
        prev_end = m.end()
    return out


def count_words(text: str) -> int:
    return sum(1 for _ in WORD_RE.finditer(text))


# -- words -----------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _lemmas(word: str) -> frozenset[str]:
    """Dictionary lemmas of ``word`` (lower case); empty for a word lemminflect does not know."""
    from lemminflect import getAllLemmas, getAllLemmasOOV

    found = getAllLemmas(word)
    if not found and word.isalpha() and len(word) > 3:
        # proper adjectives and nouns the dictionary lacks ("Americans"): regular plurals
        found = getAllLemmasOOV(word, "NOUN") if word.lower().endswith("s") else {}
    return frozenset(lemma.lower() for forms in found.values() for lemma in forms)


def same_lemma(a: str, b: str) -> bool:
    """Two different forms of one word (agreement, tense, number, degree)."""
    la, lb = _lemmas(a), _lemmas(b)
    if not la or not lb:
        la, lb = _lemmas(a.lower()), _lemmas(b.lower())
    return bool(la & lb)


def is_function_word(word: str) -> bool:
    return word.lower() in FUNCTION_WORDS


def _known(word: str) -> bool:
    """A dictionary word: a function word or one lemminflect has lemmas for."""
    return is_function_word(word) or bool(_lemmas(word.lower()))


def _is_shift_slip(a: str, b: str) -> bool:
    """Shift held too long ("The" -> "THe") or a digit typed as its symbol ("1" -> "!")."""
    if len(a) == len(b) == 1:
        return SHIFT_PAIRS.get(a) == b
    if len(a) >= 2 and a.lower() == b.lower():
        held = a[0].isupper() and a[1].islower() and b[:2].isupper() and b[2:] == a[2:]
        released = a[:2].isupper() and not a.isupper() and b[0].isupper() and b[1].islower() and b[2:] == a[2:]
        return held or released
    return False


def _keyboard_slip(a: str, b: str) -> bool:
    near = KEYBOARD.get(a.lower())
    return bool(near) and b.lower() in near and a.isupper() == b.isupper()


@lru_cache(maxsize=1 << 12)
def _ocr_rows() -> dict[str, frozenset[str]]:
    rows: dict[str, set[str]] = {}
    for src, dst, _ in OCR:
        rows.setdefault(src, set()).add(dst)
    return {k: frozenset(v) for k, v in rows.items()}


def _chunk_category(before: str, after: str) -> str:
    """The category of one changed stretch of characters inside a word."""
    if before.lower() == after.lower():
        return "case_slip"
    if after in _ocr_rows().get(before, ()):
        return "ocr"
    if len(before) == len(after) == 1:
        if SHIFT_PAIRS.get(before) == after:
            return "shift_slip"
        return "keyboard" if _keyboard_slip(before, after) else "ocr"
    if not before and len(after) == 1:
        return "char_insert"
    if not after and len(before) == 1:
        return "char_delete"
    if len(before) == len(after) == 2 and before == after[::-1]:
        return "char_transpose"
    return "ocr"


def _chunks(a: str, b: str) -> list[tuple[str, str]]:
    """The changed stretches between two spellings of a word, adjacent changes merged."""
    out: list[tuple[int, int, int, int]] = []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        if out and out[-1][1] == op.src_start and out[-1][3] == op.dest_start:
            s, _, d, _ = out.pop()
            out.append((s, op.src_end, d, op.dest_end))
        else:
            out.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return [(a[s:e], b[ds:de]) for s, e, ds, de in out]


def _transposed(a: str, b: str) -> tuple[str, str] | None:
    """The two letters if ``b`` is ``a`` with one adjacent pair swapped."""
    if len(a) != len(b) or a == b:
        return None
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return a[diff[0] : diff[1] + 1], b[diff[0] : diff[1] + 1]
    return None


def _table_pairs(table: dict[str, tuple[str, ...]]) -> frozenset[tuple[str, str]]:
    """(clean, garbled) pairs of a noise table (WRONG_SENSE, CALQUE_WORDS), in lower case."""
    return frozenset((src.lower(), dst.lower()) for src, dsts in table.items() for dst in dsts)


@lru_cache(maxsize=1)
def _sense_tables() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    # counter-attack -> anti-attack: the hyphenated prefixes count as calque pairs too
    return _table_pairs(WRONG_SENSE), _table_pairs(CALQUE_WORDS) | set(HYPHEN_PREFIX_CALQUES.items())


@lru_cache(maxsize=1 << 14)
def calque_forms(word: str) -> frozenset[str]:
    """Literal renderings of ``word`` the calque tables know, in lower case, one or more
    words: a word calque (ceasefire -> fire cessation) or a prefix one (counteroffensive ->
    anti-offensive)."""
    low = word.lower()
    forms = {f for a, f in _sense_tables()[1] if a == low}
    for prefix, rendering, rest, skip in PREFIX_CALQUES:
        if low.startswith(prefix) and len(low) >= len(prefix) + rest and low not in skip:
            forms.add(rendering + low[len(prefix) :])
    return frozenset(forms)


def _possessive(a: str, b: str) -> bool:
    """The same word with and without a possessive ending (Romania / Romania's)."""

    def bare(w: str) -> str:
        return re.sub(r"['’]s?$", "", w)

    return a != b and bare(a) == bare(b)


def _derived(a: str, b: str) -> bool:
    """Two dictionary words sharing a stem, differing in a short ending (historic / historical)."""
    a, b = a.lower(), b.lower()
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return k >= 4 and k >= 0.6 * min(len(a), len(b)) and len(a) - k <= 4 and len(b) - k <= 4 and _known(a) and _known(b)


#: Characters other than ASCII that an ASCII letter matches when case is ignored
#: (``re.IGNORECASE``): where a text holds none, an idiom's words can be looked for in
#: its lower case.
_FOLDS_TO_ASCII = frozenset("\u017f\u0130\u0131\u212a")


class _Idiom(NamedTuple):
    regex: re.Pattern[str]
    renderings: tuple[str, ...]
    alternatives: list[str]
    needle: str  # its longest run of fixed words, lower case: no match without it


@lru_cache(maxsize=1)
def _idioms() -> list[_Idiom]:
    """The noise tables' idioms (``IDIOMS``) compiled: their pattern tokens are a word,
    ``a/b`` alternatives, or a ``{slot}`` (``IDIOM_SLOTS``)."""
    out = []
    for pattern, renderings in IDIOMS:
        parts, alternatives = [], []
        runs: list[list[str]] = [[]]
        for tok in pattern.split(" "):
            if tok.startswith("{"):
                parts.append(f"(?P<{tok[1:-1]}>{IDIOM_SLOTS[tok[1:-1]]})")
                runs.append([])
            elif "/" in tok:
                alternatives = tok.split("/")
                parts.append("(?P<alt>" + "|".join(re.escape(a) for a in alternatives) + ")")
                runs.append([])
            else:
                parts.append(re.escape(tok))
                runs[-1].append(tok)
        regex = re.compile(r"(?<![\w'’-])" + " ".join(parts) + r"(?![\w'’-])", re.IGNORECASE)
        needle = max((" ".join(run) for run in runs), key=len).lower()
        out.append(_Idiom(regex, tuple(renderings), alternatives, needle if needle.isascii() else ""))
    return out


def _render(m: re.Match[str], rendering: str, alternatives: list[str]) -> str:
    alt = alternatives.index(m.group("alt").lower()) if alternatives else 0
    out = []
    for tok in rendering.split(" "):
        if tok.startswith("{"):
            out.append(m.group(tok[1:-1]))
        elif "/" in tok:
            out.append(tok.split("/")[alt])
        else:
            out.append(tok)
    return " ".join(out)


def _undo_idioms(clean: str, garbled: str) -> tuple[str, list[Observation]]:
    """Idioms of ``clean`` rendered word for word in ``garbled`` ("at least" -> "as a
    minimum"): one ``calque`` each, and ``garbled`` with the idiom put back, so the
    word-level comparison does not see the rendering as unrelated words."""
    found = []
    low = garbled.lower()
    folded = clean.lower() if _FOLDS_TO_ASCII.isdisjoint(clean) else None
    for regex, renderings, alternatives, needle in _idioms():
        if folded is not None and needle not in folded:
            continue  # the idiom's fixed words are not in the clean text: it cannot match
        for m in regex.finditer(clean):
            if m.group().lower() in low:
                continue
            for rendering in renderings:
                form = _render(m, rendering, alternatives)
                k = low.find(form.lower())
                if k >= 0:
                    garbled = garbled[:k] + m.group() + garbled[k + len(form) :]
                    low = garbled.lower()
                    found.append(Observation("calque", m.group(), form))
                    break
    return garbled, found


def classify_words(a: str, b: str) -> list[Observation]:
    """Name the change of one clean word ``a`` into one garbled word ``b`` (a != b)."""
    if a.lower() == b.lower():
        return [Observation("shift_slip" if _is_shift_slip(a, b) else "case_slip", a, b)]
    wrong_sense, calques = _sense_tables()
    key = (a.lower(), b.lower())
    if key in wrong_sense:
        return [Observation("wrong_sense", a, b)]
    if key in calques or key[1] in calque_forms(a):
        return [Observation("calque", a, b)]
    if a[0].isupper() and b in name_variants(a):
        return [Observation("name_mangle", a, b)]
    if a.replace("’", "'") == b.replace("’", "'"):  # apostrophe style
        return [Observation("punctuation", a, b)]
    if _possessive(a, b) or same_lemma(a, b) or _derived(a, b):
        return [Observation("inflection", a, b)]
    chunks = _chunks(a, b)
    single = None
    if len(chunks) == 1:
        x, y = chunks[0]
        slip = y in _ocr_rows().get(x, ()) or (len(x) == len(y) == 1 and _keyboard_slip(x, y))
        if len(x) + len(y) <= 4 and (len(x) < len(a) or slip):
            single = (x, y)
    swapped = _transposed(a, b)
    # Two dictionary words are a word choice ("on" / "in", "men" / "women"), unless a long
    # word is one slip away from the other ("organized" / "organised").
    one_slip = swapped or (single and len(single[0]) <= 1 and len(single[1]) <= 1)
    if _known(a) and _known(b) and not (one_slip and len(a) >= 5):
        return [Observation("word_substitute", a, b)]
    if swapped:
        return [Observation("char_transpose", *swapped)]
    if single:
        return [Observation(_chunk_category(*single), *single)]
    similarity = Indel.normalized_similarity(a.lower(), b.lower())
    if a[0].isupper() and b[0].isupper() and similarity >= 0.6:
        return [Observation("name_mangle", a, b)]
    changed = sum(len(x) + len(y) for x, y in chunks)
    if len(chunks) <= 3 and changed <= max(2, len(a) // 3) and similarity >= 0.6:
        return [Observation(_chunk_category(x, y), x, y) for x, y in chunks]
    return [Observation("word_substitute", a, b)]


# -- aligning a changed stretch ----------------------------------------------------------------

_DEL = 1.0
_PUNCT_SUB = 0.6
_MIXED_SUB = 2.5
_JOIN = 0.2
_SWAP = 0.3
_MAX_CELLS = 40_000
_BRIDGE = 2
_SHIFT_SPAN = 3  # tokens a shift slip can split or join on either side


def _sub_cost(a: Token, b: Token) -> float:
    if a.text == b.text:
        return 0.0
    if a.is_word != b.is_word:
        return _MIXED_SUB
    if not a.is_word:
        return _PUNCT_SUB
    return 0.3 + 0.7 * Indel.normalized_distance(a.text.lower(), b.text.lower())


def _joined(parts: Sequence[Token], whole: Token) -> bool:
    return all(p.is_word for p in parts) and whole.is_word and "".join(p.text for p in parts) == whole.text


def _joined_text(toks: Sequence[Token]) -> str:
    return "".join((" " if k and t.space_before else "") + t.text for k, t in enumerate(toks))


def _shifted(c: Sequence[Token], g: Sequence[Token]) -> bool:
    """The tokens read the same but for one character typed with shift held or missed
    ("(Reuters" -> "9Reuters", "don't" -> 'don"t'): a shift slip that moved token borders."""
    return _one_shift(_joined_text(c), _joined_text(g))


def _runs(toks: Sequence[Token]) -> list[list[str]]:
    """Per token ``k``: ``_joined_text`` of tokens k:k+1 .. k:k+_SHIFT_SPAN (as far as they go)."""
    out = []
    for k in range(len(toks)):
        text = toks[k].text
        runs = [text]
        for t in toks[k + 1 : k + _SHIFT_SPAN]:
            text += (" " if t.space_before else "") + t.text
            runs.append(text)
        out.append(runs)
    return out


def _one_shift(a: str, b: str) -> bool:
    """``_shifted`` of two joined texts."""
    if len(a) != len(b) or a == b:
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 1 and SHIFT_PAIRS.get(a[diff[0]]) == b[diff[0]]


def align_stretch(c: Sequence[Token], g: Sequence[Token]) -> list[tuple[int, int, int, int]]:
    """Units (clean i0:i1, garbled j0:j1) of a changed stretch, cheapest pairing first.

    Moves: delete, insert, substitute, two clean words run into one (space_drop), one
    clean word broken into two (space_insert), and two neighbours swapped.
    """
    n, m = len(c), len(g)
    if n * m > _MAX_CELLS:  # a rewritten passage: pair in order, the rest dropped or added
        k = min(n, m)
        return (
            [(i, i + 1, i, i + 1) for i in range(k)]
            + [(i, i + 1, k, k) for i in range(k, n)]
            + [(n, n, j, j + 1) for j in range(k, m)]
        )
    # each token's text, kind and runs with its neighbours, computed once, not per cell
    ct, gt = [t.text for t in c], [t.text for t in g]
    cw = [x[0].isalnum() or x[0] == "_" for x in ct]
    gw = [x[0].isalnum() or x[0] == "_" for x in gt]
    c_low = [x.lower() for x in ct]
    g_low = [x.lower() for x in gt]
    c_runs, g_runs = _runs(c), _runs(g)
    g_runs_low = [[r.lower() for r in runs] for runs in g_runs]
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0

    def relax(i: int, j: int, value: float, move: tuple[int, int]) -> None:
        if value < cost[i][j] - 1e-12:
            cost[i][j] = value
            back[i][j] = move

    # the moves out of each reached cell, in a fixed order (it settles ties)
    for i in range(n + 1):
        row = cost[i]
        if i < n:
            a, a_word = ct[i], cw[i]
            forms = calque_forms(a) if a_word else frozenset()
            shift_first = SHIFT_PAIRS.get(a[0])
        for j in range(m + 1):
            here = row[j]
            if here == inf:
                continue
            if i < n:
                relax(i + 1, j, here + _DEL, (1, 0))
            if j < m:
                relax(i, j + 1, here + _DEL, (0, 1))
            if i >= n:
                continue
            if j < m:
                b = gt[j]
                if a == b:
                    sub = 0.0
                elif a_word != gw[j]:
                    sub = _MIXED_SUB
                elif not a_word:
                    sub = _PUNCT_SUB
                else:
                    sub = 0.3 + 0.7 * Indel.normalized_distance(c_low[i], g_low[j])
                relax(i + 1, j + 1, here + sub, (1, 1))
                if i + 1 < n and a + ct[i + 1] == b and a_word and cw[i + 1] and gw[j]:
                    relax(i + 2, j + 1, here + _JOIN, (2, 1))
                if j + 1 < m and b + gt[j + 1] == a and gw[j] and gw[j + 1] and a_word:
                    relax(i + 1, j + 2, here + _JOIN, (1, 2))
                if (
                    i + 1 < n
                    and j + 1 < m
                    and a_word
                    and cw[i + 1]
                    and a != ct[i + 1]
                    and a == gt[j + 1]
                    and ct[i + 1] == b
                ):
                    relax(i + 2, j + 2, here + _SWAP, (2, 2))
                if forms:
                    for dj in range(2, _SHIFT_SPAN + 1):
                        if j + dj <= m and g_runs_low[j][dj - 1] in forms:
                            relax(i + 1, j + dj, here + _JOIN, (1, dj))
                if a[0] == b[0] or shift_first == b[0]:
                    for di, x in enumerate(c_runs[i], start=1):
                        for dj, y in enumerate(g_runs[j], start=1):
                            if len(x) != len(y) or (di == dj == 1 and a_word == gw[j]):
                                continue
                            if _one_shift(x, y):
                                relax(i + di, j + dj, here + _JOIN, (di, dj))
    units = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]
        units.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    return units[::-1]


# -- whole texts ------------------------------------------------------------------------------


def _blocks(c: list[Token], g: list[Token]) -> list[tuple[str, int, int, int, int]]:
    """Token opcodes, with changes separated by at most ``_BRIDGE`` kept tokens merged into
    one stretch: the token alignment is ambiguous around a swap (insert x, keep y, delete
    x), and the stretch's own alignment then sees the swap."""
    ops: list[list] = []
    for op in Levenshtein.opcodes([t.text for t in c], [t.text for t in g]):
        tag = "equal" if op.tag == "equal" else "change"
        if ops and ops[-1][0] == tag == "change":
            ops[-1][2], ops[-1][4] = op.src_end, op.dest_end
        else:
            ops.append([tag, op.src_start, op.src_end, op.dest_start, op.dest_end])
    k = 0
    while k + 2 < len(ops):
        a, eq, b = ops[k], ops[k + 1], ops[k + 2]
        if a[0] == "change" and b[0] == "change" and eq[2] - eq[1] <= _BRIDGE:
            ops[k : k + 3] = [["change", a[1], b[2], a[3], b[4]]]
            continue
        k += 1
    return [tuple(o) for o in ops]  # type: ignore[misc]


def _duplicate(g: list[Token], j0: int, j1: int) -> bool:
    """Garbled tokens j0:j1 (an insertion) repeat words of the same text: right before or
    after them ("the the"), or, for a phrase of two or more words with a content word in
    it, anywhere else (a subject echoed at the end: "..., Kremlin spokesman Peskov said.")."""
    words = [t.text.lower() for t in g[j0:j1] if t.is_word]
    if not words:
        return False
    run = [t.text.lower() for t in g[j0:j1]]
    k = j1 - j0
    if run in ([t.text.lower() for t in g[max(0, j0 - k) : j0]], [t.text.lower() for t in g[j1 : j1 + k]]):
        return True
    if len(words) < 2 or all(is_function_word(w) for w in words):
        return False
    rest = [t.text.lower() for t in g[:j0] + g[j1:] if t.is_word]
    n = len(words)
    return any(rest[p : p + n] == words for p in range(len(rest) - n + 1))


def _insertions(g: list[Token], j0: int, j1: int) -> list[Observation]:
    if _duplicate(g, j0, j1):
        return [Observation("phrase_duplicate", "", " ".join(t.text for t in g[j0:j1]))]
    out = []
    for t in g[j0:j1]:
        if not t.is_word:
            out.append(Observation("punctuation", "", t.text))
        elif is_function_word(t.text):
            out.append(Observation("function_word_insert", "", t.text))
        else:
            out.append(Observation("word_insert", "", t.text))
    return out


def _deletion(t: Token) -> Observation:
    if not t.is_word:
        return Observation("punctuation", t.text, "")
    if is_function_word(t.text):
        return Observation("function_word_drop", t.text, "")
    return Observation("word_drop", t.text, "")


def _spacing(c: list[Token], g: list[Token], pairs: Iterable[tuple[int, int]]) -> list[Observation]:
    """Spaces lost or added between tokens kept on both sides (``hereof,and``)."""
    out = []
    prev: tuple[int, int] | None = None
    for i, j in pairs:
        if prev == (i - 1, j - 1) and c[i].space_before != g[j].space_before:
            a, b = c[i - 1].text, c[i].text
            if c[i].space_before:
                out.append(Observation("space_drop", f"{a} {b}", f"{a}{b}"))
            else:
                out.append(Observation("space_insert", f"{a}{b}", f"{a} {b}"))
        prev = (i, j)
    return out


def _unit(c: list[Token], g: list[Token], ci: int, na: int, gi: int, nb: int) -> list[Observation]:
    """The observations of one aligned unit: clean tokens ci:ci+na against garbled gi:gi+nb."""
    if nb == 0:
        return [_deletion(t) for t in c[ci : ci + na]]
    if na == 1 and nb == 1 and c[ci].is_word == g[gi].is_word:
        a, b = c[ci].text, g[gi].text
        if not c[ci].is_word:
            return [Observation("shift_slip" if SHIFT_PAIRS.get(a) == b else "punctuation", a, b)]
        return classify_words(a, b)
    if na == 1 and _joined_text(g[gi : gi + nb]).lower() in calque_forms(c[ci].text):
        return [Observation("calque", c[ci].text, _joined_text(g[gi : gi + nb]))]
    if _shifted(c[ci : ci + na], g[gi : gi + nb]):
        return [Observation("shift_slip", _joined_text(c[ci : ci + na]), _joined_text(g[gi : gi + nb]))]
    if na == 2 and nb == 1:
        return [Observation("space_drop", f"{c[ci].text} {c[ci + 1].text}", g[gi].text)]
    if na == 1 and nb == 2:
        return [Observation("space_insert", c[ci].text, f"{g[gi].text} {g[gi + 1].text}")]
    if na == 2 and nb == 2:  # swapped neighbours
        return [Observation("word_swap", f"{c[ci].text} {c[ci + 1].text}", f"{g[gi].text} {g[gi + 1].text}")]
    return [_deletion(t) for t in c[ci : ci + na]] + _insertions(g, gi, gi + nb)  # not reached


def categorize(clean: str, garbled: str) -> list[Observation]:
    """Every edit turning ``clean`` into ``garbled``, categorised (spacing changes first)."""
    if clean == garbled:
        return []
    garbled, out = _undo_idioms(clean, garbled)
    c, g = tokens(clean), tokens(garbled)
    kept: list[tuple[int, int]] = []  # aligned identical tokens, for the spacing check
    for tag, i0, i1, j0, j1 in _blocks(c, g):
        if tag == "equal":
            kept += [(i0 + k, j0 + k) for k in range(i1 - i0)]
            continue
        inserted: tuple[int, int] | None = None  # a run of inserted garbled tokens
        for a0, a1, b0, b1 in align_stretch(c[i0:i1], g[j0:j1]):
            ci, gi, na, nb = i0 + a0, j0 + b0, a1 - a0, b1 - b0
            if na == 0:
                inserted = (inserted[0] if inserted else gi, gi + nb)
                continue
            if inserted:
                out += _insertions(g, *inserted)
                inserted = None
            if na == nb == 1 and c[ci].text == g[gi].text:
                kept.append((ci, gi))
            else:
                out += _unit(c, g, ci, na, gi, nb)
        if inserted:
            out += _insertions(g, *inserted)
    kept.sort()
    return _spacing(c, g, kept) + out if kept else out
