"""A word table of the package that a user edited badly stops each command-line tool with
one line naming the file and line, not a traceback. The package is copied to a temporary
folder, one table line is broken there, and the tools run from that copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.core.resources import PACKAGE_DIR


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    shutil.copytree(PACKAGE_DIR, root / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    table = root / "builder" / "resources" / "noise" / "wrong_senses.tsv"
    lines = table.read_text(encoding="utf-8").splitlines()
    data = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    lines[data] = lines[data].split("\t")[0]  # one column where two are needed
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _run(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=root, env=env, timeout=120
    )


def test_the_copy_is_the_package_the_tools_run(broken_copy):
    r = _run(broken_copy, "-c", "import builder; print(builder.__file__)")
    assert r.stdout.strip() == str(broken_copy / "builder" / "__init__.py")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("-m", "builder.noise", "--recipe", "rtt", "--seed", "1"),
        ("-m", "builder", "noise=rtt", "source.include_lee=false", "runner.progress=false"),
    ],
)
def test_a_broken_table_is_one_line_naming_file_and_line(broken_copy, args):
    r = _run(broken_copy, *args, stdin="The minister said on Monday.\n")
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    assert "wrong_senses.tsv:" in lines[0]
    assert not (broken_copy / "data").exists()  # nothing was built
