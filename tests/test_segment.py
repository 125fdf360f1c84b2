import os
import subprocess
import sys

import pytest

from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter


def test_seed_pair_segments_exactly_as_the_gold(seed_pair, seed_gold):
    seg = Segmenter()
    for text, side in zip(seed_pair, ("noisy", "clean"), strict=True):
        gold = [s for group in seed_gold for s in group[side]]
        assert seg.sentences(normalize_text(text)) == gold


def test_offsets_point_into_the_text():
    text = "First line here.\n\nSecond paragraph. It has two sentences."
    for s in Segmenter().split(text):
        assert text[s.start : s.end].strip() == text[s.start : s.end]
    assert [s.paragraph for s in Segmenter().split(text)] == [0, 1, 1]


def test_news_abbreviations_do_not_end_sentences():
    text = (
        "Gen. Mark Milley met Sen. Jack Reed on Jan. 5 in Washington, D.C. The U.S. pledged "
        "more aid. Mr. Smith of Acme Corp. said so."
    )
    assert Segmenter().sentences(text) == [
        "Gen. Mark Milley met Sen. Jack Reed on Jan. 5 in Washington, D.C.",
        "The U.S. pledged more aid.",
        "Mr. Smith of Acme Corp. said so.",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = 'He said “we will win.” Then he left. She said "yes." It ended.'
    assert Segmenter().sentences(text) == ["He said “we will win.”", "Then he left.", 'She said "yes."', "It ended."]


def test_a_sentence_never_crosses_a_line_break_in_line_mode():
    text = "Social Media/via Reuters\nOn Wednesday, forces advanced"
    assert Segmenter("line").sentences(text) == ["Social Media/via Reuters", "On Wednesday, forces advanced"]
    assert len(Segmenter("blank").sentences(text)) == 1


def test_boilerplate_lines_are_tagged(seed_pair):
    sents = Segmenter().split(normalize_text(seed_pair[1]))
    text = normalize_text(seed_pair[1])
    tagged = {text[s.start : s.end]: s.tag for s in sents if s.tag}
    assert tagged["Saul Loeb/via Reuters"] == "credit"
    assert tagged["Tanya Stukalova, Patrick Reevell and Will Gretsky of ABC News contributed to this report."] == (
        "contributor"
    )
    assert not any("Kremlin was noncommittal" in t for t in tagged)


def test_extra_abbreviations_from_the_config():
    text = "The Rt. Hon. member spoke. Approx. Ten people came."
    assert Segmenter(extra_abbreviations=["rt"]).sentences(text)[0] == "The Rt. Hon. member spoke."


def test_offsets_rebuild_the_text():
    text = (
        "The U.S. pledged aid. “We will win.” He left!\nRead more\n\n"
        "他说：「我们赢了。」然后走了。 यह एक वाक्य है। दूसरा هل أنت بخير؟ نعم. (It ended.) Done"
    )
    for paragraphs in ("line", "blank"):
        spans = Segmenter(paragraphs).split(text)
        pos = 0
        for s in spans:
            assert text[pos : s.start].isspace() or pos == s.start
            assert text[s.start : s.end].strip() == text[s.start : s.end] != ""
            pos = s.end
        assert text[pos:] == ""


def test_other_scripts_end_sentences_without_a_space():
    seg = Segmenter()
    assert seg.sentences("他说：「我们赢了。」然后走了。明天见！好吗？") == [
        "他说：「我们赢了。」",
        "然后走了。",
        "明天见！",
        "好吗？",
    ]
    assert seg.sentences("“走吧。”他说。東京は晴れ｡価格は３．５円．次") == [
        "“走吧。”",
        "他说。",
        "東京は晴れ｡",
        "価格は３．５円．",
        "次",
    ]
    assert seg.sentences("यह एक वाक्य है।यह दूसरा है॥ तीसरा") == ["यह एक वाक्य है।", "यह दूसरा है॥", "तीसरा"]
    assert seg.sentences("هل أنت بخير؟نعم. یہ ایک جملہ ہے۔دوسرا") == [
        "هل أنت بخير؟",
        "نعم.",
        "یہ ایک جملہ ہے۔",
        "دوسرا",
    ]
    assert seg.sentences("Բարեւ։Ինչպես ես։ ሰላም።እንዴት ነህ።") == ["Բարեւ։", "Ինչպես ես։", "ሰላም።", "እንዴት ነህ።"]


def test_a_closing_bracket_after_a_period_stays_with_its_sentence():
    assert Segmenter().sentences("He said「no.」 Then he left.") == ["He said「no.」", "Then he left."]


def _news_document(n_chars: int) -> tuple[str, list[tuple[int, int]]]:
    """One paragraph of short sentences with news abbreviations inside them, and the
    span of each sentence."""
    forms = [
        "Gen. Lee met Sen. Reed on Jan. {k}.",
        "The U.S. Army said {k} troops left.",
        "Mr. Smith of Acme Corp. paid ${k}.",
        "“We won {k} games,” she said.",
        "Talks resumed!",
        "Is it over for {k}?",
    ]
    parts, spans, pos, k = [], [], 0, 0
    while pos < n_chars:
        sentence = forms[k % len(forms)].format(k=k)
        parts.append(sentence)
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence) + 1
        k += 1
    return " ".join(parts), spans


def test_a_long_paragraph_is_segmented_as_one_pass_would():
    text, spans = _news_document(40_000)
    assert [(s.start, s.end) for s in Segmenter().split(text)] == spans
    small = Segmenter(max_chars=300)  # many windows: the same sentences
    assert [(s.start, s.end) for s in small.split(text)] == spans


def test_a_sentence_longer_than_the_bound_is_cut_at_whitespace():
    text = " ".join(["word"] * 100) + ". Next one."
    spans = Segmenter(max_chars=120).split(text)
    assert all(s.end - s.start <= 120 for s in spans)
    assert " ".join(text[s.start : s.end] for s in spans) == text
    assert all(text[s.end - 1] != " " and text[s.start] != " " for s in spans)
    assert Segmenter(max_chars=50).sentences("x" * 120) == ["x" * 50, "x" * 50, "x" * 20]


@pytest.fixture
def timing_forbidden(monkeypatch):
    """Every match NLTK would run under its wall-clock timeout raises instead: a
    segmentation that passes cannot depend on time. (NLTK before 3.10 has no such
    timeout, and nothing to patch.)"""
    try:
        from nltk import redos
    except ImportError:
        return

    def timed(*args, **kwargs):
        raise AssertionError("a regular expression ran under nltk.redos's wall-clock timeout")

    for name in ("search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn"):
        monkeypatch.setattr(redos.TimedPattern, name, timed)


def test_segmentation_never_runs_under_a_timeout(timing_forbidden):
    text, spans = _news_document(20_000)
    assert [(s.start, s.end) for s in Segmenter("blank", ["rt"]).split(text + "\n\nRt. Hon. Smith spoke.")][
        : len(spans)
    ] == spans


def _busy_loops(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


@pytest.mark.slow
def test_a_big_document_gives_the_same_sentences_on_a_loaded_machine(timing_forbidden):
    text, spans = _news_document(250_000)  # 25 of Punkt's windows, in one paragraph
    loops = _busy_loops(os.cpu_count() or 2)  # a busy loop per core, and the segmenter on top
    try:
        got = [(s.start, s.end) for s in Segmenter().split(text)]
    finally:
        for p in loops:
            p.kill()
            p.wait()
    assert got == spans
