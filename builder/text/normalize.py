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

The clean side, the target a model learns to write, gets one more step
(``normalize_clean``, ``normalize.clean``): presentation forms are spelled out. A
ligature (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ) is how a typesetter drew two letters, not a spelling: a
target that keeps ﬁ where the garbled side reads "fi" teaches a model to create
ligatures. The set is Unicode's own: every character of the three presentation-form
blocks (Alphabetic Presentation Forms U+FB00–U+FB4F: the Latin, Armenian and Hebrew
ligatures and wide forms; Arabic Presentation Forms-A U+FB50–U+FDFF and -B
U+FE70–U+FEFF: the contextual glyphs that PDF extraction leaves) that has a compatibility
decomposition, replaced by it (one level: ﬅ is ſt). Full NFKC is an option, not the default, because it
also rewrites what is written on purpose: ½ becomes "1⁄2" (a number that no longer
reads as one), x² becomes x2, the long s of a historical transcription (ſ) becomes s,
™ becomes TM, and full-width CJK punctuation turns ASCII. The garbled side is never
changed here: its ligatures are garbling for the model to undo.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")  # soft hyphen, zero-width space, word joiner, BOM
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OTHER_SPACE = "\t\u00a0\u2000-\u200a\u202f\u205f\u3000"  # tab, no-break and typographic spaces
#: The characters of the classes above, one by one: a substring test per character finds
#: out whether a pass has anything to do some ten times faster than the pattern scans
#: (a character class is tested character by character, 50 us on a news article).
_LINE_END_CHARS = "\r\u2028\u2029\x85"
_INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"
_CONTROL_CHARS = "".join(map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)))
_OTHER_SPACE_CHARS = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
#: A run of spaces that is not already one plain space: a lone " " is not matched, so
#: a long text is not rebuilt from millions of one-space pieces.
_SPACES = re.compile(f"[{_OTHER_SPACE}][ {_OTHER_SPACE}]*| [ {_OTHER_SPACE}]+")
_LINE_END = re.compile("\r\n?|[\u2028\u2029\x85]")
_BLANK_RUN = re.compile(r"\n{3,}")
#: Unicode's presentation-form blocks (see the module docstring).
_PRESENTATION_BLOCKS = ((0xFB00, 0xFB4F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_PRESENTATION = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _PRESENTATION_BLOCKS) + "]")
#: ``normalize.clean`` values: what ``normalize_clean`` does to the clean side.
CLEAN_MODES = ("ligatures", "none", "nfkc")


def normalize_text(text: str, form: str = "NFC") -> str:
    """``text`` with unified line ends and spaces, the invisible characters above
    removed, stripped lines and at most one blank line in a row; ``form`` is the
    Unicode normal form ("none" for none)."""
    if not text:
        return text
    # Each pass is skipped when plain substring tests show it has nothing to do: most
    # news is ASCII, where only "\r", a tab and a double space can need work, and a
    # regular expression that starts with a class or an alternation scans slowly.
    ascii_only = text.isascii()
    if _holds_any(text, "\r" if ascii_only else _LINE_END_CHARS):
        text = _LINE_END.sub("\n", text)
    if form != "none" and not unicodedata.is_normalized(form, text):
        text = unicodedata.normalize(form, text)
        ascii_only = text.isascii()
    if not ascii_only and _holds_any(text, _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    if _holds_any(text, _CONTROL_CHARS):
        text = _CONTROL.sub(" ", text)
    if "  " in text or _holds_any(text, "\t" if ascii_only else _OTHER_SPACE_CHARS):
        text = _SPACES.sub(" ", text)
    text = "\n".join([line.strip() for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def _holds_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars`` (a C scan each, no Python frame)."""
    return any(map(text.__contains__, chars))


@cache
def presentation_forms() -> dict[int, str]:
    """Code point -> spelled-out text, for every presentation form with a compatibility
    decomposition (ﬁ -> fi, ﬃ -> ffi, ﭐ -> ٱ). One level of it, so ﬅ is ſt, keeping its
    long s as ſ itself is kept; canonical decompositions (Hebrew letters with points)
    are NFC's business, left to ``normalize_text``."""
    table = {}
    for a, b in _PRESENTATION_BLOCKS:
        for code in range(a, b + 1):
            tag, _, codes = unicodedata.decomposition(chr(code)).partition(" ")
            if tag.startswith("<") and codes:
                table[code] = unicodedata.normalize("NFC", "".join(chr(int(c, 16)) for c in codes.split()))
    return table


def normalize_clean(text: str, mode: str = "ligatures") -> str:
    """The clean side as a target: ``ligatures`` spells out presentation forms, ``nfkc``
    applies full NFKC, ``none`` leaves it. Run before ``normalize_text`` (which recomposes
    to NFC and tidies the spaces NFKC can leave)."""
    if mode == "none" or not text:
        return text
    if mode == "nfkc":
        return unicodedata.normalize("NFKC", text)
    if mode != "ligatures":
        raise ValueError(f"normalize.clean={mode!r} is not one of {', '.join(CLEAN_MODES)}")
    if text.isascii() or _PRESENTATION.search(text) is None:
        return text
    return text.translate(presentation_forms())
