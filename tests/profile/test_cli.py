"""`python -m builder.profile`, `python -m builder.noise --profile`, and `noise=profile` builds.

The commands run in this process, through their ``main`` or, for the profile the tests
share, through ``builder/profile/__main__.py`` as ``python -m`` runs it (without the start-up
of a new interpreter; tests/test_wheel.py runs the installed commands in processes of their own).
"""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import sys
from pathlib import Path

import pytest
from datasets import load_dataset

from builder.app.build import build
from builder.app.noise_cli import main as noise_main
from builder.app.profile_cli import main as profile_main
from builder.core.edits import replay
from builder.noise.recipe import load_recipe
from builder.profile.estimate import Profile
from tests.profile.corpus import SENTENCES, garbled_pairs, write_jsonl


def run_module(module: str, *args: str) -> tuple[int, str, str]:
    """``python -m module ARGS``, the module's ``__main__`` run in this process: (exit code,
    stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv, sys.argv = sys.argv, [module, *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            runpy.run_module(module, run_name="__main__")
        code = 0
    except SystemExit as e:
        code = e.code
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def garble_lines(monkeypatch, capsysbinary, *args: str, stdin: str = "") -> tuple[int, bytes, str]:
    """``python -m builder.noise ARGS`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = noise_main(list(args))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


@pytest.fixture(scope="module")
def profile_file(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("profile")
    pairs = garbled_pairs(load_recipe("typo").with_level(0.25), 0) + garbled_pairs(
        load_recipe("typo").with_level(0.25), 1
    )
    pairs_path = write_jsonl(tmp / "pairs.jsonl", pairs, garbled_field="mt")
    out = tmp / "typo_profile.json"
    args = (str(pairs_path), "-o", str(out), "--garbled-field", "mt", "--quiet")
    code, stdout, stderr = run_module("builder.profile", *args)
    assert code == 0, stderr
    assert "60 pairs" in stderr and stdout == ""
    return out


@pytest.mark.slow
def test_profile_cli_writes_a_profile(profile_file: Path) -> None:
    profile = Profile.load(profile_file)
    assert profile.name == "pairs" and profile.counts["pairs"] == 60
    assert profile.source["garbled_field"] == "mt"
    assert profile.rates["keyboard"] > 0.005


def test_profile_cli_reports_bad_input_in_one_line(tmp_path: Path, capsys) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [("clean text here", "clean txt here")])
    code, err = _profile_main(capsys, str(path), "-o", str(tmp_path / "o.json"), "--garbled-field", "nope")
    assert code == 2 and "'nope'" in _one_error_line(err)
    assert not (tmp_path / "o.json").exists()


def test_profile_cli_splits_line_aligned_documents(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ocr.jsonl"
    rows = [{"id": "d1", "noisy": "Tbe king was glad.\nHe said no.", "clean": "The king was glad.\nHe said so."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "ocr.json"
    code, err = _profile_main(capsys, str(path), "-o", str(out), "--split-lines")
    assert code == 0, err
    assert Profile.load(out).counts["pairs"] == 2


def test_profile_cli_reads_a_text_pair_per_sentence(tmp_path: Path, capsys) -> None:
    garbled, clean = tmp_path / "g.txt", tmp_path / "c.txt"
    clean.write_text(" ".join(SENTENCES[:6]), encoding="utf-8")
    garbled.write_text(" ".join(SENTENCES[:6]).replace("council", "councl"), encoding="utf-8")
    out = tmp_path / "doc.json"
    code, err = _profile_main(capsys, "--text-pair", str(garbled), str(clean), "--per-sentence", "-o", str(out))
    assert code == 0, err
    profile = Profile.load(out)
    assert profile.counts["pairs"] == 6 and profile.counts["events"]["char_delete"] == 2


def test_noise_cli_garbles_to_a_profile(profile_file: Path, monkeypatch, capsysbinary) -> None:
    lines = SENTENCES[:10]
    stdin = "\n".join(lines) + "\n"
    code, out, err = garble_lines(monkeypatch, capsysbinary, "--profile", str(profile_file), "--seed", "3", stdin=stdin)
    assert code == 0, err
    rows = [json.loads(line) for line in out.decode().splitlines()]
    assert [r["clean"] for r in rows] == lines
    assert any(r["garbled"] != r["clean"] for r in rows)
    for r in rows:
        assert replay(r["clean"], r["edits"]) == r["garbled"]
    code, again, err = garble_lines(
        monkeypatch, capsysbinary, "--profile", str(profile_file), "--seed", "3", stdin=stdin
    )
    assert code == 0 and again == out, err
    code, none, err = garble_lines(
        monkeypatch, capsysbinary, "--profile", str(profile_file), "--seed", "3", "--level", "0", stdin=lines[0] + "\n"
    )
    assert code == 0 and json.loads(none.decode())["garbled"] == lines[0], err


def test_noise_cli_profile_errors(tmp_path: Path, monkeypatch, capsysbinary) -> None:
    code, _, err = garble_lines(monkeypatch, capsysbinary, "--profile", str(tmp_path / "missing.json"), "--seed", "1")
    assert code == 2 and "no such file" in err
    with pytest.raises(SystemExit) as both:
        garble_lines(monkeypatch, capsysbinary, "--profile", "seed", "--recipe", "typo", "--seed", "1")
    assert both.value.code == 2  # argparse: one or the other
    code, out, err = garble_lines(
        monkeypatch, capsysbinary, "--profile", "seed", "--seed", "1", stdin=SENTENCES[0] + "\n"
    )
    assert code == 0 and json.loads(out.decode())["clean"] == SENTENCES[0], err


def test_noise_profile_builds_through_the_pipeline(profile_file: Path, news_jsonl: Path, cfg_factory) -> None:
    result = build(
        cfg_factory(
            "source=jsonl",
            f"source.path={news_jsonl}",
            "noise=profile",
            f"noise.path={profile_file}",
            "split.test=0.2",
            "split.validation=0.2",
        )
    )
    ds = load_dataset(str(result.path))
    rows = [r for split in ds.values() for r in split]
    synthetic = [r for r in rows if r["kind"] == "synthetic"]
    assert synthetic and all(r["recipe"] == "profile" for r in synthetic)
    for r in synthetic:
        assert replay(r["clean"], r["edits"]) == r["garbled"]
    ops = {e["op"] for r in synthetic for e in r["edits"]}
    assert ops & {"keyboard", "char_delete", "char_insert", "char_transpose"}


def _profile_main(capsys, *args: str) -> tuple[int, str]:
    code = profile_main([*args, "--quiet"])
    return code, capsys.readouterr().err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    return lines[0]


def test_profile_cli_reads_the_builders_own_field_names(tmp_path: Path, capsys) -> None:
    pairs = [(s, s.replace("the", "teh", 1)) for s in SENTENCES[:4]]
    path = write_jsonl(tmp_path / "rows.jsonl", pairs, garbled_field="garbled")
    out = tmp_path / "p.json"
    code, err = _profile_main(capsys, str(path), "-o", str(out))
    assert code == 0, err
    profile = Profile.load(out)
    assert profile.counts["pairs"] == 4 and profile.source["garbled_field"] == "garbled"
    assert profile.rates["char_transpose"] > 0


def test_profile_cli_refuses_what_it_cannot_read_in_one_line(tmp_path: Path, capsys) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [(SENTENCES[0], SENTENCES[0].replace("city", "ctiy"))])
    (tmp_path / "binary.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.jsonl").write_bytes('{"garbled": "caf\xe9", "clean": "caf\xe9"}\n'.encode("latin-1"))
    (tmp_path / "list.jsonl").write_text('["not", "an", "object"]\n')
    (tmp_path / "other.jsonl").write_text('{"src": "a cat", "tgt": "a cta"}\n')
    cases = {
        "other.jsonl": "no text field 'garbled' or 'noisy' (fields: src, tgt)",
        "binary.jsonl": "binary",
        "latin1.jsonl": "latin1.jsonl:1: not UTF-8",
        "list.jsonl": "not a JSON object",
        ".": "is a directory",
    }
    for name, why in cases.items():
        code, err = _profile_main(capsys, str(tmp_path / name), "-o", str(tmp_path / "o.json"))
        assert code == 2 and why in _one_error_line(err), (name, err)
    code, err = _profile_main(capsys, str(good), "-o", str(tmp_path))
    assert code == 2 and "is a directory" in _one_error_line(err)
    code, err = _profile_main(
        capsys, "--text-pair", str(tmp_path / "binary.jsonl"), str(good), "-o", str(tmp_path / "o.json")
    )
    assert code == 2 and "binary" in _one_error_line(err)
    assert not (tmp_path / "o.json").exists()


def test_profile_cli_progress_covers_every_phase_and_quiet_hides_it(tmp_path: Path, capsys) -> None:
    pairs = [(s, s.replace("the", "teh", 1)) for s in SENTENCES[:4]]
    path = write_jsonl(tmp_path / "rows.jsonl", pairs, garbled_field="garbled")
    assert profile_main([str(path), "-o", str(tmp_path / "loud.json")]) == 0
    err = capsys.readouterr().err
    for phase in ("measuring pairs", "capacity", "response", "calibrating"):
        assert f"{phase}: 100%" in err or f"{phase}: 4 pairs" in err, (phase, err)
    assert profile_main([str(path), "-o", str(tmp_path / "quiet.json"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "%|" not in err and "measuring" not in err and len(err.strip().splitlines()) == 1, err
    assert (tmp_path / "loud.json").read_bytes() == (tmp_path / "quiet.json").read_bytes()


def test_finish_ticks_each_phase_to_its_end() -> None:
    from builder.profile.estimate import ProfileBuilder

    seen: dict[str, list[int]] = {}

    class Phase:
        def __init__(self, desc: str, total: int) -> None:
            self.desc = desc
            seen[desc] = [total, 0, 0]

        def update(self, n: int = 1) -> None:
            seen[self.desc][1] += n

        def close(self) -> None:
            seen[self.desc][2] += 1

    builder = ProfileBuilder()
    for s in SENTENCES[:6]:
        builder.add(s, s.replace("the", "teh", 1))
    builder.finish("t", progress=Phase)
    assert set(seen) == {"capacity", "response", "calibrating"}
    assert all(total == done and closed == 1 for total, done, closed in seen.values()), seen
