"""The dataset card, its plots, its baselines and the build's signature, read back from
real builds the way a user or the Hub reads them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jiwer
import matplotlib.image
import pyarrow.parquet as pq
import pytest
import yaml
from datasets import Features, load_dataset
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs, known_task_ids
from huggingface_hub import DatasetCard, DatasetCardData, metadata_load
from sacrebleu.metrics import BLEU, CHRF

from builder.app.build import build
from builder.core.schema import ROW_FEATURES
from builder.pipeline.writers.card import size_category
from tests.conftest import compose_cfg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Clean text that is not news: maintenance instructions, garbled with a recipe.
MANUAL = [
    f"Step {i}: remove the four screws that hold cover plate {i} and lift it away from the housing. "
    f"Check gasket {i} for cracks and replace it if the rubber has hardened. "
    "Tighten the screws again in a cross pattern to the torque given in the table."
    for i in range(14)
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample built twice, into two roots."""
    a = build(compose_cfg(tmp_path_factory.mktemp("a")))
    b = build(compose_cfg(tmp_path_factory.mktemp("b")))
    return a.path, b.path


def _corpus(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "manual.jsonl"
    path.write_text("".join(json.dumps({"id": f"m{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    return path


def _manual_build(tmp_path: Path, *overrides: str, texts: list[str] = MANUAL, root: str = "out") -> Path:
    path = _corpus(tmp_path / "in", texts)
    cfg = compose_cfg(
        tmp_path / root,
        "source=jsonl",
        f"source.path={path}",
        "noise=typo",
        "noise.level=0.3",
        "split.validation=0.2",
        "split.test=0.2",
        *overrides,
    )
    return build(cfg).path


def _stats(folder: Path) -> dict:
    return json.loads((folder / "stats.json").read_text())


def _card(folder: Path) -> DatasetCard:
    return DatasetCard.load(folder / "README.md")


# -- the card's metadata ------------------------------------------------------------------------------------------


def test_the_card_yaml_loads_and_pins_the_parquet_schema(sample):
    folder, _ = sample
    text = (folder / "README.md").read_text()
    assert text.startswith("---\n")
    card = _card(folder)
    assert metadata_load(folder / "README.md") == card.data.to_dict()
    # The Hub's offline parsing: card data round-trips, data_files are valid, features load.
    assert DatasetCardData(**card.data.to_dict()).to_dict() == card.data.to_dict()
    configs = MetadataConfigs.from_dataset_card_data(card.data)
    assert set(configs) == {"default"}
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    features = infos["default"].features
    assert features == ROW_FEATURES
    for shard in sorted((folder / "data").glob("*.parquet")):
        assert Features.from_arrow_schema(pq.read_schema(shard)) == features


def test_the_card_names_its_licence_size_and_tasks(sample):
    folder, _ = sample
    data = _card(folder).data
    stats = _stats(folder)
    assert data.license == "unknown"
    assert data.pretty_name == "sample"
    assert data.language == ["en"]
    rows = sum(stats["splits"].values())
    assert data.size_categories == [size_category(rows)] == ["1K<n<10K"]
    hub_sizes = json.loads(resources.files("datasets.utils.resources").joinpath("size_categories.json").read_text())
    assert data.size_categories[0] in hub_sizes
    assert data.task_categories and set(data.task_categories) <= set(known_task_ids)


def test_the_sample_card_says_what_is_known_of_its_licences(sample):
    text = (sample[0] / "README.md").read_text()
    assert "Lee corpus" in text and "LGPL-2.1" in text and "No licence is stated" in text
    assert "news" in text  # the sample is news, and says so


def test_size_categories_follow_the_hubs_buckets():
    hub = json.loads(resources.files("datasets.utils.resources").joinpath("size_categories.json").read_text())
    cases = {0: "n<1K", 999: "n<1K", 1000: "1K<n<10K", 9999: "1K<n<10K", 10**5: "100K<n<1M", 10**6: "1M<n<10M"}
    cases |= {10**9 - 1: "100M<n<1B", 10**9: "1B<n<10B", 10**12: "n>1T"}
    for n, label in cases.items():
        assert size_category(n) == label
        assert label in hub


def test_the_dataset_loads_with_the_cards_split_sizes(sample):
    folder, _ = sample
    ds = load_dataset(str(folder))
    splits = {s["name"]: s["num_examples"] for s in _card(folder).data.dataset_info["splits"]}
    assert {name: len(split) for name, split in ds.items()} == splits


# -- plots ----------------------------------------------------------------------------------------------------------


def test_the_plots_are_pngs_linked_from_the_card_and_the_same_bytes_every_build(sample):
    a, b = sample
    plots = _stats(a)["plots"]
    assert set(plots) == {"cer", "wer", "align_score", "length", "edit_categories"}
    card = (a / "README.md").read_text()
    for name, rel in plots.items():
        assert rel == f"plots/{name}.png"
        data = (a / rel).read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        image = matplotlib.image.imread(a / rel)
        assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
        assert f"]({rel})" in card
        assert data == (b / rel).read_bytes(), f"{rel} differs between two builds"
        assert b"Matplotlib" not in data  # no version text: bytes do not change with it


def test_without_real_rows_the_align_score_plot_is_left_out_and_said_so(tmp_path):
    folder = _manual_build(tmp_path)
    stats = _stats(folder)
    assert "align_score" not in stats["plots"]
    assert any(note.startswith("align_score") for note in stats["plot_notes"])
    card = (folder / "README.md").read_text()
    assert "Not drawn: align_score" in card and "align_score.png" not in card
    for rel in stats["plots"].values():
        assert (folder / rel).read_bytes().startswith(PNG_SIGNATURE)


# -- baselines ------------------------------------------------------------------------------------------------------


def test_the_identity_baselines_match_sacrebleu_and_jiwer_on_the_rows_read_back(sample):
    folder, _ = sample
    baselines = _stats(folder)["baselines"]
    assert set(baselines) == {"train", "validation", "test"}
    for split, got in baselines.items():
        rows = load_dataset(str(folder), split=split)
        garbled, clean = list(rows["garbled"]), list(rows["clean"])
        assert got["rows"] == len(rows)
        assert got["cer"] == pytest.approx(jiwer.cer(clean, garbled), abs=1e-6)
        assert got["wer"] == pytest.approx(jiwer.wer(clean, garbled), abs=1e-6)
        assert got["chrf"] == pytest.approx(CHRF().corpus_score(garbled, [clean]).score, abs=1e-4)
        assert got["bleu"] == pytest.approx(BLEU().corpus_score(garbled, [clean]).score, abs=1e-4)
        assert 0 < got["cer"] < 1 and 0 < got["bleu"] < 100  # garbled text is not the clean text
    card = (folder / "README.md").read_text()
    assert "the numbers a restoration model must beat" in card
    test = baselines["test"]
    assert f"| test | {test['rows']:,} | {test['cer']:.4f} | {test['wer']:.4f} |" in card


# -- signature ------------------------------------------------------------------------------------------------------


def test_the_signature_is_the_same_for_two_roots_and_in_the_card(sample):
    a, b = sample
    sig_a, sig_b = _stats(a)["signature"], _stats(b)["signature"]
    assert set(sig_a) == {"settings", "input"}
    assert sig_a == sig_b
    assert sig_a["settings"] in (a / "README.md").read_text()
    assert _stats(a)["builder"]["version"]


def test_the_signature_changes_with_a_setting_or_the_input_and_not_with_the_root(tmp_path):
    base = _stats(_manual_build(tmp_path / "1"))["signature"]
    moved = _stats(_manual_build(tmp_path / "1", root="elsewhere", texts=MANUAL))["signature"]
    assert moved == base
    other_seed = _stats(_manual_build(tmp_path / "2", "seed=1"))["signature"]
    assert other_seed["settings"] != base["settings"] and other_seed["input"] == base["input"]
    edited = _stats(_manual_build(tmp_path / "3", texts=[*MANUAL[:-1], "Step 13: done."]))["signature"]
    assert edited["input"] != base["input"] and edited["settings"] == base["settings"]


# -- what the card says the data is ---------------------------------------------------------------------------------


def test_a_card_for_other_text_does_not_call_it_news_and_takes_its_settings(tmp_path):
    folder = _manual_build(tmp_path)
    text = (folder / "README.md").read_text()
    assert "news" not in text.lower()
    data = _card(folder).data
    assert data.license == "unknown" and data.pretty_name == "manual"
    assert "synthetic rows**" in text and "real rows**" not in text
    described = _manual_build(
        tmp_path / "d",
        "card.license=cc-by-4.0",
        "card.pretty_name=Pump manual pairs",
        "card.description='Typo-garbled steps of a pump maintenance manual.'",
        "card.tags=[manuals]",
    )
    data = _card(described).data
    assert (data.license, data.pretty_name) == ("cc-by-4.0", "Pump manual pairs")
    assert "manuals" in data.tags
    body = (described / "README.md").read_text()
    assert "Typo-garbled steps of a pump maintenance manual." in body
    assert "# Pump manual pairs" in body


def test_a_missing_split_is_left_out_of_the_card_and_baselines(tmp_path):
    folder = _manual_build(tmp_path, "split.validation=0.0", "split.test=0.0")
    stats = _stats(folder)
    assert list(stats["baselines"]) == ["train"]
    meta = yaml.safe_load((folder / "README.md").read_text().split("---\n")[1])
    assert [s["split"] for s in meta["configs"][0]["data_files"]] == ["train"]
    assert "No rows went to validation, test" in (folder / "README.md").read_text()
    assert set(load_dataset(str(folder))) == {"train"}


def test_worker_processes_give_the_same_stats_and_plots(tmp_path):
    """With runner.workers=2 the rows are counted, the baselines scored and each plot drawn
    in worker processes: the same numbers and PNG bytes."""
    one = _manual_build(tmp_path / "1")
    two = _manual_build(tmp_path / "2", "runner.workers=2", texts=MANUAL)
    assert (one / "stats.json").read_bytes() == (two / "stats.json").read_bytes()
    for rel in _stats(one)["plots"].values():
        assert (one / rel).read_bytes() == (two / rel).read_bytes()


def test_a_large_split_scores_chrf_and_bleu_on_a_fixed_sample_and_cer_on_every_row():
    import jiwer

    from builder.pipeline.writers.baselines import IdentityBaselines

    clean = [f"The council met on day {i} to discuss the budget." for i in range(3000)]
    garbled = [c.replace("budget", "budgte") if i % 3 else c for i, c in enumerate(clean)]
    ids = [f"d{i}" for i in range(3000)]
    results = []
    for _ in range(2):
        b = IdentityBaselines(sample=500, split_rows={"train": 3000})
        for start in range(0, 3000, 700):
            b.add("train", garbled[start : start + 700], clean[start : start + 700], ids[start : start + 700])
        results.append(b.result(("train",))["train"])
    assert results[0] == results[1]
    assert results[0]["rows"] == 3000 and 400 <= results[0]["scored_rows"] <= 600
    assert results[0]["cer"] == pytest.approx(jiwer.cer(clean, garbled), abs=1e-6)


def test_a_plot_name_the_card_does_not_know_is_refused(tmp_path):
    from builder.pipeline.writers.plots import draw_plot

    with pytest.raises(ValueError, match="no plot named"):
        draw_plot("colour", None, tmp_path)
    assert not (tmp_path / "plots").exists()
