"""Whitespace folding: the same text as splitting and joining, whatever it holds."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from builder.text.spaces import single_spaced


def test_every_whitespace_character_but_the_space_is_unprintable():
    # what single_spaced relies on to skip the split
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]


_PARTS = st.sampled_from(["a", "Bc", "é", "🙂", " ", "  ", "\n", "\t", "\x1c", "\u00a0", "\u2003", "\u3000", "\x85"])


@given(st.lists(_PARTS, max_size=12).map("".join))
def test_single_spaced_is_split_and_joined(text):
    assert single_spaced(text) == " ".join(text.split())
