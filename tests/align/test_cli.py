import json
import subprocess
import sys

from builder.paths import PROJECT_DIR, SAMPLES_DIR


def test_align_command_matches_the_gold(seed_gold):
    out = subprocess.run(
        [sys.executable, "-m", "builder.align", str(SAMPLES_DIR / "garbled.txt"), str(SAMPLES_DIR / "restored.txt")],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    ).stdout
    groups = [json.loads(line) for line in out.splitlines()]
    assert [(g["garbled"], g["clean"]) for g in groups] == [(g["noisy"], g["clean"]) for g in seed_gold]
    assert all(set(g) == {"garbled", "clean", "garbled_idx", "clean_idx", "score"} for g in groups)


def test_align_command_one_sentence_per_line(tmp_path):
    (tmp_path / "g.txt").write_text("The Kremlin was uncommitted.\nPhoto: staff\nPeskov did not say.\n")
    (tmp_path / "c.txt").write_text("The Kremlin was noncommittal.\nPeskov did not say anything.\n")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder.align",
            "--one-sentence-per-line",
            str(tmp_path / "g.txt"),
            str(tmp_path / "c.txt"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    ).stdout
    groups = [json.loads(line) for line in out.splitlines()]
    assert [(g["garbled_idx"], g["clean_idx"]) for g in groups] == [([0], [0]), ([1], []), ([2], [1])]


def test_align_command_missing_file_is_one_line_error(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "builder.align", str(tmp_path / "nope.txt"), str(tmp_path / "x")],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("error:")
