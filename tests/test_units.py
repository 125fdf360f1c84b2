from builder.core.edits import replay
from builder.noise import load_recipe
from builder.noise.document import garble_document
from builder.noise.structure import clean_text, garbled_text
from builder.pipeline.units import cut
from builder.text.segment import Segmenter

TEXT = (
    "First sentence is here, and it goes on for a while longer. Second one follows. Third is short.\n"
    "A fourth one, in a new paragraph, but it is also long enough to split. Fifth closes the story."
)


def _pieces(**structure):
    recipe = load_recipe("typo").with_level(0.3)
    from dataclasses import replace

    from builder.noise.structure import StructureRates

    recipe = replace(recipe, structure=StructureRates(**structure))
    sents = Segmenter().split(TEXT)
    return garble_document(recipe, TEXT, [(s.start, s.end) for s in sents], 7, "doc", [s.tag for s in sents])


def test_pieces_rebuild_both_texts_and_replay():
    for seed_structure in ({}, {"merge": 1.0}, {"split": 1.0}, {"drop": 0.5}, {"insert": 1.0}):
        pieces = _pieces(**seed_structure)
        assert clean_text(pieces) == TEXT
        for p in pieces:
            assert replay(p.clean, p.edits) == p.garbled


def test_units_replay_at_every_level():
    for structure in ({}, {"merge": 0.5, "split": 0.5, "drop": 0.2, "insert": 0.5}):
        pieces = _pieces(**structure)
        for level in ("sentence", "window", "document"):
            for u in cut(pieces, level, 60, False):
                assert replay(u.clean, u.edits) == u.garbled
        doc = cut(pieces, "document", 60, False)[0]
        assert doc.garbled == garbled_text(pieces).strip() or doc.garbled in garbled_text(pieces)


def test_structural_groups_are_labelled():
    assert {p.align for p in _pieces(merge=1.0) if p.is_group} >= {"1-2"}
    assert {p.align for p in _pieces(split=1.0) if p.is_group} >= {"2-1"}
    assert {p.align for p in _pieces(insert=1.0) if p.is_group} >= {"1-0"}
    assert {p.align for p in _pieces(drop=0.6) if p.is_group} >= {"0-1"}


def test_windows_respect_max_chars_and_never_start_with_a_caption():
    pieces = _pieces(insert=1.0)
    units = cut(pieces, "window", 80, False)
    assert all(u.clean != "" for u in units)
    assert "".join(u.clean for u in units).replace(" ", "").replace("\n", "") == TEXT.replace(" ", "").replace("\n", "")


def _stage_batch(noise: list) -> dict:
    n = len(noise)
    sents = Segmenter().split(TEXT)
    return {
        "doc_seq": list(range(n)),
        "doc_id": [f"d{i}" for i in range(n)],
        "origin": [f"f:{i}" for i in range(n)],
        "source": ["s"] * n,
        "lang": ["en"] * n,
        "date": [""] * n,
        "split": ["train"] * n,
        "reject": [""] * (n - 1) + ["unreadable"],
        "reject_detail": [""] * n,
        "clean": [TEXT] * n,
        "garbled": [""] * n,
        "clean_sents": [sents] * n,
        "garbled_sents": [[]] * n,
        "noise_pieces": noise,
    }


def test_the_units_stage_reads_sentences_as_it_reads_their_pieces():
    from omegaconf import OmegaConf

    from builder.noise.document import garble_batch
    from builder.noise.sentences import GarbledSentences
    from builder.pipeline.steps.units import Units

    recipe = load_recipe("typo").with_level(0.3)
    sents = Segmenter().split(TEXT)
    spans = [(s.start, s.end) for s in sents]
    made = garble_batch(recipe, [TEXT, TEXT, TEXT], [spans, spans, []], 7, ["a", "b", "c"])
    assert all(isinstance(doc, GarbledSentences) for doc in made)
    noise = [*made, None, made[0]]  # a document without sentences, one not garbled, one rejected
    for level in ("sentence", "window", "document"):
        stage = Units(OmegaConf.create({"level": level, "max_chars": 120}), recipe_name="typo")
        fast = stage(_stage_batch(noise))
        slow = stage(_stage_batch([None if doc is None else doc.pieces() for doc in noise]))
        assert fast == slow
        assert fast["drop"].count("no_units") == 2
        assert all(replay(c, e) == g for c, e, g in zip(fast["clean"], fast["edits"], fast["garbled"], strict=True))


def test_a_document_the_units_stage_fails_on_leaves_one_row_and_the_others_theirs():
    from omegaconf import OmegaConf

    from builder.align.aligner import Group
    from builder.noise.document import garble_batch
    from builder.pipeline.steps.units import Units

    recipe = load_recipe("typo").with_level(0.3)
    sents = Segmenter().split(TEXT)
    spans = [(s.start, s.end) for s in sents]
    made = garble_batch(recipe, [TEXT, TEXT], [spans, spans], 7, ["a", "b"])
    batch = _stage_batch([made[0], "not pieces", made[1]])
    batch["reject"] = ["", "", ""]
    # the middle document's real rows are made before its garbling fails: none of them stays
    batch["garbled"][1], batch["garbled_sents"][1] = TEXT, sents
    batch["groups"] = [None, [Group((k,), (k,), 1.0) for k in range(len(sents))], None]
    stage = Units(OmegaConf.create({"level": "sentence", "max_chars": 120}), recipe_name="typo")
    out = stage(batch)
    assert [out["doc_id"].count(d) for d in ("d0", "d1", "d2")] == [len(spans), 1, len(spans)]
    failed = out["doc_id"].index("d1")
    assert out["reject"][failed] == "stage_error" and out["split"][failed] == "" and out["kind"][failed] == ""
    assert out["id"][failed + 1 :] == [f"d2/typo/{k:04d}" for k in range(len(spans))]


def test_row_ids_number_a_documents_rows_with_four_digits_or_more():
    from builder.pipeline.steps.units import _ids

    assert _ids("d/typo/", 3, 2) == ["d/typo/0003", "d/typo/0004"]
    assert _ids("d/typo/", 9998, 4) == ["d/typo/9998", "d/typo/9999", "d/typo/10000", "d/typo/10001"]


def test_sentence_rows_carry_their_edits_as_the_batchs_arrow_column():
    import pyarrow as pa
    from omegaconf import OmegaConf

    from builder.core.edits import EditsColumn
    from builder.noise.document import garble_batch
    from builder.pipeline.steps.measure import Measure
    from builder.pipeline.steps.units import Units
    from builder.runners.chunks import work_schema

    recipe = load_recipe("typo").with_level(0.3)
    spans = [(s.start, s.end) for s in Segmenter().split(TEXT)]
    made = garble_batch(recipe, [TEXT, TEXT], [spans, spans], 7, ["a", "b"])
    stage = Units(OmegaConf.create({"level": "sentence", "max_chars": 120}), recipe_name="typo")
    rows = Measure()(stage(_stage_batch([made[0], None, made[1]])))  # the last is rejected: a marker row
    assert isinstance(rows["edits"], EditsColumn)
    assert rows["edits"] == [*made[0].edits, [], []]
    assert all(replay(c, e) == g for c, e, g in zip(rows["clean"], rows["edits"], rows["garbled"], strict=True))
    table = pa.Table.from_pydict(rows, schema=work_schema())
    assert table.column("edits").to_pylist()[: len(spans)] == [[e._asdict() for e in s] for s in made[0].edits]


def test_a_batch_with_real_rows_gets_edit_rows_and_a_diff_for_them():
    from omegaconf import OmegaConf

    from builder.align.aligner import Group
    from builder.noise.document import garble_batch
    from builder.pipeline.steps.measure import Measure
    from builder.pipeline.steps.units import Units

    recipe = load_recipe("typo").with_level(0.3)
    sents = Segmenter().split(TEXT)
    made = garble_batch(recipe, [TEXT], [[(s.start, s.end) for s in sents]], 7, ["a"])
    batch = _stage_batch([made[0], None, None])
    batch["reject"] = ["", "", ""]
    real = TEXT.replace("First", "Frist")
    batch["garbled"][1], batch["garbled_sents"][1] = real, Segmenter().split(real)
    batch["groups"] = [None, [Group((k,), (k,), 1.0) for k in range(len(sents))], None]
    stage = Units(OmegaConf.create({"level": "sentence", "max_chars": 120}), recipe_name="typo")
    rows = Measure()(stage(batch))
    assert isinstance(rows["edits"], list) and None not in rows["edits"]
    assert rows["edits"][: len(sents)] == made[0].edits
    assert all(replay(c, e) == g for c, e, g in zip(rows["clean"], rows["edits"], rows["garbled"], strict=True))
    assert rows["kind"].count("real") == len(sents) and any(rows["edits"][len(sents) : 2 * len(sents)])
