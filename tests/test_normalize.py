import re

from builder.text.normalize import normalize_text


def test_whitespace_and_line_endings_are_unified():
    assert normalize_text("a\r\nb\u00a0 c\t\td\n\n\n\ne  ") == "a\nb c d\n\ne"


def test_garbling_signal_is_kept():
    text = "“Quoted” — ﬁne O0 l1 Witkov’s CAPS"
    assert normalize_text(text) == text


def test_invisible_characters_are_removed_and_nfc_applied():
    assert normalize_text("Zelen\u200bskyy cafe\u0301") == "Zelenskyy caf\u00e9"


def test_joiners_are_kept_as_written():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji: a family
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with its non-joiner
    text = f"{family} and {persian}"
    assert normalize_text(text) == text
    assert normalize_text(text, form="NFKC") == text


def test_invisible_marks_without_meaning_are_removed():
    assert normalize_text("\ufeffZelen\u00adskyy met\u2060 Biden\u200b.") == "Zelenskyy met Biden."
    assert normalize_text("left\u200fto\u200eright \u2764\ufe0f") == "left\u200fto\u200eright \u2764\ufe0f"


def _every_pass(text: str, form: str = "NFC") -> str:
    """Normalisation with every pass run on every text (the quick tests skip some)."""
    import unicodedata

    from builder.text import normalize as n

    if not text:
        return text
    text = n._LINE_END.sub("\n", text)
    if form != "none" and not unicodedata.is_normalized(form, text):
        text = unicodedata.normalize(form, text)
    text = n._CONTROL.sub(" ", n._INVISIBLE.sub("", text))
    text = n._SPACES.sub(" ", text)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def test_skipped_passes_change_nothing():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    plain = [*"ab .\t\n\r", "\r\n", "  ", "\x0b", "\x0c", "\x1f", "\x7f", "\n\n\n"]
    other = ["\u00a0", "\u2003", "\u3000", "\u2028", "\x85", "\u00ad", "\u200b", "e\u0301", "\ufb01", "\ufeff"]
    texts = st.one_of(  # most news is ASCII, where the quick tests skip passes
        st.lists(st.sampled_from(plain), max_size=40).map("".join),
        st.lists(st.sampled_from([*plain, *other, "\u200d"]), max_size=40).map("".join),
    )

    @settings(max_examples=600, deadline=None, derandomize=True)
    @given(texts, st.sampled_from(["NFC", "NFKC", "none"]))
    def check(text: str, form: str) -> None:
        assert normalize_text(text, form) == _every_pass(text, form)

    check()


def test_the_quick_tests_look_for_exactly_the_characters_each_pass_changes():
    """A pass is skipped when its quick test finds none of its characters: the lists
    must be the patterns' classes, character for character, over all of Unicode."""
    from builder.text import normalize as n

    spaces = re.compile(f"[{n._OTHER_SPACE}]")
    for chars, pattern in (
        (n._LINE_END_CHARS, n._LINE_END),
        (n._INVISIBLE_CHARS, n._INVISIBLE),
        (n._CONTROL_CHARS, n._CONTROL),
        (n._OTHER_SPACE_CHARS, spaces),
    ):
        found = "".join(chr(c) for c in range(0x110000) if pattern.match(chr(c)))
        assert found == "".join(sorted(chars))
