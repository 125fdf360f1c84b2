"""The edit categories: one vocabulary for what garbling operations do and for what
is observed in real garbled/clean pairs.

A synthetic edit's category is the name of the operation that made it; a real pair's
edits are put into the same categories by ``builder.profile``. Comparing the two
rate vectors is how realism is measured, and a profile's rates drive the operations
of the same name, so the names here are the contract between the two sides.
"""

from __future__ import annotations

#: category -> family
CATEGORIES: dict[str, str] = {
    # characters inside words
    "keyboard": "char",  # a neighbouring key
    "shift_slip": "char",  # shift held too long or too short: "THe", "i'm", "1" for "!"
    "ocr": "char",  # look-alike glyphs, many-to-one and one-to-many (rn/m, cl/d, li/h, 0/O)
    "char_insert": "char",
    "char_delete": "char",
    "char_transpose": "char",
    "case_slip": "char",  # case of one letter or a word's first letter
    "space_drop": "char",  # two words run together
    "space_insert": "char",  # a word broken in two
    # words
    "function_word_drop": "word",  # "the", "of", "to" ... left out
    "function_word_insert": "word",  # ... or added
    "word_drop": "word",  # a content word left out
    "word_insert": "word",  # a content word added
    "word_swap": "word",  # neighbours swapped
    "phrase_duplicate": "word",  # a phrase said twice
    "inflection": "word",  # same lemma, other form: agreement and tense slips
    "wrong_sense": "word",  # a translation of another sense of the word (units -> layers)
    "calque": "word",  # a literal rendering (counter- -> anti-, idioms word for word)
    "word_substitute": "word",  # any other word replaced by another
    # names
    "name_mangle": "name",  # transliteration drift (Witkoff -> Witkov)
    # punctuation and typography
    "punctuation": "punct",  # quote, dash, comma and abbreviation style
    # sentence structure
    "split_sentence": "sentence",
    "merge_sentence": "sentence",
    "drop_sentence": "sentence",
    "insert_caption": "sentence",
}

FAMILIES: tuple[str, ...] = ("char", "word", "name", "punct", "sentence")

#: Operations with no category of their own: each rewrites a construction (a possessive
#: as an of-phrase, a clause moved, a connective or a place's spelling swapped, a pronoun
#: replaced by its name), which the categoriser of real pairs sees as the word drops,
#: inserts, substitutions and punctuation changes it is made of. Their edits still carry
#: the operation's name; ``family`` puts them with the words.
RESTRUCTURING: tuple[str, ...] = ("possessive_of", "clause_move", "connective_swap", "place_variant", "pronoun_name")


def family(category: str) -> str:
    return CATEGORIES.get(category, "word")
