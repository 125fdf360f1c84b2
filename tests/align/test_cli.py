"""``python -m builder.align``, through the command's ``main`` in this process
(tests/test_wheel.py runs the installed command in a process of its own)."""

import json

from builder.app.align_cli import main as align_main
from builder.core.resources import SAMPLE_DIR


def _run_main(capsys, *args: str) -> tuple[int, str, str]:
    code = align_main([*args])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    return lines[0]


def test_align_command_matches_the_gold(seed_gold, capsys):
    code, out, err = _run_main(capsys, str(SAMPLE_DIR / "garbled.txt"), str(SAMPLE_DIR / "restored.txt"))
    assert code == 0, err
    groups = [json.loads(line) for line in out.splitlines()]
    assert [(g["garbled"], g["clean"]) for g in groups] == [(g["noisy"], g["clean"]) for g in seed_gold]
    assert all(set(g) == {"garbled", "clean", "garbled_idx", "clean_idx", "score"} for g in groups)


def test_align_command_one_sentence_per_line(tmp_path, capsys):
    (tmp_path / "g.txt").write_text("The Kremlin was uncommitted.\nPhoto: staff\nPeskov did not say.\n")
    (tmp_path / "c.txt").write_text("The Kremlin was noncommittal.\nPeskov did not say anything.\n")
    code, out, err = _run_main(capsys, "--one-sentence-per-line", str(tmp_path / "g.txt"), str(tmp_path / "c.txt"))
    assert code == 0, err
    groups = [json.loads(line) for line in out.splitlines()]
    assert [(g["garbled_idx"], g["clean_idx"]) for g in groups] == [([0], [0]), ([1], []), ([2], [1])]


def test_align_command_missing_file_is_one_line_error(tmp_path, capsys):
    code, out, err = _run_main(capsys, str(tmp_path / "nope.txt"), str(tmp_path / "x"))
    assert code == 2 and out == ""
    assert "nope.txt" in _one_error_line(err)


def test_align_command_empty_input_says_so(tmp_path, capsys):
    (tmp_path / "c.txt").write_text("The Kremlin was noncommittal.\n")
    for content in ("", "  \n\t\n"):
        (tmp_path / "g.txt").write_text(content)
        code, out, err = _run_main(capsys, str(tmp_path / "g.txt"), str(tmp_path / "c.txt"))
        assert code == 1 and out == ""
        assert "g.txt" in _one_error_line(err) and "no text" in err


def test_align_command_unreadable_input_is_one_line(tmp_path, capsys):
    (tmp_path / "c.txt").write_text("The Kremlin was noncommittal.\n")
    (tmp_path / "bin.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes("Caf\u00e9 cr\u00e8me.".encode("latin-1"))
    expected = {"bin.dat": "binary", "latin1.txt": "not UTF-8", ".": "directory"}
    for name, why in expected.items():
        code, out, err = _run_main(capsys, str(tmp_path / name), str(tmp_path / "c.txt"))
        assert code == 2 and out == ""
        assert why in _one_error_line(err)


def test_align_command_cuts_an_overlong_line(tmp_path, capsys):
    line = " ".join(f"word{k}" for k in range(4000))  # 35,000 characters, one "sentence"
    (tmp_path / "g.txt").write_text(line + "\n")
    (tmp_path / "c.txt").write_text(line + "\n")
    code, out, _ = _run_main(capsys, "--one-sentence-per-line", str(tmp_path / "g.txt"), str(tmp_path / "c.txt"))
    groups = [json.loads(row) for row in out.splitlines()]
    assert code == 0 and len(groups) == 4
    assert all(len(s) <= 10_000 for g in groups for s in g["garbled"] + g["clean"])
    assert " ".join(s for g in groups for s in g["clean"]) == line
