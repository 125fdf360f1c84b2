"""The package works anywhere: its wheel, installed with the ``sample`` extra into a fresh
venv outside the clone, builds the sample and runs its commands from another folder.

These tests need the package registry: pip installs the wheel's dependencies from it
(from pip's cache when it has them). Deselect them with ``-m "not wheel"``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from builder.core.resources import CONF_DIR, RESOURCES_DIR
from tests.paths import PROJECT_DIR

pytestmark = pytest.mark.wheel

#: Not part of what a wheel is built from.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "data", "__pycache__", "build", "dist", "*.egg-info", ".*_cache", ".hypothesis", "tests"
)


def _shared_dir(tmp_path_factory, worker_id: str) -> Path:
    """A folder all workers of this session share (under xdist), else this session's own."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def _make(root: Path) -> tuple[Path, Path]:
    """Build the checkout's wheel and install it, with its sample extra, into a fresh venv."""
    source, wheels, venv = root / "source", root / "wheels", root / "venv"
    shutil.copytree(PROJECT_DIR, source, ignore=_NOT_SOURCE)
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--no-deps", "--quiet", "-w", wheels, source], check=True, cwd=root)
    (wheel,) = wheels.glob("garble_builder-*.whl")
    # No pip inside the venv (it only costs time): this pip installs into it (--python).
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, cwd=root)
    subprocess.run(
        [*pip, "--python", venv / "bin" / "python", "install", "--quiet", "--no-compile", f"{wheel}[sample]"],
        check=True,
        cwd=root,
    )
    return wheel, venv


@pytest.fixture(scope="session")
def installed(tmp_path_factory, request):
    """(the wheel, the venv it is installed in): made once per session, shared by workers."""
    worker_id = getattr(request.config, "workerinput", {}).get("workerid", "master")
    root = _shared_dir(tmp_path_factory, worker_id) / "wheel-venv"
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "done.json"
        if not done.exists():
            wheel, venv = _make(root)
            done.write_text(json.dumps({"wheel": str(wheel), "venv": str(venv)}))
        paths = json.loads(done.read_text())
    yield Path(paths["wheel"]), Path(paths["venv"])
    if worker_id == "master":  # the venv takes ~650 MB; under xdist, pytest's own cleanup removes it
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def run(installed, tmp_path):
    """Run a command of the installed venv from an empty folder outside the clone."""
    _, venv = installed
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PYTHONNOUSERSITE="1")

    def call(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        exe = venv / "bin" / args[0]
        return subprocess.run([exe, *args[1:]], input=stdin, capture_output=True, text=True, cwd=cwd, env=env)

    call.cwd = cwd  # type: ignore[attr-defined]
    return call


def test_the_wheel_holds_the_configs_and_the_data_files(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    package = CONF_DIR.parent
    wanted = [*CONF_DIR.rglob("*.yaml"), *(p for p in RESOURCES_DIR.rglob("*") if p.is_file())]
    wanted = [p for p in wanted if "__pycache__" not in p.parts]
    missing = sorted({f"builder/{p.relative_to(package).as_posix()}" for p in wanted} - names)
    assert "builder/conf/__init__.py" in names and "builder/conf/config.yaml" in names
    assert not missing, missing


def test_the_installed_package_is_not_the_clone(run, installed):
    _, venv = installed
    r = run("python", "-c", "import builder; print(builder.__file__)")
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()).is_relative_to(venv), r.stdout
    assert not Path(r.stdout.strip()).is_relative_to(PROJECT_DIR)


def test_the_installed_command_builds_the_sample_from_another_folder(run, tmp_path):
    out = tmp_path / "out"
    r = run("garble-builder", f"write.root={out}", "runner.progress=false")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"built {out / 'sample'}"), r.stdout
    data = out / "sample" / "data"
    splits = {p.name.split("-")[0]: pq.read_table(p) for p in sorted(data.glob("*.parquet"))}
    assert set(splits) == {"train", "validation", "test"}
    train = splits["train"]
    assert train.num_rows > 1000 and {"garbled", "clean", "edits", "kind"} <= set(train.column_names)
    assert set(train.column("kind").to_pylist()) == {"real", "synthetic"}  # gensim's Lee corpus: the extra
    assert not any(run.cwd.iterdir())  # no logs, no run folder


def test_the_installed_noise_command_garbles_stdin(run):
    r = run("python", "-m", "builder.noise", "--recipe", "typo", "--seed", "1", stdin="The council met on Monday.\n")
    assert r.returncode == 0, r.stderr
    (line,) = r.stdout.splitlines()
    row = json.loads(line)
    assert row["clean"] == "The council met on Monday." and {"garbled", "edits"} <= set(row)


def test_the_installed_align_command_aligns_two_files(run):
    garbled = run.cwd / "garbled.txt"
    clean = run.cwd / "clean.txt"
    garbled.write_text("Teh council met on Mondey. It aproved the budjet.\n", encoding="utf-8")
    clean.write_text("The council met on Monday. It approved the budget.\n", encoding="utf-8")
    r = run("python", "-m", "builder.align", "garbled.txt", "clean.txt")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["clean"] for row in rows] == [["The council met on Monday."], ["It approved the budget."]]


def test_the_installed_api_loads_a_recipe(run):
    r = run("python", "-c", "from builder.noise import load_recipe; print(load_recipe('typo').name)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "typo"


def test_the_installed_command_has_its_manual(run):
    r = run("garble-builder", "--help")
    assert r.returncode == 0, r.stderr
    assert "experiment=windows_typo" in r.stdout and "noise.level" in r.stdout
    assert "sample (default)" in r.stdout
