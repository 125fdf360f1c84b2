"""Every shipped config composes and validates; a wrong one fails in one line, before work."""

import subprocess
import sys

import pytest

from builder.app.config import GROUPS as SCHEMA_GROUPS
from builder.app.config import ConfigError, validate
from builder.app.steps import make_pipeline
from builder.core.resources import CONF_DIR
from tests.paths import PROJECT_DIR

GROUPS = sorted(SCHEMA_GROUPS)  # each with a folder of options in builder/conf/
OPTIONS = [(g, f.stem) for g in GROUPS for f in sorted((CONF_DIR / g).glob("*.yaml"))]
EXPERIMENTS = sorted(f.stem for f in (CONF_DIR / "experiment").glob("*.yaml"))
PATHS = {"jsonl": "x.jsonl", "parquet": "x.parquet", "csv": "x.csv", "textdir": "x", "hf": "x"}


@pytest.mark.parametrize(("group", "option"), OPTIONS)
def test_every_option_composes_and_validates(cfg_factory, group, option):
    extra = [f"source.path={PATHS[option]}"] if group == "source" and option in PATHS else []
    cfg = cfg_factory(f"{group}={option}", *extra)
    validate(cfg)
    make_pipeline(cfg)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes_and_validates(cfg_factory, experiment):
    cfg = cfg_factory(f"experiment={experiment}")
    validate(cfg)


def _run(*args, cwd=PROJECT_DIR):
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("split.tset=0.05", "tset"),
        ("+split.tset=0.05", "split.tset"),
        ("+noise.structure.spilt=0.1", "noise.structure.spilt"),
        ("split.undated=sometimes", "split.undated"),
        ("source.encoding=klingon", "source.encoding"),
        ("source.name=.", "source.name"),
        ("write.name=..", "write.name"),
        ("split.test=abc", "split.test"),
        ("noise=nosuchrecipe", "nosuchrecipe"),
        ("split.test=0.95", "split ratios"),
        ("runner.workers=0", "runner.workers"),
        ("source=jsonl", "source.path"),
        ("noise.level=2", "noise.level"),
        ("pipeline.stages=[normalize,units]", "segment"),
    ],
)
def test_bad_config_fails_in_one_line_before_any_work(tmp_path, override, expected):
    r = _run(override, f"write.root={tmp_path}")
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    assert expected in lines[0]
    assert not any(tmp_path.iterdir())  # nothing was written


def test_missing_input_file_is_reported_before_work(tmp_path):
    r = _run("source=jsonl", f"source.path={tmp_path / 'missing.jsonl'}", f"write.root={tmp_path}")
    assert r.returncode == 2 and "missing.jsonl" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_sweep_is_checked_point_by_point(tmp_path):
    r = _run("-m", "noise.level=0.1,5", f"write.root={tmp_path}")
    assert r.returncode == 2 and "noise.level=5" in r.stderr.replace("5.0", "5")


def test_validate_rejects_unknown_stage(cfg_factory):
    cfg = cfg_factory("pipeline.stages=[normalize,segment,nosuch]")
    with pytest.raises(ConfigError, match="nosuch"):
        validate(cfg)


def test_sweep_points_that_would_share_a_folder_are_refused_before_work(tmp_path):
    r = _run("-m", "write.name=mine,mine", f"write.root={tmp_path}")
    assert r.returncode == 2 and "two runs would write" in r.stderr, r.stderr
    assert not any(tmp_path.iterdir())


def test_a_sweep_with_a_fixed_name_gives_each_point_its_own_folder(tmp_path):
    r = _run(
        "-m",
        "source.include_lee=false",
        "noise=typo",
        "noise.level=0.3,0.6",
        "write.name=mine",
        "split.test=0",
        "split.validation=0",
        "runner.progress=false",
        f"write.root={tmp_path}",
    )
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mine")) == [
        "mine__noise.level=0.3",
        "mine__noise.level=0.6",
    ]


def test_the_summary_says_when_an_earlier_build_was_replaced(tmp_path):
    args = ("source.include_lee=false", "noise=typo", "split.test=0", "split.validation=0", "runner.progress=false")
    first = _run(*args, f"write.root={tmp_path}")
    second = _run(*args, f"write.root={tmp_path}")
    assert first.returncode == second.returncode == 0, second.stderr
    assert "replaced" not in first.stdout and "(replaced the earlier build)" in second.stdout
