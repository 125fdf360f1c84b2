"""`python -m builder.noise`: lines in, JSON lines out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from builder.core.edits import replay

ROOT = Path(__file__).resolve().parents[2]
LINES = [
    "President Volodymyr Zelenskyy met U.S. envoy Steve Witkoff in Kyiv on Tuesday.",
    "",
    "“We talked about a 30-day ceasefire,” Mélanie Joly told reporters in Montréal.",
    "Russian troops advanced near Sudzha, in the Kursk region, officials said.",
]


def run(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "builder.noise", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def rows(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


def test_one_json_line_per_input_line() -> None:
    out = rows(run("--recipe", "mixed", "--seed", "3", "--level", "0.5", stdin="\n".join(LINES) + "\n"))
    assert len(out) == len(LINES)
    for line, row in zip(LINES, out, strict=True):
        assert set(row) == {"clean", "garbled", "edits"}
        assert row["clean"] == line
        assert replay(line, row["edits"]) == row["garbled"]
        for e in row["edits"]:
            assert set(e) == {"op", "start", "end", "before", "after"}
            assert 0 <= e["start"] <= e["end"] <= len(line)
    assert out[1] == {"clean": "", "garbled": "", "edits": []}
    assert any(row["edits"] for row in out)


def test_output_is_utf8_not_escaped() -> None:
    done = run("--recipe", "none", "--seed", "0", stdin=LINES[2] + "\n")
    assert "Mélanie".encode() in done.stdout and b"\\u" not in done.stdout
    assert rows(done)[0]["garbled"] == LINES[2]


def test_only_the_line_terminator_is_stripped() -> None:
    out = rows(run("--recipe", "none", "--seed", "0", stdin=b"  padded \r\nlast without newline"))
    assert [r["clean"] for r in out] == ["  padded ", "last without newline"]


def test_content_doc_ids_garble_a_line_the_same_way_anywhere() -> None:
    line = LINES[0]
    a = rows(run("--recipe", "typo", "--seed", "5", "--level", "0.5", stdin=f"{line}\n"))
    b = rows(
        run(
            "--recipe",
            "typo",
            "--seed",
            "5",
            "--level",
            "0.5",
            stdin=f"{LINES[2]}\n{line}\n{line}\n",
        )
    )
    assert a[0] == b[1] == b[2]
    assert a[0]["edits"]


def test_line_doc_ids_depend_on_the_line_number() -> None:
    args = ("--recipe", "typo", "--seed", "5", "--level", "0.5", "--doc-id-from", "line")
    out = rows(run(*args, stdin="\n".join([LINES[0]] * 6) + "\n"))
    assert out == rows(run(*args, stdin="\n".join([LINES[0]] * 6) + "\n"))
    assert len({r["garbled"] for r in out}) > 1


def test_level_zero_leaves_lines_alone() -> None:
    out = rows(run("--recipe", "mixed", "--seed", "1", "--level", "0", stdin="\n".join(LINES)))
    assert all(r["garbled"] == r["clean"] and r["edits"] == [] for r in out)


def test_unknown_recipe_is_one_line_and_exit_code_2() -> None:
    done = run("--recipe", "no-such-recipe", "--seed", "1", stdin="x\n")
    assert done.returncode == 2
    err = done.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "no-such-recipe" in err and "typo" in err
    assert done.stdout == b""
