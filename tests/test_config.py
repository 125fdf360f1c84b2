"""Every shipped config composes and validates; a wrong one fails in one line, before work.

The command's checks run in this process through ``builder.app.cli.main`` (what
``python -m builder`` runs), with its Hydra run replaced by one that fails the test: a wrong
config must be refused before Hydra starts. One sweep goes through a real ``python -m builder``
process (and tests/test_faults.py runs one that fails), for what a shell sees.
"""

import signal
import subprocess
import sys

import pytest
from datasets import load_dataset

from builder.app import cli
from builder.app.build import build
from builder.app.config import GROUPS as SCHEMA_GROUPS
from builder.app.config import ConfigError, validate
from builder.app.steps import make_pipeline
from builder.core.resources import CONF_DIR
from tests.conftest import compose_cfg
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


def _refused(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """``python -m builder ARGS`` in this process, for a command that must stop before Hydra
    runs: (its exit code, its stderr)."""

    def hydra(*_) -> None:
        raise AssertionError(f"the command went on to build: {args}")

    monkeypatch.setattr(cli, "_hydra", hydra)
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as info:
            cli.main(list(args))
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    out, err = capsys.readouterr()
    assert out == "", out
    return info.value.code, err


BAD = [
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
    ("noise.level=25", "noise.level"),
    ("pipeline.stages=[normalize,units]", "segment"),
]


@pytest.mark.parametrize(("override", "expected"), BAD)
def test_bad_config_fails_in_one_line_before_any_work(tmp_path, monkeypatch, capsys, override, expected):
    code, err = _refused(monkeypatch, capsys, override, f"write.root={tmp_path}")
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    assert expected in lines[0]
    assert not any(tmp_path.iterdir())  # nothing was written


def test_missing_input_file_is_reported_before_work(tmp_path, monkeypatch, capsys):
    code, err = _refused(
        monkeypatch, capsys, "source=jsonl", f"source.path={tmp_path / 'missing.jsonl'}", f"write.root={tmp_path}"
    )
    assert code == 2 and "missing.jsonl" in err and len(err.strip().splitlines()) == 1


def test_a_sweep_is_checked_point_by_point(tmp_path, monkeypatch, capsys):
    code, err = _refused(monkeypatch, capsys, "-m", "noise.level=0.1,25", f"write.root={tmp_path}")
    assert code == 2 and "noise.level=25" in err.replace("5.0", "5")


def test_validate_rejects_unknown_stage(cfg_factory):
    cfg = cfg_factory("pipeline.stages=[normalize,segment,nosuch]")
    with pytest.raises(ConfigError, match="nosuch"):
        validate(cfg)


def test_sweep_points_that_would_share_a_folder_are_refused_before_work(tmp_path, monkeypatch, capsys):
    code, err = _refused(monkeypatch, capsys, "-m", "write.name=mine,mine", f"write.root={tmp_path}")
    assert code == 2 and "two runs would write" in err, err
    assert not any(tmp_path.iterdir())


# -- one sweep from the command line, read by the tests below --------------------------------------

SWEEP = ("source=jsonl", "write.name=mine", "split.test=0", "split.validation=0", "runner.progress=false")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory, news_jsonl):
    """``python -m builder -m ... noise.level=0.2,0.4 write.name=mine`` into a root where an
    earlier build of the first point already is: (the root, the command's stdout)."""
    root = tmp_path_factory.mktemp("sweep")
    corpus = ("source=jsonl", f"source.path={news_jsonl}")
    earlier = build(compose_cfg(root, *SWEEP, *corpus, "noise.level=0.2"), sweep_suffix="noise.level=0.2")
    assert "replaced" not in cli.summary(earlier)  # a first build replaces nothing
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "-m",
            *SWEEP,
            *corpus,
            f"write.root={root / 'out'}",
            f"hydra.sweep.dir={root / 'logs'}",
            "noise.level=0.2,0.4",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert r.returncode == 0, r.stderr
    return root / "out", r.stdout


@pytest.mark.slow
def test_a_sweep_with_a_fixed_name_gives_each_point_its_own_folder(sweep):
    root, _ = sweep
    assert sorted(p.name for p in root.iterdir()) == ["mine__noise.level=0.2", "mine__noise.level=0.4"]


@pytest.mark.slow
def test_a_sweep_builds_each_point_with_its_own_values(sweep):
    root, _ = sweep
    low, high = (load_dataset(str(root / f"mine__noise.level={level}"))["train"] for level in ("0.2", "0.4"))
    assert sum(low["cer"]) / len(low) < sum(high["cer"]) / len(high)


@pytest.mark.slow
def test_the_summary_says_when_an_earlier_build_was_replaced(sweep):
    _, stdout = sweep
    built = [line for line in stdout.splitlines() if line.startswith("built ")]
    assert len(built) == 2, stdout
    replaced = [line for line in built if "(replaced the earlier build)" in line]
    assert len(replaced) == 1 and "mine__noise.level=0.2 (replaced" in replaced[0], built
