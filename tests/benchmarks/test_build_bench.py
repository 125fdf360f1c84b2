"""The build benchmark's corpus: as many documents as asked, new ids, no exact copies,
the same file every run."""

from __future__ import annotations

import json

from benchmarks.build import copies, make_corpus


def test_copies_have_new_ids_and_no_two_texts_are_the_same():
    articles = [{"id": "a", "text": "The council met on Monday and voted 12 to 3."}, {"id": "b", "text": "Rain fell."}]
    docs = list(copies(articles, 9))
    assert len(docs) == 9
    assert len({d["id"] for d in docs}) == 9
    assert len({d["text"] for d in docs if d["id"].startswith("a")}) == 5  # every copy of a differs
    assert docs[0]["text"] == articles[0]["text"]  # the first round is the articles themselves


def test_the_corpus_file_is_the_same_every_run(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    info = make_corpus(40, one)
    make_corpus(40, two)
    assert one.read_bytes() == two.read_bytes()
    assert info["documents"] == 40 == len(one.read_text(encoding="utf-8").splitlines())
    assert all(json.loads(line)["text"] for line in one.open(encoding="utf-8"))


def test_a_command_build_reports_the_builds_own_time_and_the_whole_commands(tmp_path):
    """The throughput benchmark runs ``python -m builder`` as a user does and reads its summary line."""
    from benchmarks.build import command_build

    corpus = tmp_path / "corpus.jsonl"
    make_corpus(30, corpus)
    run = command_build(corpus, tmp_path / "out", "noise=typo", "split.test=0", "split.validation=0")
    assert 0 < run["seconds"] <= run["process_seconds"]
    assert run["work_folder_mb"] is not None and run["work_folder_mb"] >= 0
    assert (tmp_path / "out" / "corpus" / "data").is_dir()


def test_the_splitters_are_timed_on_the_same_texts():
    from benchmarks.build import segmenters

    texts = ["The council met on Monday. It voted 12 to 3.", "Rain fell.\nPhoto: AP"]
    seconds = segmenters(texts)
    kinds = ("punkt_stock", "punkt_our_params", "segmenter_ours", "punkt_stock_all_kept", "segmenter_ours_all_kept")
    assert set(seconds) == set(kinds)
    assert all(v > 0 for v in seconds.values())
