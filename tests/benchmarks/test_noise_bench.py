"""The garbling benchmark's own parts on small inputs: CER, the calibration bisection, our
recipes in the peers' form, and the result format. No peer library is needed or mocked:
peers are switched off, and the whitespace-keeping tokenizer built for nlpaug is plain code.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import common
from benchmarks import noise as bench
from benchmarks.noise_peers import PEERS, peers_for
from benchmarks.noise_peers.nlpaug_peer import KeepWhitespace
from builder.core.metrics import cer
from tests.news import NEWS

#: Two news texts a document, each text in two documents: a few thousand characters in all.
DOCS = ["\n\n".join((NEWS[i], NEWS[(i + 1) % len(NEWS)])) for i in range(len(NEWS))]


@pytest.fixture(scope="module")
def corpus() -> bench.Corpus:
    return bench.make_corpus("test news", [f"doc-{i}" for i in range(len(DOCS))], DOCS)


def _prefix_garbler(clean: list[str]):
    """Replace the first ``rate`` share of each text's characters: CER == rate exactly (up to rounding)."""

    def garble(rate: float) -> list[str]:
        return ["#" * round(rate * len(t)) + t[round(rate * len(t)) :] for t in clean]

    return garble


def test_corpus_cer_is_total_distance_over_total_length():
    clean = ["abcd", "abcdefgh"]
    garbled = ["abxd", "abcdefgh"]  # 1 edit over 12 characters
    assert bench.corpus_cer(garbled, clean) == pytest.approx(1 / 12)
    assert bench.corpus_cer(clean, clean) == 0
    assert bench.corpus_cer(["x"], [""]) == pytest.approx(cer("x", ""))
    with pytest.raises(ValueError):
        bench.corpus_cer(["a"], ["a", "b"])


@pytest.mark.parametrize("target", [0.02, 0.05, 0.1])
def test_bisection_finds_the_rate_of_a_known_cer_curve(target):
    clean = ["x" * 1000, "y" * 500]
    cal = bench.calibrate(_prefix_garbler(clean), clean, target, (0.0, 1.0), tolerance=0.01)
    assert cal.reachable
    assert cal.cer == pytest.approx(target, rel=0.01)
    assert cal.rate == pytest.approx(target, abs=0.002)  # the curve moves in steps of 1/500
    assert cal.evaluations[0][0] == 1.0  # the top of the range is tried first
    assert len(cal.evaluations) <= 14
    assert (cal.rate, cal.cer) in cal.evaluations


def test_bisection_reports_an_unreachable_target_at_the_top_of_the_range():
    clean = ["z" * 1000]
    cal = bench.calibrate(_prefix_garbler(clean), clean, 0.5, (0.0, 0.2))
    assert not cal.reachable
    assert cal.rate == 0.2
    assert cal.cer == pytest.approx(0.2)
    assert cal.evaluations == [(0.2, cal.cer)]
    with pytest.raises(ValueError):
        bench.calibrate(_prefix_garbler(clean), clean, 0.0)


@pytest.mark.parametrize("family", bench.FAMILIES)
def test_calibrating_our_recipe_reaches_the_target_reproducibly(corpus, family):
    ours = bench.OurRecipe(family, corpus)
    cal = bench.calibrate(lambda rate: ours.garble(corpus.texts, rate, 0), corpus.texts, 0.04, ours.rate_range)
    assert cal.reachable
    assert abs(cal.cer - 0.04) <= 0.1 * 0.04  # small text: the closest rate tried, within 10%
    assert 0 < cal.rate <= 1
    again = bench.corpus_cer(ours.garble(corpus.texts, cal.rate, 0), corpus.texts)
    assert again == cal.cer  # same seed, same doc ids: the same garbling
    assert ours.edits > 0


def test_our_recipe_uses_the_precomputed_spans_and_records_edits(corpus):
    ours = bench.OurRecipe("typo", corpus)
    rows = bench.OurRecipe("typo", corpus, edit_rows=True)
    out = ours.garble(corpus.texts, 0.3, 7)
    assert rows.garble(corpus.texts, 0.3, 7) == out
    assert ours.edits == rows.edits > 0
    assert out != corpus.texts and len(out) == len(corpus.texts)
    assert ours.garble(corpus.texts, 0.0, 7) == corpus.texts
    with pytest.raises(KeyError, match="no corpus"):
        ours.garble(["a text the corpus does not hold"], 0.3, 7)
    assert ours.name == bench.OURS and rows.name == bench.OURS_ROWS
    assert ours.describe()["rate_name"] == "level"


def test_corpus_head_keeps_whole_documents(corpus):
    head = corpus.head(len(DOCS[0]) + 10)
    assert head.texts == DOCS[:1] and head.spans == corpus.spans[:1]
    assert corpus.head(0).texts == DOCS[:1]  # never empty
    assert corpus.head(10**9).chars == corpus.chars


def test_measure_tool_row_format(corpus):
    ours = bench.OurRecipe("ocr", corpus)
    row = bench.measure_tool(ours, corpus, corpus.head(2000), 0.05, seed=0, runs=2, warmup_docs=1)
    assert row["tool"] == bench.OURS and row["family"] == "ocr" and row["target_cer"] == 0.05
    assert len(row["seconds"]) == 2 and row["median_seconds"] > 0
    assert row["chars_per_second"] == pytest.approx(corpus.chars / row["median_seconds"], rel=0.01)
    assert row["parameters"] == {"recipe": "ocr", "level": row["rate"]}
    assert 0 < row["cer"] < 0.2 and row["edits"] > 0
    assert row["calibration"]["target"] == 0.05
    json.dumps(row)


def test_run_without_peers_gives_rows_ratios_costs_and_a_table(corpus):
    result = bench.run(corpus, corpus, targets=(0.05,), peers=False, runs=1, warmup_docs=1, progress=None)
    rows = result["rows"]
    assert [(r["family"], r["tool"]) for r in rows] == [
        ("typo", bench.OURS),
        ("typo", bench.OURS_ROWS),
        ("ocr", bench.OURS),
        ("ocr", bench.OURS_ROWS),
    ]
    for r in rows:
        assert r["ours_over_peer"] > 0 and r["ours_rows_over_peer"] > 0
        if r["tool"] == bench.OURS:
            assert r["ours_over_peer"] == 1.0
    assert result["summary"] == []  # nothing to compare with
    assert result["skipped"] == {}
    assert result["corpus"] == {
        "name": "test news",
        "docs": len(DOCS),
        "chars": corpus.chars,
        "segment_seconds": round(corpus.segment_seconds, 3),
    }
    costs = {c["recipe"]: c for c in result["engine_costs"]}
    assert set(costs) == {"typo", "ocr"}
    for c in costs.values():
        assert c["docs"] == len(DOCS) and c["ops"] >= 3
        stages = [c[f"us_per_doc_{k}"] for k in ("context", "operations", "columns", "assemble")]
        assert min(c["us_per_doc_fixed"], *stages) > 0
        assert c["batch"] == bench.BATCH
    json.dumps(result)
    md = bench.markdown({**result, "when": "now", "python": "3", "machine": "x"})
    assert "| typo | 0.05 | ours |" in md and "| ocr | 0.05 | ours + edit rows |" in md
    assert "## Our time per document" in md


def test_summary_names_the_fastest_peer_and_whether_we_beat_all():
    def row(tool, cps, threads=1):
        return {"family": "typo", "target_cer": 0.05, "tool": tool, "chars_per_second": cps, "threads": threads}

    rows = [row(bench.OURS, 100), row("slow", 50), row("fast", 200), row("batch", 400, threads=2)]
    bench.add_ratios(rows)
    assert [r["ours_over_peer"] for r in rows] == [1.0, 2.0, 0.5, 0.25]
    (s,) = bench.summarise(rows)
    assert s["fastest_single_thread_peer"] == "fast" and s["ours_over_fastest_single_thread"] == 0.5
    assert s["fastest_peer"] == "batch" and s["ours_over_fastest"] == 0.25
    assert s["faster_than_every_peer"] is False


def test_main_writes_json_and_markdown(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path)
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    argv = ["--max-chars", "8000", "--sample-chars", "4000", "--targets", "0.05", "--peers", "--runs", "1"]
    result = bench.main([*argv, "--families", "typo", "--quiet"])
    saved = json.loads((tmp_path / "noise.json").read_text())
    assert saved["benchmark"] == "noise" and saved["rows"] == result["rows"]
    assert {r["tool"] for r in saved["rows"]} == {bench.OURS, bench.OURS_ROWS}
    assert (tmp_path / "noise.md").read_text().startswith("# Garbling speed at the same CER")


@pytest.mark.parametrize(
    "text", ["one", "  lead and trail  ", "a\n\nb\tc  d", "", "U.S. aid, \u201cquoted\u201d\u00a0text"]
)
def test_nlpaug_tokenizer_gives_back_the_texts_own_whitespace(text):
    words = KeepWhitespace()
    tokens = words.split(text)
    assert all(not t or not t.isspace() for t in tokens)
    assert words.join(tokens) == text
    assert words.join([t.upper() for t in tokens]) == text.upper()
    with pytest.raises(ValueError):
        words.join([*tokens, "extra"])


def test_every_peer_names_its_family_knob_and_range():
    assert {p.family for p in PEERS} == set(bench.FAMILIES)
    for family in bench.FAMILIES:
        assert peers_for(family)
    for p in PEERS:
        lo, hi = p.rate_range
        assert 0 <= lo < hi <= 1 and p.rate_name and p.distribution
        assert p.rate_name in p.parameters(0.1)
        ok, reason = p.available()
        assert ok or reason  # a missing library says why


def test_recipe_rows_at_their_own_level_with_the_ratio_to_typo(corpus):
    result = bench.run(
        corpus,
        corpus,
        ("typo",),
        (0.05,),
        peers=False,
        runs=1,
        warmup_docs=1,
        costs=False,
        progress=None,
        recipes=("rtt", "profile:seed"),
    )
    typo = next(r for r in result["rows"] if r["tool"] == bench.OURS)
    rows = {r["recipe"]: r for r in result["recipes"]}
    assert set(rows) == {"rtt", "profile:seed"}
    for name, r in rows.items():
        recipe, _ = bench.load_named_recipe(name)
        assert r["level"] == pytest.approx(recipe.level) and r["ops"] == len(recipe.ops) > 0
        assert 0 < r["cer"] < 1 and r["edits"] > 0 and len(r["seconds"]) == 1
        assert r["chars_per_second"] == pytest.approx(corpus.chars / r["median_seconds"], rel=0.01)
        assert r["over_typo"] == pytest.approx(r["chars_per_second"] / typo["chars_per_second"], rel=1e-3)
    assert rows["profile:seed"]["name"] == "profile:seed"
    assert {t["name"] for t in result["tools"]} >= {"rtt", "profile:seed"}
    json.dumps(result)
    md = bench.markdown({**result, "when": "now", "python": "3", "machine": "x"})
    assert "## Other recipes at their own level" in md and "| rtt | 3 |" in md
    # without a typo row to compare with, the ratio is left empty rather than made up
    alone = bench.run(corpus, corpus, ("ocr",), (0.05,), False, 1, 0, 1, False, None, ("rtt",))
    assert alone["recipes"][0]["over_typo"] is None
