"""The Python API (``from builder import ...``): what a user of each function relies on."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import builder
from builder import AlignedGroup, Garbled, Garbler, align, build, estimate_profile, garble, garble_batch
from builder.app.api import content_id, split_sentences
from builder.core.edits import replay
from builder.core.errors import ConfigError
from builder.noise.recipe import load_recipe
from builder.profile.estimate import Profile, ProfileError
from tests.paths import PROJECT_DIR
from tests.profile.corpus import SENTENCES

TEXT = (
    "President Volodymyr Zelenskyy met U.S. envoy Steve Witkoff in Kyiv on Tuesday. The talks lasted three hours, "
    "and officials said they were productive. Russian troops advanced near Sudzha, in the Kursk region.\n"
    "The Kremlin was noncommittal."
)


def _python(code: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, cwd=PROJECT_DIR, timeout=120, check=True
    )


# -- the package ----------------------------------------------------------------------------------------------------


def test_the_five_functions_are_the_packages_api() -> None:
    assert {"garble", "align", "build", "estimate_profile", "garble_batch"} <= set(builder.__all__)
    assert all(hasattr(builder, name) for name in builder.__all__)
    with pytest.raises(AttributeError):
        builder.no_such_name  # noqa: B018


def test_align_is_both_the_function_and_the_subpackage() -> None:
    import builder.align as package

    assert package.Aligner.__name__ == "Aligner"  # the subpackage is still the subpackage ...
    assert package(["Residents packed the hall."], ["Residents packed the hall."]) == align(
        ["Residents packed the hall."], ["Residents packed the hall."]
    )  # ... and aligns when called, as `from builder import align` may give it


def test_importing_a_module_of_the_package_does_not_load_the_api() -> None:
    done = _python("import sys, builder.core.edits; print('builder.app.api' in sys.modules)")
    assert done.stdout.strip() == b"False"


def test_the_noise_tool_garbles_without_hydra_nltk_or_datasets() -> None:
    code = (
        "import io, sys\n"
        "from builder.app.noise_cli import main\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'The minister said on Monday.\\n'))\n"
        "assert main(['--recipe', 'typo', '--seed', '1']) == 0\n"
        "heavy = ('omegaconf', 'hydra', 'nltk', 'datasets', 'scipy', 'builder.profile', 'builder.noise.ops.lexical')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = _python(code)
    assert json.loads(done.stdout)["clean"] == "The minister said on Monday."
    assert done.stderr.decode().strip() == "[]"


def test_the_align_tools_help_loads_no_aligner() -> None:
    code = (
        "import sys\n"
        "from builder.app.align_cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'scipy', 'nltk', 'builder.align.aligner') if m in sys.modules))\n"
    )
    assert _python(code).stdout.decode().splitlines()[-1] == "[]"


# -- garble ---------------------------------------------------------------------------------------------------------


def test_garble_is_deterministic_and_its_edits_replay() -> None:
    one = garble(TEXT, recipe="mixed", level=0.5, seed=3)
    assert isinstance(one, Garbled) and one.clean == TEXT and one.recipe == "mixed"
    assert one.garbled != TEXT and one.edits
    assert replay(one.clean, one.edits) == one.garbled
    assert garble(TEXT, recipe="mixed", level=0.5, seed=3) == one
    assert garble(TEXT, recipe="mixed", level=0.5, seed=4).garbled != one.garbled


def test_garble_a_list_keys_each_text_by_its_content() -> None:
    texts = [SENTENCES[0], SENTENCES[1], SENTENCES[0], "", "   "]
    out = garble(texts, recipe="typo", level=0.5, seed=1)
    assert [g.clean for g in out] == texts
    assert out[0] == out[2]  # the same text garbles the same wherever it is
    assert out[0] == garble(SENTENCES[0], recipe="typo", level=0.5, seed=1)
    assert out[0].doc_id == content_id(SENTENCES[0])
    assert out[3].garbled == "" and out[4].garbled == "   "
    ids = garble(texts[:3], recipe="typo", level=0.5, seed=1, doc_ids=["a", "b", "c"])
    assert ids[0].garbled != ids[2].garbled and ids[0].doc_id == "a"
    with pytest.raises(ValueError, match="2 doc_ids for 3 texts"):
        garble(texts[:3], recipe="typo", doc_ids=["a", "b"])


def test_garble_takes_a_recipe_by_name_as_a_recipe_or_as_a_profile() -> None:
    by_name = garble(SENTENCES[:6], recipe="typo", level=0.3, seed=2)
    by_recipe = garble(SENTENCES[:6], recipe=load_recipe("typo").with_level(0.3), seed=2)
    assert by_name == by_recipe
    seed_profile = Profile.load("seed")
    by_profile = garble(SENTENCES[:6], recipe=seed_profile, seed=2)
    assert by_profile == garble(SENTENCES[:6], recipe="profile", seed=2)  # noise=profile names the seed profile
    assert by_profile[0].recipe == "profile:seed"
    assert any(g.edits for g in by_profile)
    assert all(replay(g.clean, g.edits) == g.garbled for g in by_profile)
    assert garble(SENTENCES[0], recipe=seed_profile, level=0, seed=2).garbled == SENTENCES[0]
    with pytest.raises(ValueError, match="unknown noise recipe 'nope'"):
        garble("x", recipe="nope")


def test_garble_segments_so_sentence_operations_act_as_in_the_build() -> None:
    recipe = {"name": "merges", "level": 0.0, "structure": {"merge": 1.0}}
    text = " ".join(SENTENCES[:4])
    merged = garble(text, recipe=recipe, seed=0)
    assert replay(merged.clean, merged.edits) == merged.garbled
    assert len(split_sentences(merged.garbled)) < 4
    assert {e.op for e in merged.edits} == {"merge_sentence"}
    whole = garble(text, recipe=recipe, seed=0, segment=False)  # one span: no sentence to merge
    assert whole.garbled == text and whole.edits == []


def test_garble_without_segmenting_is_what_the_noise_tool_prints() -> None:
    line = SENTENCES[3]
    done = subprocess.run(
        [sys.executable, "-m", "builder.noise", "--recipe", "mixed", "--level", "0.5", "--seed", "7"],
        input=(line + "\n").encode(),
        capture_output=True,
        cwd=PROJECT_DIR,
        check=True,
        timeout=120,
    )
    row = json.loads(done.stdout)
    mine = garble(line, recipe="mixed", level=0.5, seed=7, segment=False)
    assert row == {"clean": line, "garbled": mine.garbled, "edits": [e.as_dict() for e in mine.edits]}


# -- align ----------------------------------------------------------------------------------------------------------

CLEAN = [
    "The city council voted on Tuesday to close two public libraries in the north of the town.",
    "Mayor Linda Ortiz said the decision was painful, but she added that costs had risen for a year.",
    "Residents packed the hall.",
    "Several of them asked the council to wait until the spring.",
    "Officials in Brussels said the European Union would extend its sanctions for another six months.",
]
GARBLED = [
    "The city councl voted on Tuesday to close two public libaries in the north of the town.",
    "Mayor Linda Ortiz said the decision was painful.",  # split ...
    "But she added that costs had risen for a year.",
    "Residents packed the hall, and several of them asked the council to wait until the spring.",  # ... merged
    "Photo: Reuters",  # a caption on the garbled side only
    "Officials in Brussels said the European Union would extend its sanctions for another six months.",
]
GOLD = [([0], [0]), ([1, 2], [1]), ([3], [2, 3]), ([4], []), ([5], [4])]


def test_align_finds_splits_merges_and_a_caption() -> None:
    groups = align(GARBLED, CLEAN)
    assert all(isinstance(g, AlignedGroup) for g in groups)
    assert [(g.garbled_idx, g.clean_idx) for g in groups] == GOLD
    assert [g.kind for g in groups] == ["1-1", "2-1", "1-2", "1-0", "1-1"]
    assert groups[1].garbled == GARBLED[1:3] and groups[2].clean == CLEAN[2:4]
    assert groups[3].score == 0.0 and all(0.5 < g.score <= 1.0 for g in groups if g.clean_idx and g.garbled_idx)


def test_align_cuts_texts_into_sentences() -> None:
    garbled_text = " ".join(GARBLED[:4]) + "\n" + GARBLED[4] + "\n" + GARBLED[5]
    groups = align(garbled_text, " ".join(CLEAN))
    assert [(g.garbled_idx, g.clean_idx) for g in groups] == GOLD
    assert [s for g in groups for s in g.garbled] == GARBLED
    assert align("", " ".join(CLEAN[:2])) == [
        AlignedGroup([], [0], [], [CLEAN[0]], 0.0),
        AlignedGroup([], [1], [], [CLEAN[1]], 0.0),
    ]


# -- estimate_profile -----------------------------------------------------------------------------------------------


def test_estimate_profile_then_garble_with_it() -> None:
    pairs = garble(SENTENCES[:12], recipe="typo", level=0.25, seed=0)
    profile = estimate_profile([(p.garbled, p.clean) for p in pairs], name="typing")
    assert isinstance(profile, Profile) and profile.name == "typing" and profile.counts["pairs"] == 12
    assert profile.rates["keyboard"] > 0.01 and profile.rates["word_drop"] == 0
    same = estimate_profile([{"noisy": p.garbled, "clean": p.clean} for p in pairs], name="typing")
    assert same.to_json() == profile.to_json() == estimate_profile(pairs, name="typing").to_json()
    out = garble(SENTENCES[12:20], recipe=profile, seed=1)
    assert out[0].recipe == "profile:typing"
    assert sum(len(g.edits) for g in out) > 0
    assert {e.op for g in out for e in g.edits} <= {
        "keyboard",
        "char_insert",
        "char_delete",
        "char_transpose",
        "shift_slip",
        "case_slip",
        "space_drop",
        "space_insert",
        "word_substitute",
    }
    assert all(replay(g.clean, g.edits) == g.garbled for g in out)


def test_estimate_profile_says_what_is_wrong() -> None:
    with pytest.raises(ProfileError, match="no pairs"):
        estimate_profile([])
    with pytest.raises(ValueError, match="'clean'"):
        estimate_profile([{"garbled": "a"}])
    with pytest.raises(TypeError, match="a pair is"):
        estimate_profile(["just one text"])


# -- garble_batch and Dataset.map -----------------------------------------------------------------------------------

RECORDS = {
    "id": [f"r{k}" for k in range(9)],
    "text": [*SENTENCES[:4], SENTENCES[0], "", None, " ".join(SENTENCES[4:7]), SENTENCES[7]],
}


def test_dataset_map_garbles_the_same_in_any_batch_size() -> None:
    from datasets import Dataset

    ds = Dataset.from_dict(RECORDS)
    garbler = Garbler(recipe="mixed", level=0.4, seed=5)
    small = ds.map(garbler, batched=True, batch_size=2)
    large = ds.map(garbler, batched=True, batch_size=5)
    rows = small.to_list()
    assert rows == large.to_list()
    assert small.column_names == ["id", "text", "garbled", "edits"]
    assert rows[0]["garbled"] == rows[4]["garbled"]  # the same text garbles the same in another record
    assert rows[6]["garbled"] is None and rows[6]["edits"] == [] and rows[5]["garbled"] == ""
    for row in rows[:5] + rows[7:]:
        assert replay(row["text"], row["edits"]) == row["garbled"]
        mine = garble(row["text"], recipe="mixed", level=0.4, seed=5)
        assert row["garbled"] == mine.garbled and row["edits"] == [e.as_dict() for e in mine.edits]
    assert any(row["edits"] for row in rows)


def test_garble_batch_keys_records_by_an_id_column() -> None:
    from datasets import Dataset

    ds = Dataset.from_dict(RECORDS)
    kwargs = {"recipe": "typo", "level": 0.6, "seed": 1, "id_column": "id", "output_column": "noisy"}
    two = ds.map(garble_batch, batched=True, batch_size=2, fn_kwargs=kwargs).to_list()
    all_at_once = garble_batch(RECORDS, **kwargs)
    assert [r["noisy"] for r in two] == all_at_once["noisy"]
    assert [r["edits"] for r in two] == all_at_once["edits"]
    assert two[0]["noisy"] != two[4]["noisy"]  # the same text, another record
    assert two[0]["noisy"] == garble(SENTENCES[0], recipe="typo", level=0.6, seed=1, doc_ids="r0").garbled


def test_garbler_works_across_processes_and_types_its_columns() -> None:
    from datasets import Dataset

    garbler = Garbler(recipe="ocr", level=0.9, seed=3)
    again = pickle.loads(pickle.dumps(garbler))
    assert again(RECORDS) == garbler(RECORDS)
    ds = Dataset.from_dict(RECORDS)
    assert ds.map(garbler, batched=True, batch_size=3, num_proc=2).to_list() == ds.map(garbler, batched=True).to_list()
    # a first batch without any edit would fix the edits column as a list of nulls: typed from the start
    empty_first = Dataset.from_dict({"text": ["", None, *SENTENCES[:3]]})
    typed = empty_first.map(garbler, batched=True, batch_size=2, features=garbler.features(empty_first.features))
    assert typed.features["edits"].feature["start"].dtype == "int32"
    assert any(typed["edits"][2:])


# -- build ----------------------------------------------------------------------------------------------------------


def test_build_returns_the_folder_and_the_dataset_it_wrote(tmp_path: Path) -> None:
    from datasets import DatasetDict

    built = build(["source.include_lee=false", "runner.progress=false"], write_root=tmp_path / "out dir")
    assert built.path == tmp_path / "out dir" / "sample" and built.path.is_dir()
    assert isinstance(built.dataset, DatasetDict)
    splits = {name for name, rows in built.stats["splits"].items() if rows}
    assert set(built.dataset) == splits and "train" in splits
    for name, ds in built.dataset.items():
        files = sorted((built.path / "data").glob(f"{name}-*.parquet"))
        assert ds.to_list() == [row for f in files for row in pq.read_table(f).to_pylist()]
        assert len(ds) == built.stats["splits"][name]


def test_build_refuses_a_wrong_override_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        build(["split.tset=0.1"], write_root=tmp_path)
    assert "tset" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(TypeError, match="list of overrides"):
        build("noise=typo")  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())
