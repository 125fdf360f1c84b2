"""When a dead build's work may be reused: same config, same input, same code, resume on."""

from builder.app.workspace import Workspace, fingerprint


def _left_behind(folder, fp):
    ws = Workspace(folder, fp)
    ws.open(resume=True)
    (folder / "rows").mkdir()
    (folder / "rows" / "chunk-000000.arrow").write_bytes(b"finished work")


def test_the_same_fingerprint_resumes(tmp_path):
    _left_behind(tmp_path / "w", "abc")
    ws = Workspace(tmp_path / "w", "abc")
    assert "resuming" in ws.open(resume=True) and ws.resumed
    assert (tmp_path / "w" / "rows" / "chunk-000000.arrow").exists()


def test_another_fingerprint_or_resume_off_starts_afresh(tmp_path):
    for fp, resume in (("other", True), ("abc", False)):
        _left_behind(tmp_path / "w", "abc")
        ws = Workspace(tmp_path / "w", fp)
        assert "removed" in ws.open(resume=resume) and not ws.resumed
        assert not (tmp_path / "w" / "rows").exists()


def test_the_fingerprint_follows_what_decides_the_rows(tmp_path):
    corpus = tmp_path / "news.jsonl"
    corpus.write_text('{"id": "a", "text": "One."}\n')
    cfg = {"seed": 0, "noise": {"level": 0.1}, "runner": {"workers": 1}, "write": {"root": "x"}}
    base = fingerprint(cfg, [corpus])
    assert fingerprint({**cfg, "runner": {"workers": 4}, "write": {"root": "y"}}, [corpus]) == base
    assert fingerprint({**cfg, "seed": 1}, [corpus]) != base
    corpus.write_text('{"id": "a", "text": "One, changed."}\n')
    assert fingerprint(cfg, [corpus]) != base
