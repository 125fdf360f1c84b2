"""Data tables for the garbling operations: keyboard layout, OCR confusions, name rules.

Kept apart from the operations so the realism of the noise can be tuned (or estimated
from real pairs) without touching code.
"""

from __future__ import annotations

# QWERTY rows, each shifted about half a key right of the one above: the key at column
# i touches columns i and i+1 of the row above and i-1 and i of the row below.
_LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_DIGIT_ROW = "1234567890"


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
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


#: Lower-case key -> the keys a finger slips onto. Letters slip onto letters and digits
#: onto digits: a letter typed as a digit inside a word is rare in real typing noise.
KEYBOARD: dict[str, str] = {**_neighbours(_LETTER_ROWS), **_neighbours((_DIGIT_ROW,))}

#: OCR confusions as (seen in clean text, read as, relative weight). Case-sensitive; the
#: shape confusions that change the length (rn -> m, m -> rn, u -> ii) weigh more because
#: they are what sets OCR noise apart from typing noise.
OCR: tuple[tuple[str, str, float], ...] = (
    ("rn", "m", 4.0),
    ("m", "rn", 3.0),
    ("cl", "d", 3.0),
    ("d", "cl", 2.0),
    ("li", "h", 3.0),
    ("h", "li", 2.0),
    ("ri", "n", 1.5),
    ("0", "O", 2.0),
    ("O", "0", 2.0),
    ("1", "l", 2.0),
    ("l", "1", 1.0),
    ("I", "l", 2.0),
    ("l", "I", 1.5),
    ("e", "c", 1.0),
    ("c", "e", 1.0),
    ("u", "ii", 1.5),
    ("vv", "w", 3.0),
    ("w", "vv", 2.0),
    ("S", "5", 1.5),
    ("5", "S", 1.0),
    ("B", "8", 1.5),
    ("8", "B", 1.0),
    ("fi", "ﬁ", 2.0),
    ("fl", "ﬂ", 2.0),
)

#: Transliteration-style drift of proper nouns: (rule, regex, replacement), matched
#: case-insensitively; deletions never remove a name's first letter.
NAME_RULES: tuple[tuple[str, str, str], ...] = (
    ("ff>v", r"ff", "v"),
    ("ph>f", r"ph", "f"),
    ("double>single", r"([^\W\d_])\1", r"\1"),
    ("zh>z", r"zh", "z"),
    ("zh>", r"(?<=\w)zh", ""),
    ("kh>h", r"kh", "h"),
    ("l>r", r"l", "r"),
    ("r>l", r"r", "l"),
    ("y>ie", r"(?<=[b-df-hj-np-tv-xz])y$", "ie"),
    ("ie>y", r"(?<=\w)ie$", "y"),
    ("k>c", r"k", "c"),
    ("w>v", r"w", "v"),
    ("e>", r"(?<=\w\w)e$", ""),
)
#: Dropping a vowel+consonant syllable inside a name: only for names at least this long.
SYLLABLE_MIN_LEN = 6
SYLLABLE = r"(?<=\w\w)[aeiou][b-df-hj-np-tv-xz](?=\w)"

#: Capitalised words that are not names even in mid-sentence: days, months and titles
#: (a title is not transliterated, the name after it is).
# fmt: off
NOT_NAMES: frozenset[str] = frozenset({
    "I", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "President", "Vice", "Prime", "Minister",
    "Secretary", "Chancellor", "General", "Gen", "Senator", "Sen", "Governor", "Gov",
    "Representative", "Rep", "Mayor", "Judge", "Justice", "Mr", "Mrs", "Ms", "Dr", "Sir",
    "Lord", "Lady",
})
# fmt: on
#: Sentence-initial words that are never the first word of a name run ("The Kremlin").
# fmt: off
SENTENCE_STARTERS: frozenset[str] = frozenset({
    "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "We",
    "They", "You", "I", "In", "On", "At", "By", "For", "From", "To", "With", "As", "But",
    "And", "Or", "So", "If", "When", "While", "After", "Before", "Since", "Our", "Their",
    "His", "Her", "My", "Your", "There", "Here", "What", "Who", "Why", "How", "Some",
    "Many", "Most", "All", "One", "Two", "Three", "No", "Not", "Yet", "Also",
})
# fmt: on
#: Characters right before a word that make it sentence-initial in form (a quote opens).
OPENERS = "“‘\"'(["
