"""Whitespace folded as ``str.split`` sees it, without splitting text that needs none.

Splitting a sentence into its words to join them again makes a Python object a word;
most sentences are already single-spaced, and telling so is a few scans in C. Every
whitespace character but the space is unprintable (``str.isprintable``: a test checks
all of Unicode), so a printable text holds no whitespace but spaces.
"""

from __future__ import annotations


def single_spaced(text: str) -> str:
    """``" ".join(text.split())``: runs of whitespace as one space, none at either end."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())
