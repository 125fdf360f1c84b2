"""Unicode and whitespace normalisation that keeps the garbling signal.

Quotes, dashes, spelling, case and look-alike characters are data: a restoration
model must learn to fix them, so they are left alone. Only what no reader would
call a difference goes: line-ending style, runs of spaces, and four invisible
characters that carry no meaning in running text:

- U+00AD soft hyphen: a hint where a word may be hyphenated at a line end, left
  by publishing systems; a reader never sees it in running text, and kept it would
  make ``Zelen<SHY>skyy`` and ``Zelenskyy`` two different words.
- U+200B zero-width space: an invisible line-break opportunity (HTML ``<wbr>``).
- U+2060 word joiner: an invisible "do not break here".
- U+FEFF byte-order mark (and its old use as a zero-width no-break space): an
  encoding artefact, mostly at the start of a file or of a pasted fragment.

Kept, because they change what the text says or how it is read:

- U+200D zero-width joiner: joins emoji into one (👨‍👩‍👧 is a family, not three
  people) and selects letter forms in Indic scripts.
- U+200C zero-width non-joiner: part of the spelling in Persian, Urdu, Kurdish and
  Indic scripts (Persian می‌خواهم "I want" is written with it).
- Direction marks (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), variation
  selectors (U+FE0E, U+FE0F) and combining marks: untouched.

Control characters (other than tab and line breaks) become spaces; Unicode line
and paragraph separators become line breaks.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")  # soft hyphen, zero-width space, word joiner, BOM
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OTHER_SPACE = "\t\u00a0\u2000-\u200a\u202f\u205f\u3000"  # tab, no-break and typographic spaces
#: A run of spaces that is not already one plain space: a lone " " is not matched, so
#: a long text is not rebuilt from millions of one-space pieces.
_SPACES = re.compile(f"[{_OTHER_SPACE}][ {_OTHER_SPACE}]*| [ {_OTHER_SPACE}]+")
_LINE_END = re.compile("\r\n?|[\u2028\u2029\x85]")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_text(text: str, form: str = "NFC") -> str:
    """``text`` with unified line ends and spaces, the invisible characters above
    removed, stripped lines and at most one blank line in a row; ``form`` is the
    Unicode normal form ("none" for none)."""
    if not text:
        return text
    text = _LINE_END.sub("\n", text)
    if form != "none" and not unicodedata.is_normalized(form, text):
        text = unicodedata.normalize(form, text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()
