from builder.normalize import normalize_text


def test_whitespace_and_line_endings_are_unified():
    assert normalize_text("a\r\nb\u00a0 c\t\td\n\n\n\ne  ") == "a\nb c d\n\ne"


def test_garbling_signal_is_kept():
    text = "“Quoted” — ﬁne O0 l1 Witkov’s CAPS"
    assert normalize_text(text) == text


def test_invisible_characters_are_removed_and_nfc_applied():
    assert normalize_text("Zelen\u200bskyy cafe\u0301") == "Zelenskyy caf\u00e9"
