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
