"""The surrogate check every field and line goes through agrees with the patterns it
stands in front of."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builder.pipeline.readers.text import MARKED, SURROGATE, has_marks, has_surrogate

# any code point, surrogates included (hypothesis leaves them out of text by default)
any_code_point = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())


@given(st.text(alphabet=any_code_point, max_size=60))
def test_has_surrogate_is_the_pattern_search(text):
    assert has_surrogate(text) == (SURROGATE.search(text) is not None)
    assert has_marks(text) == (MARKED.search(text) is not None)


def test_a_lone_surrogate_anywhere_is_found():
    assert has_surrogate("£5 \ud800")
    assert has_surrogate("\udcff plain")  # a marker of a bad byte
    assert not has_surrogate("£5 ünïcode 漢字 😀")
    assert has_marks("x\udc80") and not has_marks("x\ud800")
