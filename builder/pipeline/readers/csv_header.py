"""Whether a CSV file's first row names its columns, and names for a file without one.

A file without a header row used to lose its first article to the header. With
``source.header=auto`` the first row is a header when its cells look like column
names: short, unique, not empty, not sentences, not numbers, and not shaped like the
values below them (``r1`` over ``r2``, ``r3``). A file without a header and without
``source.columns`` gets its columns named from what they hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from statistics import mean

from builder.core.errors import ConfigError

_NUMBER = re.compile(r"[-+]?\d+([.,]\d+)*")
LONGEST_NAME = 40
#: A column is article text when its values average this many characters and words.
TEXT_CHARS, TEXT_WORDS = 40, 6
#: ... and it is "the" text column when it is this many times longer than any other.
TEXT_DOMINANCE = 4


def looks_like_header(cells: list[str], sample: list[list[str]], known: set[str]) -> bool:
    """Whether ``cells`` (the first row) names the columns of the ``sample`` rows below it."""
    names = [c.strip() for c in cells]
    if not names or not all(names):
        return False
    if any(n.lower() in known for n in names):
        return True
    if len(set(names)) < len(names) or any(not _name_like(n) for n in names):
        return False
    return not any(_same_shape(n, [row[i] for row in sample if i < len(row)]) for i, n in enumerate(names))


def _name_like(cell: str) -> bool:
    return (
        len(cell) <= LONGEST_NAME
        and len(cell.split()) <= 3
        and cell[-1] not in ".!?\"'"
        and not _NUMBER.fullmatch(cell)
    )


def _shape(text: str) -> str:
    return re.sub(r"[^\W\d_]", "a", re.sub(r"\d", "0", text.strip()))


def _same_shape(cell: str, below: list[str]) -> bool:
    """``cell`` has digits and every value below has its letter/digit pattern: an id."""
    shape = _shape(cell)
    return "0" in shape and bool(below) and all(_shape(v) == shape for v in below)


def guess_columns(sample: list[list[str]], width: int, file: str) -> list[str]:
    """Names for the columns of a file without a header row: the one long-text column
    (else the longest column) is ``clean``, the first column of short unique id-like
    values is ``doc_id``, the rest are ``column_N``. Raises ConfigError when several
    columns read like articles and none stands out: which is garbled and which clean
    is for the user to say."""
    columns = [[row[i] for row in sample if len(row) == width] for i in range(width)]
    lengths = [mean(len(v) for v in col) if col else 0.0 for col in columns]
    texts = [i for i, col in enumerate(columns) if _is_text(col)]
    texts.sort(key=lambda i: -lengths[i])
    if not texts:
        # Nothing reads like an article (short texts, or junk): the longest column is the
        # text, and what it holds is judged like any other record's text (no_text, too short).
        texts = [max(range(width), key=lambda i: (lengths[i], -i))] if width else []
    if not texts or (len(texts) > 1 and lengths[texts[0]] < TEXT_DOMINANCE * lengths[texts[1]]):
        what = "no column" if not texts else f"columns {', '.join(str(i + 1) for i in sorted(texts))} all"
        raise ConfigError(
            f"{file} has no header row and {what} look like the article text: name the columns with "
            f"source.columns=[...] (e.g. source.columns=[id,garbled,clean]) or add a header row"
        )
    names = [f"column_{i + 1}" for i in range(width)]
    names[texts[0]] = "clean"
    ids = [i for i, col in enumerate(columns) if i != texts[0] and _is_id(col)]
    if ids:
        names[ids[0]] = "doc_id"
    return names


def _is_text(values: list[str]) -> bool:
    return (
        bool(values)
        and mean(len(v) for v in values) >= TEXT_CHARS
        and mean(len(v.split()) for v in values) >= TEXT_WORDS
    )


def _is_id(values: list[str]) -> bool:
    return (
        bool(values)
        and len(set(values)) == len(values)
        and all(v and len(v) <= LONGEST_NAME and not any(c.isspace() for c in v) for v in values)
    )


def unique_names(cells: Iterable[str]) -> list[str]:
    """Header cells as field names: blanks become ``column_N``, repeats get ``_2``, ``_3``."""
    names: list[str] = []
    for i, cell in enumerate(cells):
        base = cell.strip() or f"column_{i + 1}"
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
    return names
