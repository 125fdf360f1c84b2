"""Unicode and whitespace normalisation that keeps the garbling signal.

Quotes, dashes, spelling, case and look-alike characters are data: a restoration
model must learn to fix them, so they are left alone. Only what no reader would
call a difference goes: line-ending style, invisible characters, runs of spaces.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-width marks, BOM
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_END = re.compile("\r\n?|[\u2028\u2029\x85]")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_text(text: str, form: str = "NFC") -> str:
    if not text:
        return text
    text = _LINE_END.sub("\n", text)
    if form != "none":
        text = unicodedata.normalize(form, text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()
