"""Kills, interrupts and a loaded machine: no orphans, no traceback, the same bytes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.app.build import build
from builder.app.cli import summary
from builder.core.errors import BuildError, NothingToWrite
from tests.conftest import compose_cfg
from tests.news import NEWS
from tests.paths import PROJECT_DIR

STAGES = "pipeline.stages=[pair,split,normalize,segment,align,noise,tests.fault_stages.Gate,units,measure,filter,dedup]"


def _corpus(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"{NEWS[i % len(NEWS)]} The report, number {i}, was filed on Friday.\n\n{NEWS[(i + 1) % len(NEWS)]}"
            fh.write(json.dumps({"id": f"n{i:04d}", "text": text, "date": f"2024-{1 + i % 12:02d}-01"}) + "\n")
    return path


def _overrides(corpus: Path, root: Path, *extra: str) -> list[str]:
    return [
        "source=jsonl",
        f"source.path={corpus}",
        f"write.root={root}",
        "runner.progress=false",
        "runner.chunk_size=8",
        "noise=mixed",
        STAGES,
        *extra,
    ]


def _args(corpus: Path, root: Path, *extra: str) -> list[str]:
    """The build command: ``python -m builder`` with the overrides."""
    return [sys.executable, "-m", "builder", *_overrides(corpus, root, *extra), f"hydra.run.dir={root.parent / 'logs'}"]


def _outputs(path: Path) -> dict[str, bytes]:
    """The files whose bytes must not depend on how the build ran (config.yaml and the card
    name write.root, which differs between the two roots compared)."""
    keep = {"stats.json", "rejects.jsonl"}
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and (p.parent.name in ("data", "filtered") or p.name in keep)
    }


def _wait_for_gate(gate: Path, proc: subprocess.Popen, timeout: float = 120) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        held = sorted(gate.parent.glob(gate.name + ".*"))
        if held:
            time.sleep(0.3)  # let the other worker reach it too, if it will
            return [int(p.read_text()) for p in sorted(gate.parent.glob(gate.name + ".*"))]
        if proc.poll() is not None:
            raise AssertionError(f"the build ended before the gate: {proc.communicate()}")
        time.sleep(0.05)
    raise AssertionError("the build never reached the gate")


def _gone(pids: list[int], timeout: float = 10) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        alive = []
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    if fh.read().split(") ", 1)[1][0] != "Z":
                        alive.append(pid)
            except OSError:
                pass
        if not alive:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_running_build_refuses_a_second_and_once_killed_leaves_no_worker_and_resumes(tmp_path):
    """A build held at the gate: a second build of its name refuses at once, naming it; a
    SIGKILL leaves no worker behind, and the rerun resumes to the bytes of a clean build."""
    corpus = _corpus(tmp_path / "news.jsonl", 48)  # six chunks of 8: the gate holds the fourth
    reference = build(compose_cfg(tmp_path, *_overrides(corpus, tmp_path / "ref", "runner.workers=2")))

    root, gate = tmp_path / "out", tmp_path / "gate"
    env = {**os.environ, "GATE_FILE": str(gate), "GATE_AT": "30"}
    proc = subprocess.Popen(
        _args(corpus, root, "runner.workers=2"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    workers = _wait_for_gate(gate, proc)
    assert proc.pid not in workers  # the gate is held in a worker process
    finished = sorted((root / ".news.work" / "rows").glob("chunk-*.arrow"))
    assert finished  # work was done before the kill

    # the second in this process: the command prints a BuildError as this one line and
    # exits 1 (see the nothing-to-write test below)
    with pytest.raises(BuildError) as second:
        build(compose_cfg(tmp_path, *_overrides(corpus, root, "runner.workers=2")))
    assert "\n" not in str(second.value)
    assert f"another build is writing {root / 'news'} (pid {proc.pid}:" in str(second.value)
    assert not (root / "news").exists()

    proc.kill()
    proc.wait()
    assert _gone(workers), "a worker outlived its killed build"
    assert not (root / "news").exists()

    again = build(compose_cfg(tmp_path, *_overrides(corpus, root, "runner.workers=2")))
    assert again.resumed_chunks > 0 and "resumed:" in summary(again)
    assert _outputs(again.path) == _outputs(reference.path)
    assert sorted(p.name for p in root.iterdir()) == ["news"]


@pytest.mark.slow
def test_a_killed_worker_ends_the_build_in_one_line_and_the_rerun_resumes(tmp_path):
    """A worker killed from outside (the kernel's out-of-memory killer, an operator) must
    not leave its build waiting for ever on the chunk it held: the build stops with one
    line, keeps the finished chunks, and the same command resumes to a clean build's bytes."""
    corpus = _corpus(tmp_path / "news.jsonl", 48)
    reference = build(compose_cfg(tmp_path, *_overrides(corpus, tmp_path / "ref", "runner.workers=2")))
    root, gate = tmp_path / "out", tmp_path / "gate"
    env = {**os.environ, "GATE_FILE": str(gate), "GATE_AT": "30"}
    proc = subprocess.Popen(
        _args(corpus, root, "runner.workers=2"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    held = _wait_for_gate(gate, proc)
    os.kill(held[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in out + err
    assert err.strip().splitlines()[-1].startswith("error: a worker process died")
    assert _gone(held), "the other workers outlived the build"
    assert not (root / "news").exists()
    again = build(compose_cfg(tmp_path, *_overrides(corpus, root, "runner.workers=2")))
    assert again.resumed_chunks > 0
    assert _outputs(again.path) == _outputs(reference.path)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_is_one_line_and_a_clean_exit(tmp_path, workers):
    corpus = _corpus(tmp_path / "news.jsonl", 24)
    root, gate = tmp_path / "out", tmp_path / "gate"
    env = {**os.environ, "GATE_FILE": str(gate), "GATE_AT": "12"}
    proc = subprocess.Popen(
        _args(corpus, root, f"runner.workers={workers}"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as in a terminal: a test run started in the background (``cmd &`` in a script)
        # ignores SIGINT, and a child keeps an ignored signal ignored
        preexec_fn=_default_sigint,
    )
    try:
        held = _wait_for_gate(gate, proc)
        os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:  # never left running when the test fails
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130
    assert "Traceback" not in out + err
    assert err.strip().splitlines() == [err.strip().splitlines()[-1]] and err.startswith("interrupted")
    assert _gone(held)
    assert not (root / "news").exists() and not (root / ".news.tmp").exists() and not (root / ".news.lock").exists()


def test_cpu_load_does_not_change_a_byte(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl", 24)  # three chunks for two workers
    common = ("source=jsonl", f"source.path={corpus}", "noise=mixed", "runner.chunk_size=8")
    quiet = build(cfg_factory(*common, f"write.root={tmp_path / 'quiet'}"))
    # a busy loop per core, and the build's two workers on top
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        loaded = build(cfg_factory(*common, f"write.root={tmp_path / 'loaded'}", "runner.workers=2"))
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    assert _outputs(quiet.path) == _outputs(loaded.path)


def test_a_document_that_breaks_a_stage_is_rejected_alone(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl", 10)
    lines = corpus.read_text().splitlines()
    lines[4] = json.dumps({"id": "bad", "text": "EXPLODE here. This document makes a stage fail."})
    corpus.write_text("\n".join(lines) + "\n")
    stages = (
        "pipeline.stages=[pair,split,normalize,segment,align,noise,tests.fault_stages.Explode,units,measure,filter,dedup]"
    )
    result = build(cfg_factory("source=jsonl", f"source.path={corpus}", "noise=typo", "noise.level=0.4", stages))
    docs = result.stats["documents"]
    assert docs["rejected"] == {"stage_error": 1} and docs["written"] == 9
    rejects = [json.loads(x) for x in (result.path / "rejects.jsonl").read_text().splitlines()]
    assert rejects[0]["doc_id"] == "bad" and "cannot cope" in rejects[0]["detail"]


def test_nothing_to_write_keeps_the_ledger_and_the_earlier_dataset(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl", 6)
    common = ("source=jsonl", f"source.path={corpus}", "split.test=0", "split.validation=0")
    first = build(cfg_factory(*common, "noise=typo", "noise.level=0.4"))
    before = {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()}
    with pytest.raises(NothingToWrite, match=r"none of the 6 documents gave a row \(filtered identical 6\)") as info:
        build(cfg_factory(*common, "noise=none", "filter.keep_identical=0"))
    report = Path(info.value.report)
    assert str(report) in str(info.value)
    stats = json.loads((report / "stats.json").read_text())
    assert stats["documents"]["filtered"] == {"identical": 6}
    assert (report / "rejects.jsonl").exists()
    assert {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()} == before
    # a later good build clears the report of the failure it replaces
    build(cfg_factory(*common, "noise=typo", "noise.level=0.5"))
    assert not report.exists()


@pytest.mark.slow
def test_nothing_to_write_on_the_command_line_is_one_line_and_non_zero(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "source=jsonl",
            f"source.path={empty}",
            f"write.root={tmp_path / 'out'}",
            "runner.progress=false",
            f"hydra.run.dir={tmp_path / 'logs'}",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert r.stderr.startswith("error: nothing to write: no documents were read")
    assert "Traceback" not in r.stdout + r.stderr


def test_undated_documents_in_a_temporal_split(tmp_path, cfg_factory):
    corpus = tmp_path / "news.jsonl"
    rows = [
        {
            "id": f"d{i}",
            "text": f"{NEWS[i % len(NEWS)]} Item {i} was reported.",
            "date": f"2024-0{1 + i % 9}-1{i % 9}",
        }
        for i in range(12)
    ]
    rows += [
        {
            "id": "u1",
            "text": "An undated report said the port reopened. Ships queued for hours.",
            "date": "Spring 2004",
        },
        {"id": "u2", "text": "Another report had no date at all. Officials gave no reason."},
        {"id": "u3", "text": "A date beyond any calendar. The figure was absurd.", "date": 99999999999999999999},
        {"id": "u4", "text": "A month that does not exist. The clerk was tired.", "date": "2024-13-45"},
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    common = ("source=jsonl", f"source.path={corpus}", "split=temporal", "noise=typo", "noise.level=0.4")
    kept = build(cfg_factory(*common, "write.name=kept"))
    assert kept.stats["undated"] == {"documents": 4, "to": "train"}
    assert kept.stats["dates"]["unreadable"] == 3 and kept.stats["dates"]["missing"] == 1
    rejected = build(cfg_factory(*common, "split.undated=reject", "write.name=rejected"))
    assert rejected.stats["documents"]["rejected"] == {"undated": 4}
    details = [json.loads(x)["detail"] for x in (rejected.path / "rejects.jsonl").read_text().splitlines()]
    assert any("Spring 2004" in d for d in details)
