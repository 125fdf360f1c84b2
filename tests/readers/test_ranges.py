"""A large JSON file read as byte ranges gives the documents of reading it in one stream:
the same records, rejects, line numbers and ids, whatever the file holds; where a cut
falls inside something a fresh reader would read differently, the file is read again
whole."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from builder.pipeline.readers import make_reader, ranges
from builder.runners.base import Runner


class Inline(Runner):
    """The runner's own planning and joining, its tasks run here, in order."""

    def __init__(self, workers: int) -> None:
        super().__init__(OmegaConf.create({"workers": workers, "progress": False}))
        self.calls: list[tuple[str, int]] = []

    def run_tasks(self, function, tasks, what, unit):
        self.calls.append((what, len(tasks)))
        return [function(*task) for task in tasks]


def _documents(cfg_factory, path: Path, folder: Path, workers: int, runner: Inline | None = None) -> list[dict]:
    reader = make_reader(cfg_factory("source=jsonl", f"source.path={path}").source)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"docs-{workers}.arrow"
    (runner or Inline(workers)).read(reader, out)
    return pa.ipc.open_stream(pa.memory_map(str(out))).read_all().to_pylist()


def _record(i: int, text: str = "a story of its own") -> bytes:
    return json.dumps({"id": f"d{i}", "text": f"{text} {i}", "date": "2024-03-01"}, ensure_ascii=i % 2 == 0).encode()


LINES = st.sampled_from(
    [
        "record",
        "record",
        "record",
        "unicode",
        "blank",
        "broken-string",
        "broken-open",
        "not-json",
        "pretty",
        "array",
        "number",
        "bad-bytes",
        "comma",
        "repeated-id",
    ]
)


def _line(kind: str, i: int) -> bytes:
    return {
        "record": _record(i),
        "unicode": _record(i, "café «naïve» – 漢字"),
        "blank": b"   ",
        "broken-string": b'{"id": "b%d", "text": "cut here' % i,
        "broken-open": b'{"id": "o%d",' % i,
        "not-json": b"this is not json",
        "pretty": b'{\n  "id": "p%d",\n  "text": "pretty printed"\n}' % i,
        "array": b'[{"id": "a%d", "text": "in an array"}, {"id": "b%d", "text": "too"}]' % (i, i),
        "number": b"42",
        "bad-bytes": b'{"id": "x%d", "text": "caf\xe9 \xff"}' % i,
        "comma": b",",
        "repeated-id": _record(0),
    }[kind]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(["array", "array"], b"\n", False, 2)  # a file of arrays: each line's elements are records
@example(["array", "record", "array"], b"\n", False, 4)  # after a record, an array is one value
@given(
    st.lists(LINES, min_size=1, max_size=40),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
    st.booleans(),
    st.sampled_from([1, 2, 4]),
)
def test_ranges_give_the_documents_of_one_stream(cfg_factory, tmp_path_factory, monkeypatch, kinds, end, bom, workers):
    monkeypatch.setattr(ranges, "RANGE_MIN_BYTES", 1)  # cut everywhere a test file allows
    folder = tmp_path_factory.mktemp("ranges")
    path = folder / "news.jsonl"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + end.join(_line(k, i) for i, k in enumerate(kinds)) + end)
    assert _documents(cfg_factory, path, folder / "ranges", workers) == _documents(cfg_factory, path, folder / "one", 1)


def test_json_lines_are_read_in_ranges_without_a_second_read(cfg_factory, tmp_path, monkeypatch):
    """Clean JSON Lines (a byte-order mark, CRLF line ends, blank lines) cut cleanly
    everywhere: every range is kept, and the line numbers run on across them."""
    monkeypatch.setattr(ranges, "RANGE_MIN_BYTES", 64)
    lines = [_record(i) if i % 7 else b"" for i in range(200)]
    path = tmp_path / "news.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines) + b"\r\n")
    runner = Inline(4)
    docs = _documents(cfg_factory, path, tmp_path / "ranges", 4, runner)
    assert [what for what, _ in runner.calls] == ["counting lines", "reading files"]  # no "reading again"
    assert runner.calls[1][1] == 16
    assert docs == _documents(cfg_factory, path, tmp_path / "one", 1)
    assert docs[-1]["origin"] == "news.jsonl:200" and docs[-1]["doc_id"] == "d199"


def test_a_cut_inside_a_pretty_printed_object_reads_the_file_again(cfg_factory, tmp_path, monkeypatch):
    monkeypatch.setattr(ranges, "RANGE_MIN_BYTES", 16)
    objects = [json.dumps({"id": f"p{i}", "text": f"pretty {i}"}, indent=2) for i in range(30)]
    path = tmp_path / "pretty.json"
    path.write_text("\n".join(objects) + "\n", encoding="utf-8")
    runner = Inline(2)
    docs = _documents(cfg_factory, path, tmp_path / "ranges", 2, runner)
    assert "reading again" in [what for what, _ in runner.calls]
    assert docs == _documents(cfg_factory, path, tmp_path / "one", 1)
    assert [d["doc_id"] for d in docs] == [f"p{i}" for i in range(30)]


@pytest.mark.parametrize(
    ("head", "cut"),
    [(b"\x1f\x8b\x08", False), (b"\xff\xfe{\x00", False), (b"\xef\xbb\xbf{", True), (b'{"id"', True)],
)
def test_only_plain_files_in_a_line_safe_encoding_are_cut(tmp_path, head, cut):
    path = tmp_path / "f.jsonl"
    path.write_bytes(head + b"\n")
    assert (ranges.range_encodings(path, "utf-8") is not None) == cut
    assert ranges.range_encodings(path, "utf-16") is None or head.startswith(b"\xef\xbb\xbf")


def test_line_breaks_count_crlf_across_blocks_once(tmp_path, monkeypatch):
    monkeypatch.setattr(ranges, "_BLOCK", 3)
    data = b"ab\r\ncd\re\n\r\n\rx\r\n"
    path = tmp_path / "f"
    path.write_bytes(data)
    read = io.TextIOWrapper(io.BytesIO(data), encoding="ascii").read()  # universal newlines, as the reader
    assert ranges.line_breaks(path, 0, len(data)) == read.count("\n") == 6
    assert ranges.line_breaks(path, 4, 9) == 2  # "cd\re\n"
    assert ranges.cut_points(path, 4) == [0, 4, 9, len(data)]  # after a line end; none past the last
