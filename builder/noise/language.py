"""Which documents are English: the word-level operations and their tables are.

A document's ``lang`` is a code or a name as its input gives it ("en", "en-US", "en_GB",
"eng", "English"); the primary language is the leading run of letters, in any case.
A document that names no language is in the source's (``source.lang``, "en" unless set).
Anything else, including "und" (undetermined), is taken as not English: such a document
gets only the script-neutral operations (``Recipe.script_neutral``), which is wrong for
no language, where English word tables are wrong for every other one.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["is_english"]

_ENGLISH = frozenset({"en", "eng", "english"})
_PRIMARY = re.compile(r"[a-z]+")


def is_english(lang: str | None, default: str = "en") -> bool:
    """True for an English ``lang``; an empty or missing one is ``default``'s language."""
    text = (lang or "").strip()
    if not text:
        text = (default or "").strip()
        if not text:
            return True  # neither says: the builder's own default, English
    return _primary_is_english(text)


@lru_cache(maxsize=256)
def _primary_is_english(text: str) -> bool:
    m = _PRIMARY.match(text.lower())
    return m is not None and m.group() in _ENGLISH
