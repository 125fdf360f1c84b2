"""The build command: its manual, its sweeps, and that it leaves nothing behind in the
folder it runs from but the dataset."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_module

from builder.app.cli import CONFIG_MODULE, parse_command_line, sweep_suffix
from builder.app.config import GROUPS, register
from builder.app.manual import default_options, group_options, manual, schema_keys
from builder.core.resources import CONF_DIR
from tests.paths import PROJECT_DIR

register()
PACKAGE_DIR = PROJECT_DIR / "builder"
QUICK = ("source.include_lee=false", "noise=typo", "split.test=0", "split.validation=0", "runner.progress=false")


def _builder(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m builder`` from ``cwd``, with this checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True, cwd=cwd, env=env)


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


# --- configs inside the package -------------------------------------------------------


def test_the_configs_compose_from_the_package_module():
    with initialize_config_module(config_module=CONFIG_MODULE, version_base="1.3"):
        cfg = compose(config_name="config", overrides=["noise=typo"])
    assert cfg.noise.name == "typo" and cfg.source.kind == "sample"


@pytest.mark.parametrize("option", sorted(p.stem for p in (CONF_DIR / "experiment").glob("*.yaml")))
def test_an_experiment_is_chosen_without_a_plus(option):
    """`experiment: null` is in the defaults list: `experiment=NAME` picks one, and the
    root config's comment and the README say so."""
    with initialize_config_module(config_module=CONFIG_MODULE, version_base="1.3"):
        cfg = compose(config_name="config", overrides=[f"experiment={option}"])
        with pytest.raises(Exception, match="Multiple values for experiment"):
            compose(config_name="config", overrides=[f"+experiment={option}"])
    assert cfg.write.name == option
    for text in ((CONF_DIR / "config.yaml").read_text(), (PROJECT_DIR / "README.md").read_text()):
        assert "+experiment=" not in text
    assert "`experiment=<name>`" in (CONF_DIR / "config.yaml").read_text()


# --- the manual ---------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_manual_lists_every_group_with_its_options_and_default():
    text = manual()
    defaults = default_options()
    assert defaults["source"] == "sample" and defaults["noise"] == "mixed" and defaults["experiment"] is None
    for group in [*GROUPS, "experiment"]:
        assert f"\n{group}:" in text
        options = group_options(group)
        if not options:  # a section of the schema without a folder of options (pairing, dedup)
            assert not (CONF_DIR / group).is_dir(), group
            continue
        shown = ", ".join(f"{o} (default)" if o == defaults.get(group) else o for o in options)
        assert f"options: {shown}" in _flat(text), group


def test_every_schema_key_has_a_help_line_and_the_manual_prints_it():
    text = _flat(manual())
    keys = schema_keys()
    assert {"source.path", "source.fields.clean", "noise.level", "noise.structure.split", "write.root"} <= set(keys)
    for key, line in keys.items():
        assert line, f"{key} has no help line in the schema"
        assert f" {key} {_flat(line)}" in text, key


def test_the_manual_shows_how_to_use_it():
    text = manual()
    for example in (
        "source=jsonl source.path=news.jsonl noise=rtt",
        "-m noise.level=0.1,0.2",
        "experiment=windows_typo",
        "hydra/job_logging=default hydra.run.dir=",
        "--hydra-help",
    ):
        assert example in text


def test_help_is_the_manual_and_loads_neither_hydra_nor_the_pipeline():
    """Speed is measured, not asserted: what makes --help slow is loading Hydra, datasets,
    nltk, pyarrow or numpy, so the check is that none of them is loaded."""
    probe = (
        "import sys, io, contextlib\n"
        "from builder.app.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main(['--help'])\n"
        "heavy = sorted(m for m in ('hydra', 'datasets', 'nltk', 'pyarrow', 'numpy', 'pandas') if m in sys.modules)\n"
        "print(heavy)\n"
        "print(out.getvalue())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_DIR, env=env)
    assert r.returncode == 0, r.stderr
    heavy, _, text = r.stdout.partition("\n")
    assert heavy == "[]", f"--help loads {heavy}"
    assert text.strip() == manual().strip()


def test_hydra_help_is_still_hydras(tmp_path):
    r = _builder("--hydra-help", cwd=tmp_path)
    assert r.returncode == 0 and "Hydra (" in r.stdout, r.stderr
    assert not any(tmp_path.iterdir())


# --- sweeps -------------------------------------------------------------------------------


def test_a_sweep_expands_to_every_combination_in_order():
    command = parse_command_line(["-m", "noise.level=0.1,0.2", "split.test=0.05", "noise=typo,ocr", "hydra.verbose=1"])
    assert command.multirun and command.swept == {"noise.level", "noise"}
    assert command.runs == [
        ["noise.level=0.1", "split.test=0.05", "noise=typo"],
        ["noise.level=0.1", "split.test=0.05", "noise=ocr"],
        ["noise.level=0.2", "split.test=0.05", "noise=typo"],
        ["noise.level=0.2", "split.test=0.05", "noise=ocr"],
    ]


def test_ranges_and_globs_are_swept_and_a_later_fixed_value_wins():
    command = parse_command_line(["-m", "seed=range(0,3)", "noise=glob(t*)", "split.test=0.1,0.2", "split.test=0.3"])
    assert command.swept == {"seed", "noise"}
    assert [run[0] for run in command.runs] == ["seed=0", "seed=1", "seed=2"]
    assert {run[1] for run in command.runs} == {"noise=typo"}
    assert all(run[2] == "split.test=0.3" for run in command.runs)


def test_each_command_line_has_its_own_swept_keys():
    """Nothing is kept between two command lines (the keys used to be module state)."""
    first = parse_command_line(["-m", "noise.level=0.1,0.2"])
    second = parse_command_line(["-m", "seed=1,2", "noise.level=0.3"])
    assert first.swept == {"noise.level"} and second.swept == {"seed"}
    assert sweep_suffix(["seed=1", "noise.level=0.3"], second.swept) == "seed=1"
    assert parse_command_line(["noise.level=0.1,0.2"]).runs == [["noise.level=0.1,0.2"]]  # not a sweep
    assert sweep_suffix(["+noise.level=0.1", "write.root=x"], frozenset({"noise.level", "write.root"})) == (
        "+noise.level=0.1"
    )


def test_no_module_imports_hydras_internals():
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(PROJECT_DIR)}: {n}" for n in names if n.startswith("hydra._internal")]
    assert not offenders


# --- nothing in the folder it runs from but the dataset -----------------------------------


def test_a_build_leaves_nothing_in_its_folder_but_the_dataset(tmp_path):
    r = _builder(*QUICK, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    dataset = tmp_path / "data" / "processed" / "sample"
    assert _tree(tmp_path) == {"data", "data/processed", "data/processed/sample"} | {
        f"data/processed/sample/{p}" for p in _tree(dataset)
    }
    assert (dataset / "data").is_dir() and not list(tmp_path.rglob("*.log"))


def test_a_sweep_leaves_nothing_in_its_folder_but_the_datasets(tmp_path):
    r = _builder("-m", *QUICK, "noise.level=0.2,0.4", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["processed"]
    assert sorted(p.name for p in (tmp_path / "data" / "processed").iterdir()) == [
        "sample__noise.level=0.2",
        "sample__noise.level=0.4",
    ]
    assert not list(tmp_path.rglob("*.log")) and not list(tmp_path.rglob("multirun.yaml"))


def test_logs_are_kept_where_asked(tmp_path):
    r = _builder(
        *QUICK,
        f"write.root={tmp_path / 'out'}",
        "hydra/job_logging=default",
        "hydra.run.dir=logs/run1",
        "hydra.output_subdir=.hydra",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    run = tmp_path / "logs" / "run1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs", "out"]
    assert (run / "garble-builder.log").is_file()
    assert {"config.yaml", "hydra.yaml", "overrides.yaml"} <= {p.name for p in (run / ".hydra").iterdir()}
