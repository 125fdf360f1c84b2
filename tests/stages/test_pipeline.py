import pytest

from builder.app.steps import make_pipeline
from builder.core.errors import ConfigError
from builder.core.schema import WORK_COLUMNS
from builder.pipeline.steps.base import DocStage


def _doc(i, clean, garbled="", reject=""):
    return {
        "doc_seq": i,
        "doc_id": f"d{i}",
        "source": "t",
        "title": "",
        "date": "",
        "url": "",
        "clean": clean,
        "garbled": garbled,
        "lang": "en",
        "meta": "",
        "reject": reject,
        "reject_detail": "",
    }


def _batch(docs):
    return {k: [d[k] for d in docs] for k in docs[0]}


DOCS = [
    _doc(0, "The council met on Monday. It approved the budget for new roads."),
    _doc(1, "", reject="invalid_json"),
    _doc(
        2,
        "Putin visited Kursk on Wednesday. He ordered troops forward.",
        "Putin visited Kursk on Wednesday. He ordered army forward.",
    ),
    _doc(3, "Short."),
]


def test_output_is_independent_of_batch_boundaries(cfg_factory):
    p = make_pipeline(cfg_factory("noise=typo", "noise.level=0.5"))
    whole = p(_batch(DOCS))
    parts = [p(_batch(DOCS[i : i + 1])) for i in range(len(DOCS))]
    joined = {c: [v for part in parts for v in part[c]] for c in WORK_COLUMNS}
    assert whole == joined
    assert list(whole) == list(WORK_COLUMNS)


def test_every_document_leaves_at_least_one_row(cfg_factory):
    out = make_pipeline(cfg_factory("noise=typo", "noise.level=0.5"))(_batch(DOCS))
    assert set(out["doc_seq"]) == {0, 1, 2, 3}
    rejected = [i for i, r in enumerate(out["reject"]) if r]
    assert [out["doc_seq"][i] for i in rejected] == [1]
    assert {out["kind"][i] for i, s in enumerate(out["doc_seq"]) if s == 2} == {"real"}


def test_a_stage_error_rejects_only_its_document(cfg_factory):
    class Explode(DocStage):
        name = "explode"
        inputs = ("clean",)
        outputs = ()

        def __init__(self, cfg):
            pass

        def process(self, doc):
            if "Short" in doc["clean"]:
                raise ValueError("boom")
            return {}

    p = make_pipeline(cfg_factory("noise=typo"))
    p.stages.insert(0, Explode(None))
    out = p(_batch(DOCS))
    rej = {out["doc_seq"][i]: out["reject_detail"][i] for i, r in enumerate(out["reject"]) if r}
    assert set(rej) == {1, 3}
    assert rej[3].startswith("explode: ValueError: boom")


def test_custom_stage_by_dotted_path_and_bad_paths(cfg_factory):
    cfg = cfg_factory(
        "pipeline.stages=[pair,split,normalize,segment,align,noise,units,measure,filter,builder.pipeline.steps.align.Align]"
    )
    with pytest.raises(ConfigError, match="'align' reads clean_sents"):
        make_pipeline(cfg)  # align after units: the sentence columns no longer exist
    with pytest.raises(ConfigError, match="cannot import"):
        make_pipeline(cfg_factory("pipeline.stages=[normalize,no.such.Stage]"))


def test_corpus_steps_run_around_the_batch_stages(cfg_factory):
    p = make_pipeline(cfg_factory())
    assert [s.name for s in p.before] == ["pair", "neardup", "split"]
    assert [s.name for s in p.after] == ["dedup", "leakage"]
    assert "split" not in [s.name for s in p.stages]


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ("[normalize,split,segment,align,noise,units,measure,filter]", "before the first stage"),
        ("[pair,split,normalize,segment,dedup,align,noise,units,measure,filter]", "after the last stage"),
        ("[pair,normalize,segment,align,noise,units,measure,filter]", "reads split"),
        ("[pair,split,normalize,segment,align,noise,measure,filter,dedup]", "units"),
    ],
)
def test_a_corpus_step_out_of_place_is_one_config_error(cfg_factory, stages, message):
    with pytest.raises(ConfigError, match=message):
        make_pipeline(cfg_factory(f"pipeline.stages={stages}"))


def test_a_stage_of_your_own_from_a_target_node(cfg_factory):
    cfg = cfg_factory()
    default = list(cfg.pipeline.stages)
    cfg.pipeline.stages = [*default, {"_target_": "tests.fault_stages.Explode"}]
    with pytest.raises(ConfigError, match="after the last stage"):
        make_pipeline(cfg)  # a batch stage after dedup
    cfg.pipeline.stages = [*default[:4], {"_target_": "tests.fault_stages.Explode"}, *default[4:]]
    assert make_pipeline(cfg).names[4] == "explode"
