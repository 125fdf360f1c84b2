"""Right targets: presentation forms spelled out on the clean side (``normalize.clean``),
tokenised corpora detokenised when read (``source.detokenize=moses``), and the one-line
errors of both."""

from __future__ import annotations

import json
import sys

import pytest
from datasets import load_dataset

from builder.app.build import build
from builder.app.config import ConfigError, validate
from builder.core.edits import replay
from builder.text.normalize import normalize_clean, normalize_text
from tests.conftest import compose_cfg
from tests.test_config import _refused

# An OCR pair as the ICDAR post-OCR sets give them: the gold keeps the printed page's
# ligatures, the OCR output spells them out (and misreads a few letters).
CLEAN = (
    "The ﬁrst ﬂoor of the oﬃce was let to Mr. Grifﬁn for the sum of ﬁfty pounds a year. "
    "His staﬀ were ﬁve clerks, and the aﬀairs of the ﬁrm were in good order.\n"
    "The inﬂuence of the new ﬁnance bill on such ﬁrms was not yet known. "
    "Few of the merchants who met on Tuesday thought it would be felt before the spring."
)
GARBLED = (
    "The first floor of the office was let to Mr. Griffin for the sum of fifty pounds a ycar. "
    "His staff were five clerks, and the affairs of the firm were in good ordcr.\n"
    "The influence of the new finance bill on such firms was not yet knowu. "
    "Few of the merchauts who met on Tuesday thought it would be felt before the spring."
)
LIGATURES = "ﬀﬁﬂﬃﬄﬅﬆ"


def test_presentation_forms_are_spelled_out_and_nothing_else() -> None:
    assert normalize_clean("ﬁne ﬂow ﬀ ﬃ ﬄ ﬆ") == "fine flow ff ffi ffl st"
    assert normalize_clean("ﬅ ſ ½ x² ™") == "ſt ſ ½ x² ™"  # written on purpose: kept
    assert normalize_clean("ﬁne ½ ſ", "nfkc") == "fine 1⁄2 s"
    assert normalize_clean("ﬁne", "none") == "ﬁne"
    arabic = "\ufef5"  # lam with alef with madda above, isolated: a presentation glyph
    assert normalize_text(normalize_clean(arabic)) == "\u0644\u0622"


def _pair_file(tmp_path, clean: str = CLEAN, garbled: str = GARBLED, **extra) -> str:
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"id": "p1", "clean": clean, "noisy": garbled, **extra}) + "\n", encoding="utf-8")
    return str(path)


def _rows(result) -> list[dict]:
    ds = load_dataset(str(result.path))
    return [row for split in ds.values() for row in split]


def test_a_real_pair_with_ligatures_gets_a_spelled_out_target(tmp_path) -> None:
    path = _pair_file(tmp_path)
    common = ("source=jsonl", f"source.path={path}", "noise=none", "split.test=0", "split.validation=0")
    rows = _rows(build(compose_cfg(tmp_path, *common)))
    assert rows and all(r["kind"] == "real" for r in rows)
    for row in rows:
        assert not any(c in row["clean"] for c in LIGATURES), row["clean"]
        assert row["garbled"] in GARBLED  # the garbled side is as read
        assert replay(row["clean"], row["edits"]) == row["garbled"]
    edits = [e for r in rows for e in r["edits"]]
    # only the OCR misreadings: no edit turns a ligature into letters
    assert {(e["before"], e["after"]) for e in edits} == {
        ("year", "ycar"),
        ("order", "ordcr"),
        ("known", "knowu"),
        ("merchants", "merchauts"),
    }
    assert "first floor" in rows[0]["clean"]

    kept = _rows(build(compose_cfg(tmp_path / "none", *common, "normalize.clean=none")))
    assert any("ﬁ" in r["clean"] for r in kept)
    for row in kept:
        assert replay(row["clean"], row["edits"]) == row["garbled"]


def test_a_clean_only_document_with_ligatures_is_garbled_from_the_spelled_out_text(tmp_path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"id": "c1", "text": CLEAN}) + "\n", encoding="utf-8")
    cfg = compose_cfg(tmp_path, "source=jsonl", f"source.path={path}", "noise=ocr", "noise.level=0.5", "split.test=0")
    rows = _rows(build(cfg))
    assert rows and all(r["kind"] == "synthetic" for r in rows)
    for row in rows:
        assert not any(c in row["clean"] for c in LIGATURES)
        assert replay(row["clean"], row["edits"]) == row["garbled"]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("normalize.clean=bold", "normalize.clean"),
        ("source.detokenize=spacy", "source.detokenize"),
        ("noise.protect_numbers=often", "protect_numbers"),
    ],
)
def test_bad_values_fail_in_one_line(tmp_path, monkeypatch, capsys, override: str, expected: str) -> None:
    code, err = _refused(monkeypatch, capsys, override, f"write.root={tmp_path}")
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and expected in lines[0], err


def test_without_sacremoses_detokenize_fails_in_one_line_naming_the_extra(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "sacremoses", None)  # as if it were not installed
    cfg = compose_cfg(tmp_path, "source=jsonl", f"source.path={_pair_file(tmp_path)}", "source.detokenize=moses")
    with pytest.raises(ConfigError) as e:
        validate(cfg)
    assert str(e.value) == "source.detokenize=moses needs sacremoses: pip install 'garble-builder[moses]'"
    code, err = _refused(
        monkeypatch,
        capsys,
        "source=jsonl",
        f"source.path={tmp_path / 'pairs.jsonl'}",
        "source.detokenize=moses",
        f"write.root={tmp_path / 'out'}",
    )
    assert code == 2 and err.strip().splitlines() == [f"error: {e.value}"], err

    from builder.profile.pairs import PairsError, read_pairs

    with pytest.raises(PairsError, match=r"^--detokenize needs sacremoses: pip install 'garble-builder\[moses\]'$"):
        list(read_pairs(tmp_path / "pairs.jsonl", detokenize=True))


TOKENISED = [
    ("t1", "en", 'Perth ( AP ) - Police said they do n\'t know why the " old " bridge fell , killing 3 .'),
    ("t2", "en", "The fund lost $ 18.90 million , or 16 % of its value , in 2024 ."),
    ("t3", "fr", "l' homme a dit qu' il viendra ."),
]


def test_detokenize_moses_reads_tokenised_corpora_as_text(tmp_path) -> None:
    pytest.importorskip("sacremoses", reason="the moses extra (sacremoses) is not installed")
    path = tmp_path / "tok.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for doc_id, lang, text in TOKENISED:
            garbled = text.replace("Police", "Pollce").replace("lost", "lust").replace("homme", "homne")
            fh.write(json.dumps({"id": doc_id, "lang": lang, "clean": text, "garbled": garbled}) + "\n")
    common = (
        "source=jsonl",
        f"source.path={path}",
        "noise=none",
        "split.test=0",
        "split.validation=0",
        "filter.min_align_score=0",
    )
    rows = {r["doc_id"]: r for r in _rows(build(compose_cfg(tmp_path, *common, "source.detokenize=moses")))}
    assert rows["t1"]["clean"] == 'Perth (AP) - Police said they don\'t know why the "old" bridge fell, killing 3.'
    assert rows["t1"]["garbled"].startswith("Perth (AP) - Pollce said")
    assert rows["t2"]["clean"] == "The fund lost $18.90 million, or 16% of its value, in 2024."
    assert rows["t3"]["clean"] == "l'homme a dit qu'il viendra."  # the document's language: French elision
    for row in rows.values():
        assert replay(row["clean"], row["edits"]) == row["garbled"]

    plain = _rows(build(compose_cfg(tmp_path / "plain", *common)))
    assert any(" ," in r["clean"] for r in plain)  # off by default: the text as read


def test_the_profile_tool_and_the_reader_share_one_detokeniser() -> None:
    pytest.importorskip("sacremoses", reason="the moses extra (sacremoses) is not installed")
    from builder.profile.pairs import detokenizer
    from builder.text.detokenize import detokenizer as shared

    text = "They do n't know , he said .\nA second line ( with brackets ) ."
    assert detokenizer()(text) == shared("en")(text) == "They don't know, he said.\nA second line (with brackets)."
