"""Leakage: near-copies never straddle splits, evaluation text train has is dropped, and
the counts in stats.json say what the splits still share."""

from __future__ import annotations

import json
import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.app.build import build
from builder.core import reasons
from builder.core.schema import DOC_FEATURES
from builder.pipeline.steps.leakage import Leakage, measure, text_keys
from builder.pipeline.steps.neardup import (
    NearDup,
    _unique_pairs,
    band_keys,
    group_names,
    linked_groups,
    shingles,
    shingles_many,
    similar_pairs,
    word_bytes,
)
from builder.pipeline.steps.split import Split
from builder.runners.workers import ordered_map, process_pool
from tests.conftest import compose_cfg

WORDS = [
    "minister",
    "council",
    "vote",
    "budget",
    "river",
    "bridge",
    "station",
    "market",
    "shares",
    "police",
    "court",
    "judge",
    "army",
    "troops",
    "border",
    "village",
    "harvest",
    "drought",
    "school",
    "teacher",
    "hospital",
    "doctor",
    "storm",
    "flood",
    "airport",
    "strike",
    "union",
    "wages",
    "energy",
    "prices",
    "factory",
    "export",
    "import",
    "bank",
    "loan",
    "rates",
    "growth",
]


def article(k: int, n: int = 80) -> str:
    """A made-up article of ``n`` words, different for every ``k``."""
    rng = np.random.default_rng(k)
    words = rng.choice(WORDS, size=n)
    return " ".join(f"{w}{k % 7}" if i % 9 == 0 else str(w) for i, w in enumerate(words)) + "."


def near_copy(text: str, k: int) -> str:
    """The article with a few words changed, as a later version of one story reads."""
    words = text.split()
    for i in range(k, len(words), 23):
        words[i] = "revised"
    return " ".join(words)


def docs_table(texts: list[str], ids: list[str] | None = None, dates: list[str] | None = None) -> pa.Table:
    ids = ids or [f"doc-{i:04d}" for i in range(len(texts))]
    rows = [
        {c: "" for c in DOC_FEATURES} | {"doc_seq": i, "doc_id": d, "clean": t, "date": (dates or [""] * len(texts))[i]}
        for i, (d, t) in enumerate(zip(ids, texts, strict=True))
    ]
    return pa.Table.from_pylist(rows, schema=DOC_FEATURES.arrow_schema)


@pytest.fixture(scope="module")
def planted():
    """300 articles and a near-copy of each of the first 60, under other ids."""
    texts = [article(k) for k in range(300)]
    copies = [near_copy(texts[k], k % 5) for k in range(60)]
    return texts + copies


def _word_value(word: bytes) -> int:
    """A word's value, written out: the polynomial of its bytes modulo 2**64, splitmix64's
    finaliser, the low 32 bits."""
    h = 0
    for byte in word:
        h = (h * 0x100000001B3 + byte) % 2**64
    h ^= h >> 30
    h = h * 0xBF58476D1CE4E5B9 % 2**64
    h ^= h >> 27
    h = h * 0x94D049BB133111EB % 2**64
    return (h ^ h >> 31) & 0xFFFFFFFF


def _reference_shingles(text: str, size: int) -> list[int]:
    values = [_word_value(w) for w in word_bytes(text)]
    grams = []
    for first in range(max(1, len(values) - size + 1) if values else 0):
        gram = 0
        for value in values[first : first + size]:
            gram = (gram * 0x01000193 + value) & 0xFFFFFFFF
        grams.append(gram)
    return grams


def test_shingles_fold_case_and_punctuation_and_keep_word_order():
    assert shingles("The Cat, sat.", 2).tolist() == shingles("the cat sat", 2).tolist()
    assert len(shingles("The Cat, sat.", 2)) == 2 and len(shingles("One", 3)) == 1
    assert len(shingles("...", 3)) == 0
    assert set(shingles("a b c d", 3).tolist()).isdisjoint(shingles("d c b a", 3).tolist())
    # a word's value is fixed by its UTF-8 alone: signatures, and so splits, stay as they are
    assert shingles("Héllo, £5 wörld", 1).tolist() == [_word_value(w.encode()) for w in ("héllo", "5", "wörld")]
    assert shingles("council", 1).tolist() == [_word_value(b"council")] == [4030710202]


_WORDY = st.one_of(
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40),
    st.text(alphabet="ab é.\n", max_size=80),
    # words longer than a piece (16 bytes) and than a piece of pieces (256)
    st.builds(lambda n, c: (c * n + " ") * 2, st.integers(1, 600), st.sampled_from(["x", "é", "字", "1"])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDY, max_size=12), st.integers(1, 5))
def test_shingles_of_many_texts_are_each_texts_own(texts, size):
    """Computed together on the texts' joined bytes, each text's grams are those of its
    own words and values, whatever its neighbours, its length or its words'."""
    assert [g.tolist() for g in shingles_many(texts, size)] == [_reference_shingles(t, size) for t in texts]


def test_shingles_are_the_same_whatever_texts_go_together(monkeypatch):
    """Texts are hashed a few megabytes at a time: a limit that cuts between any two texts
    (or leaves a text longer than it alone) gives the same grams."""
    from builder.pipeline.steps import neardup

    texts = ["The council met.", "", "x" * 40 + " short one", "Héllo wörld, £5 a day", "one", "a b c d e f g h"] * 3
    whole = [g.tolist() for g in shingles_many(texts, 3)]
    assert whole == [_reference_shingles(t, 3) for t in texts]
    for limit in (1, 12, 30):
        monkeypatch.setattr(neardup, "_BYTES_AT_ONCE", limit)
        assert [g.tolist() for g in shingles_many(texts, 3)] == whole


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60))
def test_words_are_the_regex_words_of_the_folded_text(text):
    """Signatures (and so groups and splits) rest on these words: cut as bytes, they
    must be ``\\w+``'s words for any character, including surrogates."""
    assert word_bytes(text) == [w.encode("utf-8") for w in re.findall(r"\w+", text.casefold())]


@pytest.mark.parametrize("other", [1, 8, 9, 40])
def test_words_with_few_or_many_other_characters(other):
    """Up to ``_REPLACED_ONE_BY_ONE`` characters that are not words are replaced one by
    one, more in one pass: the same words either way."""
    symbols = [chr(0x2190 + k) for k in range(other)]  # arrows: not \w
    text = "".join(f"Wörd{k}{s}ünï_{k} " for k, s in enumerate(symbols * 3))
    assert word_bytes(text) == [w.encode("utf-8") for w in re.findall(r"\w+", text.casefold())]


def test_words_of_every_character():
    every = "".join(chr(c) + " " for c in range(0x110000))
    assert word_bytes(every) == [w.encode("utf-8", "surrogatepass") for w in re.findall(r"\w+", every.casefold())]


def test_pairs_are_made_unique_in_row_order():
    rng = np.random.default_rng(1)
    for n in (2, 7, 5000):
        pairs = np.sort(rng.integers(0, n, size=(3000, 2)), axis=1)
        assert np.array_equal(_unique_pairs(pairs, n), np.unique(pairs, axis=0))


@pytest.mark.parametrize("perms", [128, 16])
def test_signing_many_texts_at_once_gives_datasketchs_signatures(monkeypatch, perms):
    """The batched signer is datasketch's MinHash (affine32) value for value, across
    block bounds, for texts with no word and for a text larger than a block."""
    from builder.pipeline.steps import neardup

    monkeypatch.setattr(neardup, "_GRAMS_AT_ONCE", 50)
    signer = neardup.Signer(perms, 3)
    sentence = "the council said on Monday that its budget would rise by 2% next year ünïcode"
    words = sentence.split(" ")
    texts = [" ".join(words[k % 7 :] * (1 + k % 5)) for k in range(30)]
    texts[3:3] = [None, "", "...", "one", "one two", " ".join(words * 30)]
    got = signer.sign_many(texts)
    for text, sig in zip(texts, got, strict=True):
        want = None if text is None else signer.sign(text)
        if want is None:
            assert sig is None
        else:
            assert sig.dtype == np.uint32 and sig.tolist() == want.tolist()


def test_planted_near_copies_are_grouped_and_share_a_split(cfg_factory, planted):
    cfg = cfg_factory()
    docs = NearDup(cfg.dedup).run(docs_table(planted))
    group = docs.column("group").to_pylist()
    for k in range(60):
        assert group[k] == group[300 + k] == f"doc-{k:04d}"
    assert group[60:300] == [None] * 240  # no unrelated article was linked
    split = Split(cfg.split).run(docs).column("split").to_pylist()
    assert all(split[k] == split[300 + k] for k in range(60))


def test_signing_on_worker_processes_gives_the_inline_groups(cfg_factory, planted):
    """The build hands signing to its workers (``parallel_map``): same groups, same pairs."""
    cfg = cfg_factory()
    inline = NearDup(cfg.dedup)
    alone = inline.run(docs_table(planted))
    on_workers = NearDup(cfg.dedup)
    with process_pool(2) as pool:
        on_workers.parallel_map = ordered_map(pool, 2)
        shared = on_workers.run(docs_table(planted))
    assert shared.column("group").to_pylist() == alone.column("group").to_pylist()
    assert on_workers.pairs.tolist() == inline.pairs.tolist() and on_workers.stats == inline.stats


def test_without_grouping_the_hash_split_would_separate_near_copies(cfg_factory, planted):
    """The planted copies are a real test: placed by their own ids, many straddle."""
    split = Split(cfg_factory().split).run(docs_table(planted)).column("split").to_pylist()
    assert sum(split[k] != split[300 + k] for k in range(60)) >= 10


def test_grouping_does_not_depend_on_input_order(cfg_factory, planted):
    cfg = cfg_factory()
    ids = [f"doc-{i:04d}" for i in range(len(planted))]
    forward = Split(cfg.split).run(NearDup(cfg.dedup).run(docs_table(planted, ids)))
    order = list(reversed(range(len(planted))))
    backward = Split(cfg.split).run(
        NearDup(cfg.dedup).run(docs_table([planted[i] for i in order], [ids[i] for i in order]))
    )
    by_id = dict(zip(backward.column("doc_id").to_pylist(), backward.column("split").to_pylist(), strict=True))
    assert forward.column("split").to_pylist() == [by_id[i] for i in ids]


def test_temporal_split_rejects_the_later_near_copy(cfg_factory):
    cfg = cfg_factory("split=temporal", "split.validation_from=2024-06-01", "split.test_from=2024-09-01")
    texts = [article(1), near_copy(article(1), 2), article(2)]
    dates = ["2024-01-05", "2024-10-01", "2024-10-02"]
    docs = Split(cfg.split).run(NearDup(cfg.dedup).run(docs_table(texts, dates=dates)))
    assert docs.column("split").to_pylist() == ["train", "", "test"]
    assert docs.column("reject").to_pylist() == ["", reasons.NEAR_DUPLICATE, ""]
    assert "doc-0000" in docs.column("reject_detail").to_pylist()[1]


def _rows(clean_by_split: list[tuple[str, str]]) -> pa.Table:
    n = len(clean_by_split)
    return pa.table(
        {
            "doc_seq": list(range(n)),
            "doc_hash": [f"h{i}" for i in range(n)],
            "clean": [c for _, c in clean_by_split],
            "split": [s for s, _ in clean_by_split],
            "kind": ["synthetic"] * n,
            "drop": [""] * n,
            "reject": [""] * n,
        }
    )


def test_evaluation_rows_train_has_are_dropped_with_their_reason(cfg_factory):
    rows = _rows(
        [
            ("train", "The council voted on Monday."),
            ("validation", "the council  voted on monday."),  # case and spaces folded: the same
            ("test", "The council voted on Tuesday."),
            ("test", "A new sentence."),
            ("validation", "A new sentence."),
        ]
    )
    step = Leakage(cfg_factory().dedup)
    out = step.run(rows)
    assert out.column("drop").to_pylist() == ["", reasons.SEEN_IN_TRAIN, "", reasons.SEEN_IN_VALIDATION, ""]
    assert step.stats["validation_in_train"] == 1 and step.stats["test_in_validation"] == 1
    assert measure(out, None, None)["sentences"]["exact"] == {
        "train/validation": 0,
        "train/test": 0,
        "validation/test": 0,
    }
    kept = Leakage(cfg_factory("dedup.eval_in_train=keep").dedup)
    assert kept.run(rows).column("drop").to_pylist() == [""] * 5
    assert measure(rows, None, None)["sentences"]["exact"]["train/validation"] == 1


def test_row_keys_made_on_worker_processes_are_the_inline_keys(cfg_factory, monkeypatch):
    """The build hands the leakage keys to its workers (``parallel_map``), several
    batches in flight: the same keys for the same rows, and the same drops."""
    from builder.pipeline.steps import leakage

    monkeypatch.setattr(leakage, "_BATCH", 7)  # many batches, so several are in flight at once
    splits = ("train", "validation", "test")
    rows = _rows([(splits[i % 3], f"Sentence {i % 11} of the story.") for i in range(60)])
    inline = Leakage(cfg_factory().dedup)
    alone = inline.run(rows)
    shared = Leakage(cfg_factory().dedup)
    with process_pool(2) as pool:
        shared.parallel_map = ordered_map(pool, 4)
        on_workers = shared.run(rows)
    assert np.asarray(shared.keys.rows).tolist() == np.asarray(inline.keys.rows).tolist()
    assert on_workers.column("drop").to_pylist() == alone.column("drop").to_pylist()
    assert shared.stats == inline.stats and inline.stats["dropped"] > 0


def test_drops_found_a_batch_at_a_time_are_the_drops_of_one_batch(cfg_factory, monkeypatch, tmp_path):
    """The drop reasons are found again batch by batch when the column is written
    (nothing kept for the whole corpus): with batches of 4 rows and a scratch folder,
    every row has the reason one batch gives, and a row dropped before keeps its own."""
    from builder.pipeline.steps import leakage

    splits = ("train", "validation", "test", "test", "validation")
    pairs = [(splits[i % 5], f"Sentence {i % 7} of the story.") for i in range(30)]
    pairs += [(("validation", "test")[i % 2], f"Only later, {i % 3}.") for i in range(10)]  # none in train
    rows = _rows(pairs)
    earlier = [reasons.DUPLICATE_DOCUMENT if i % 9 == 4 else "" for i in range(40)]
    rows = rows.set_column(rows.schema.get_field_index("drop"), "drop", pa.array(earlier))
    whole = Leakage(cfg_factory().dedup).run(rows).column("drop").to_pylist()
    monkeypatch.setattr(leakage, "_BATCH", 4)
    step = Leakage(cfg_factory().dedup)
    step.scratch = tmp_path
    batched = step.run(rows).column("drop").to_pylist()
    assert batched == whole
    assert {reasons.SEEN_IN_TRAIN, reasons.SEEN_IN_VALIDATION, reasons.DUPLICATE_DOCUMENT} <= set(whole)
    assert all(whole[i] == reasons.DUPLICATE_DOCUMENT for i in range(40) if earlier[i])
    assert step.stats["dropped"] == sum(1 for w, e in zip(whole, earlier, strict=True) if w and not e)


def test_text_keys_fold_case_and_whitespace():
    """Case folded (ß is ss), whitespace runs of any kind one space, none at the ends;
    texts that differ otherwise have different keys."""
    texts = ["A  b\nC", "a b c", " a\u3000b\x1cc\u00a0", "a b d", "STRASSE", "straße", "a bc", "", " "]
    keys = text_keys(pa.array(texts)).tolist()
    assert keys[0] == keys[1] == keys[2] and keys[4] == keys[5] and keys[7] == keys[8]
    assert len({keys[0], keys[3], keys[4], keys[6], keys[7]}) == 5
    assert text_keys(pa.array([], pa.string())).tolist() == []


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_build_has_zero_leakage_and_says_so(tmp_path, planted):
    """A corpus with planted near-copies and a sentence every article repeats."""
    shared = "Reporting by the news desk, with additional reporting from our correspondents."
    records = [{"id": f"a{i:04d}", "text": f"{t}\n{shared}"} for i, t in enumerate(planted[:120] + planted[300:330])]
    src = _write_jsonl(tmp_path / "news.jsonl", records)
    result = build(compose_cfg(tmp_path, "source=jsonl", f"source.path={src}", "noise=typo"))
    stats = json.loads((result.path / "stats.json").read_text())
    leak = stats["leakage"]
    assert leak["total"] == 0
    assert leak["near_threshold"] == pytest.approx(0.6)
    assert stats["steps"]["neardup"]["groups"] >= 25
    assert stats["rows"]["filtered"].get(reasons.SEEN_IN_TRAIN, 0) > 0
    written = {}
    for f in sorted((result.path / "data").glob("*.parquet")):
        split = f.name.split("-")[0]
        written.setdefault(split, set()).update(
            " ".join(c.lower().split()) for c in pq.read_table(f).column("clean").to_pylist()
        )
    assert not written["train"] & (written.get("validation", set()) | written.get("test", set()))


def _pairs_one_by_one(sigs: np.ndarray, threshold: float, bands: int, rows: int) -> set[tuple[int, int]]:
    """The linking rule spelled out: in each band's buckets, a document is compared with
    the bucket's first and, failing that, with the one before it."""
    found = set()
    for b in range(bands):
        keys = band_keys(sigs, b, rows)
        buckets: dict[int, list[int]] = {}
        for i in np.argsort(keys, kind="stable").tolist():
            buckets.setdefault(int(keys[i]), []).append(i)
        for members in buckets.values():
            for t in range(1, len(members)):
                m = members[t]
                for other in dict.fromkeys((members[0], members[t - 1])):
                    if np.mean(sigs[m] == sigs[other]) >= threshold:
                        found.add((min(m, other), max(m, other)))
                        break
    return found


def _groups_one_by_one(pairs: list[tuple[int, int]], ids: list[str]) -> dict[int, str]:
    """Each linked position's group name, by merging sets pair by pair."""
    member: dict[int, set[int]] = {}
    for i, j in pairs:
        merged = member.get(i, {i}) | member.get(j, {j})
        for k in merged:
            member[k] = merged
    return {k: min(ids[m] for m in group) for k, group in member.items()}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)).filter(lambda p: p[0] < p[1]), max_size=30),
    st.lists(st.text(min_size=1, max_size=4), min_size=25, max_size=25, unique=True),
)
def test_linked_documents_are_grouped_under_their_smallest_id(pairs, ids):
    """Chains and stars of links make one group, named by its smallest id in Python's
    order (non-ASCII ids included); documents no pair links are in none."""
    array = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    linked, component = linked_groups(array)
    want = _groups_one_by_one(pairs, ids)
    assert linked.tolist() == sorted(want)
    if len(linked):
        names = group_names(pa.array([ids[k] for k in linked.tolist()]), component).to_pylist()
        assert dict(zip(linked.tolist(), names, strict=True)) == want
    assert len(set(component.tolist())) == len(set(want.values()))


def test_similar_pairs_follow_the_linking_rule():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 50, size=(200, 128), dtype=np.uint32)
    noisy = base[:100] ^ (rng.random((100, 128)) < 0.3).astype(np.uint32)
    sigs = np.vstack([base, noisy, base[:40] ^ (rng.random((40, 128)) < 0.5).astype(np.uint32)])
    for threshold, bands, rows in ((0.6, 24, 4), (0.5, 64, 2), (0.8, 16, 8)):
        pairs, similarity = similar_pairs(sigs, threshold, bands, rows)
        assert set(map(tuple, pairs.tolist())) == _pairs_one_by_one(sigs, threshold, bands, rows)
        assert pairs.tolist() == sorted(pairs.tolist())
        assert np.all(similarity >= threshold)


def test_signatures_and_bands_in_the_work_folder_give_the_same_groups(cfg_factory, planted, tmp_path):
    """A build maps the signatures and band keys from its work folder: the same links."""
    held = NearDup(cfg_factory().dedup)
    mapped = NearDup(cfg_factory().dedup)
    mapped.scratch = tmp_path
    a, b = held.run(docs_table(planted)), mapped.run(docs_table(planted))
    assert a.column("group").to_pylist() == b.column("group").to_pylist()
    assert np.array_equal(held.pairs, mapped.pairs) and held.stats == mapped.stats
    assert held.stats["linked_pairs"] > 0
    assert (tmp_path / "signatures.u32").exists() and (tmp_path / "bands.u64").exists()
