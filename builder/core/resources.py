"""Where the package's own data files live, and the one reader of its word lists and tables.

The files are inside the package, so an installed wheel has them as a clone does.

Word lists and tables are plain UTF-8 text: one entry per line, columns separated by a
tab. A line whose first non-blank character is ``#`` is a comment, and a blank line is
skipped; each file opens with comment lines saying what it is, its columns, what reads it
and where its entries come from. There are no inline comments and no quoting: ``#`` or
``"`` inside an entry is data. An entry never starts or ends with a space, so a stray
space left by an editor is an error, not a silent new word.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Word lists, tables, bundled profiles and the sample's real article pair.
RESOURCES_DIR = PACKAGE_DIR / "resources"
#: The Hydra config tree (``pkg://builder.conf``); its ``noise/`` group holds the recipes.
CONF_DIR = PACKAGE_DIR / "conf"
#: The embedded sample's real garbled article and its clean restoration.
SAMPLE_DIR = RESOURCES_DIR / "sample"


class ResourceError(ValueError):
    """A word list or table that cannot be read; the message names the file and line."""


@cache
def read_table(name: str, *columns: Callable[[str], Any]) -> tuple[tuple[Any, ...], ...]:
    """The rows of the table ``name`` (a path under ``RESOURCES_DIR``, or an absolute
    path), in file order. ``columns`` converts each column (``str``, ``int``, ``float``,
    ...); every row must have exactly that many. Raises ResourceError naming file:line."""
    if not columns:
        raise TypeError("read_table needs one converter per column")
    path = RESOURCES_DIR / name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ResourceError(f"{path}: cannot read: {e}") from None
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise ResourceError(f"{where}: {len(fields)} tab-separated columns, expected {len(columns)}")
        row = []
        for k, (field, convert) in enumerate(zip(fields, columns, strict=True), start=1):
            if field != field.strip():
                raise ResourceError(f"{where}: column {k} starts or ends with a space: {field!r}")
            try:
                row.append(convert(field))
            except ValueError as e:
                raise ResourceError(f"{where}: column {k}: {e}") from None
        rows.append(tuple(row))
    return tuple(rows)


def read_list(name: str) -> tuple[str, ...]:
    """The entries of the one-column list ``name``, in file order (see ``read_table``)."""
    return tuple(row[0] for row in read_table(name, str))


@cache
def read_words(name: str) -> frozenset[str]:
    """The entries of the one-column list ``name`` as a set (see ``read_table``)."""
    return frozenset(read_list(name))
