"""The garbling operations' word lists and tables, read from ``builder/resources/noise/``.

The data lives in those files, apart from the operations, so the realism of the noise can
be tuned (or estimated from real pairs) without touching code; each file's header says
what it holds, its columns and where its entries come from. This module only reads them
and works out what the operations look up (a key's neighbours from the keyboard rows, the
function words from their classes).

What stays here is typography the punctuation operation's patterns are built around, not
vocabulary: the characters that open a quotation, the two quote styles and the dashes.
"""

from __future__ import annotations

from collections.abc import Iterable

from builder.core.resources import ResourceError, read_table, read_words


def _grouped(rows: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Two-column rows as key -> its values, keys and values in file order."""
    out: dict[str, list[str]] = {}
    for key, value in rows:
        out.setdefault(key, []).append(value)
    return {key: tuple(values) for key, values in out.items()}


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    """Key -> its neighbours, for keyboard rows each shifted about half a key right of the
    one above: the key at column i touches columns i and i+1 of the row above and i-1 and
    i of the row below."""
    table: dict[str, str] = {}
    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:
                near += [rows[r - 1][j] for j in (i, i + 1) if j < len(rows[r - 1])]
            if r + 1 < len(rows):
                near += [rows[r + 1][j] for j in (i - 1, i) if 0 <= j < len(rows[r + 1])]
            table[key] = "".join(near)
    return table


def _keyboard() -> dict[str, str]:
    table: dict[str, str] = {}
    for rows in _grouped(read_table("noise/keyboard.tsv", str, str)).values():
        table.update(_neighbours(rows))
    return table


#: Lower-case key -> the keys a finger slips onto (within its group of rows: letters onto
#: letters, digits onto digits).
KEYBOARD: dict[str, str] = _keyboard()

#: OCR confusions as (seen in clean text, read as, relative weight). Case-sensitive.
OCR: tuple[tuple[str, str, float], ...] = read_table("noise/ocr_confusions.tsv", str, str, float)

#: Transliteration-style drift of proper nouns: (rule, shortest name, replacement, regex),
#: matched case-insensitively; deletions never remove a name's first letter.
NAME_RULES: tuple[tuple[str, int, str, str], ...] = read_table("noise/name_rules.tsv", str, int, str, str)

#: Capitalised words that are not names even in mid-sentence: days, months and titles.
NOT_NAMES: frozenset[str] = read_words("noise/not_names.txt")
#: Sentence-initial words that are never the first word of a name run ("The Kremlin").
SENTENCE_STARTERS: frozenset[str] = read_words("noise/sentence_starters.txt")
#: Characters right before a word that make it sentence-initial in form (a quote opens).
OPENERS = "“‘\"'(["

_SHIFT_ROWS = read_table("noise/shift_pairs.tsv", str, str)
#: Character -> the other character of its key (digits and punctuation only, US layout).
SHIFT_PAIRS: dict[str, str] = {**dict(_SHIFT_ROWS), **{high: low for low, high in _SHIFT_ROWS}}

_WORD_CLASSES = {k: frozenset(v) for k, v in _grouped(read_table("noise/function_words.tsv", str, str)).items()}


def _word_class(name: str) -> frozenset[str]:
    if name not in _WORD_CLASSES:
        raise ResourceError(f"noise/function_words.tsv: no rows of class {name!r}")
    return _WORD_CLASSES[name]


# Function words: what machine translation drops, adds and confuses most often.
ARTICLES: frozenset[str] = _word_class("article")
PREPOSITIONS: frozenset[str] = _word_class("preposition")
AUXILIARIES: frozenset[str] = _word_class("auxiliary")
PRONOUNS: frozenset[str] = _word_class("pronoun")
CONJUNCTIONS: frozenset[str] = _word_class("conjunction")
#: What ``function_word_drop`` may leave out (``not`` is not in it: that flips a meaning).
FUNCTION_WORDS: frozenset[str] = ARTICLES | PREPOSITIONS | AUXILIARIES | PRONOUNS | CONJUNCTIONS
#: Words after which an inserted article reads as a translation slip ("in the Kursk").
DETERMINERS: frozenset[str] = _word_class("determiner")
#: Verbs of saying after which MT adds "that" ("said that on Wednesday").
SAYING_VERBS: frozenset[str] = read_words("noise/saying_verbs.txt")
#: Words of a subject phrase that an echo may end at ("Kremlin spokesman Dmitry Peskov said").
ECHO_VERBS: frozenset[str] = read_words("noise/echo_verbs.txt")

#: Wrong senses: lower-case word -> renderings of its other senses (units -> layers).
WRONG_SENSE: dict[str, tuple[str, ...]] = _grouped(read_table("noise/wrong_senses.tsv", str, str))

#: Word calques: lower-case word -> its literal renderings (noncommittal -> non-committed).
CALQUE_WORDS: dict[str, tuple[str, ...]] = _grouped(read_table("noise/calques.tsv", str, str))


def _word_set(field: str) -> frozenset[str]:
    return frozenset(field.split())


#: Productive prefix calques: (prefix, rendering, shortest rest, words left alone).
PREFIX_CALQUES: tuple[tuple[str, str, int, frozenset[str]], ...] = read_table(
    "noise/prefix_calques.tsv", str, str, int, _word_set
)
#: A hyphenated prefix rendered as another ("counter-attack" -> "anti-attack"): word -> rendering.
HYPHEN_PREFIX_CALQUES: dict[str, str] = dict(read_table("noise/hyphen_prefix_calques.tsv", str, str))

#: Idioms and set phrases rendered word for word: (pattern, renderings), in file order.
#: Pattern tokens: a literal word; "a/b/c" alternatives (the rendering's "x/y/z" token takes
#: the same position); "{poss}" and "{refl}" a possessive or reflexive pronoun, copied to the
#: rendering. Case-insensitive.
IDIOMS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(_grouped(read_table("noise/idioms.tsv", str, str)).items())
#: Possessive and reflexive pronouns the idiom placeholders match, as regex alternatives.
IDIOM_SLOTS: dict[str, str] = {
    slot: "|".join(words) for slot, words in _grouped(read_table("noise/idiom_slots.tsv", str, str)).items()
}

# ---------------------------------------------------------------------------------------
# Punctuation style: characters, not vocabulary
# ---------------------------------------------------------------------------------------
#: Quote pairs one style turns into the other.
STRAIGHT_QUOTES = ('"', '"')
CURLY_QUOTES = ("“", "”")
#: Dash renderings: each dash and what a translation system may print instead.
DASHES: dict[str, tuple[str, ...]] = {"—": ("–", "-"), "–": ("—", "-")}
