"""Hostile Parquet, CSV and TSV input, built end to end."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.hostile.support import Built, Case, Reject, article, run


def text_of(doc_id: str) -> str:
    return article(doc_id)["text"]


# -- Parquet -------------------------------------------------------------------------------------------------------


def parquet(columns: dict, **write_options):
    def make(path: Path) -> None:
        pq.write_table(pa.table(columns), path, **write_options)

    return make


def good_parquet(*ids: str):
    return parquet({"id": list(ids), "text": [text_of(i) for i in ids]})


def damaged_parquet(groups: int, rows: int, damaged: int):
    """Row groups of ``rows`` rows each; bytes in the middle of the compressed text pages
    of row group ``damaged`` are overwritten, the footer stays valid. (Without page
    statistics: else the middle is the min/max text in a page header, which no read needs.)"""

    def make(path: Path) -> None:
        ids = [f"p{i}" for i in range(groups * rows)]
        pq.write_table(
            pa.table({"id": ids, "text": [text_of(i) for i in ids]}), path, row_group_size=rows, write_statistics=False
        )
        column = pq.ParquetFile(path).metadata.row_group(damaged).column(1)
        start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
        middle = start + column.total_compressed_size // 2
        data = bytearray(path.read_bytes())
        data[middle : middle + 48] = b"\xff" * 48
        path.write_bytes(bytes(data))

    return make


def _far_timestamp(path: Path) -> None:
    dates = pa.array([2**62, 1_700_000_000_000], pa.int64()).cast(pa.timestamp("ms"))
    pq.write_table(pa.table({"id": ["far", "near"], "text": [text_of("far"), text_of("near")], "date": dates}), path)


def _dates_as_given(out) -> None:
    dates = {r["doc_id"]: r["date"] for r in out.rows.to_pylist()}
    assert dates == {"far": str(2**62), "near": "2023-11-14"}
    assert (out.stats["dates"]["readable"], out.stats["dates"]["unreadable"]) == (1, 1)


def _rows_of_group(name: str, first: int, last: int) -> tuple[Reject, ...]:
    what = rf"^row group 1 \(rows {first}-{last}\) could not be read past a damaged part"
    return tuple(Reject("unreadable_rows", f"{name}:row{r}", what) for r in range(first, last + 1))


PARQUET = [
    Case("parquet-good-file", "parquet", {"a.parquet": good_parquet("q1", "q2", "q3")}, Built(("q1", "q2", "q3"), 3)),
    Case(
        "parquet-corrupt-page-with-a-valid-footer",
        "parquet",
        {"a.parquet": damaged_parquet(groups=3, rows=4, damaged=1), "b.parquet": good_parquet("q1")},
        Built(("p0", "p1", "p2", "p3", "p8", "p9", "p10", "p11", "q1"), 13, _rows_of_group("a.parquet", 5, 8)),
    ),
    Case(
        "parquet-file-that-is-not-parquet",
        "parquet",
        {"a.parquet": "id,text\n1,this is a CSV file\n", "b.parquet": good_parquet("q1", "q2")},
        Built(("q1", "q2"), 3, (Reject("unreadable_file", "a.parquet:row1", r"^not a readable Parquet file"),)),
    ),
    Case(
        "parquet-empty-file-and-zero-row-file",
        "parquet",
        {
            "a.parquet": b"",
            "b.parquet": parquet({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}),
            "c.parquet": good_parquet("q1"),
        },
        Built(("q1",), 2, (Reject("unreadable_file", "a.parquet:row1", r"^not a readable Parquet file"),)),
    ),
    Case(
        "parquet-timestamp-2-to-the-62",
        "parquet",
        {"a.parquet": _far_timestamp},
        Built(("far", "near"), 2, check=_dates_as_given),
    ),
    Case(
        "parquet-text-column-of-ints",
        "parquet",
        {"a.parquet": parquet({"id": ["i1", "i2"], "text": [1, 2]}), "b.parquet": good_parquet("q1")},
        Built(
            ("q1",),
            3,
            (
                Reject("bad_field_type", "a.parquet:row1", "^field 'text' is int, not text"),
                Reject("bad_field_type", "a.parquet:row2", "^field 'text' is int, not text"),
            ),
        ),
    ),
    Case(
        "parquet-null-and-empty-text",
        "parquet",
        {"a.parquet": parquet({"id": ["q1", "n", "e", "q2"], "text": [text_of("q1"), None, "", text_of("q2")]})},
        Built(
            ("q1", "q2"),
            4,
            (
                Reject("no_text", "a.parquet:row2", "^no clean or garbled text"),
                Reject("no_text", "a.parquet:row3", "^no clean or garbled text"),
            ),
        ),
    ),
]


# -- CSV and TSV ---------------------------------------------------------------------------------------------------


def table(rows: list[list[str]], delimiter: str = ",", terminator: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return out.getvalue()


def rows_of(*ids: str) -> list[list[str]]:
    return [[i, text_of(i)] for i in ids]


HEADER = [["id", "text"]]
MULTILINE = "First paragraph of the story, about the flood.\n\nSecond paragraph: the rescue went on all night."


def _one_document_with_both_paragraphs(out) -> None:
    clean = " ".join(out.clean_texts("ml"))
    assert "about the flood." in clean and "the rescue went on all night." in clean


CSV = [
    Case(
        "csv-header-only-file-beside-a-good-one",
        "csv",
        {"a.csv": "id,text\n", "b.csv": table(HEADER + rows_of("c1", "c2"))},
        Built(("c1", "c2"), 2),
    ),
    Case(
        "csv-unclosed-quote-does-not-swallow-the-next-rows",
        "csv",
        {"a.csv": table(HEADER + rows_of("c1")) + 'bad,"an unclosed quote starts here\n' + table(rows_of("c2", "c3"))},
        Built(
            ("c1", "c2", "c3"),
            4,
            (Reject("malformed_row", "a.csv:3", r"unclosed quote.*parsing restarts at line 4"),),
        ),
    ),
    Case(
        "csv-no-header-row",
        "csv",
        {"a.csv": table(rows_of("c1", "c2", "c3"))},
        Built(("c1", "c2", "c3"), 3),
    ),
    Case(
        "csv-multi-line-quoted-article",
        "csv",
        {"a.csv": table(HEADER + rows_of("c1") + [["ml", MULTILINE]] + rows_of("c2"))},
        Built(("c1", "ml", "c2"), 3, check=_one_document_with_both_paragraphs),
    ),
    Case(
        "csv-wrong-field-count",
        "csv",
        {"a.csv": table(HEADER + rows_of("c1") + [["x", "too", "many"], ["y"]] + rows_of("c2"))},
        Built(
            ("c1", "c2"),
            4,
            (
                Reject("malformed_row", "a.csv:3", "^3 fields where the file has 2"),
                Reject("malformed_row", "a.csv:4", "^1 fields where the file has 2"),
            ),
        ),
    ),
    Case(
        "csv-bad-bytes-in-a-row",
        "csv",
        {
            "a.csv": table(HEADER + rows_of("c1")).encode()
            + b"lat,Le caf\xe9 a ferm\xe9 hier soir.\n"
            + table(rows_of("c2")).encode()
        },
        Built(("c1", "c2"), 3, (Reject("bad_encoding", "a.csv:3", r"^byte 0xe9 is not valid utf-8"),)),
    ),
    Case(
        "tsv-file",
        "csv",
        {"a.tsv": table(HEADER + rows_of("t1", "t2"), delimiter="\t") + "bad\trow\tthree\n"},
        Built(("t1", "t2"), 3, (Reject("malformed_row", "a.tsv:4", "^3 fields where the file has 2"),)),
    ),
    Case(
        "csv-semicolon-delimiter",
        "csv",
        {"a.csv": table(HEADER + rows_of("s1", "s2") + [["s3", "Paris; Lyon; Nice. Three cities voted."]], ";")},
        Built(("s1", "s2", "s3"), 3),
        ("source.delimiter=';'",),
    ),
    Case(
        "csv-bom-and-crlf",
        "csv",
        {"a.csv": b"\xef\xbb\xbf" + table(HEADER + rows_of("c1", "c2"), terminator="\r\n").encode()},
        Built(("c1", "c2"), 2),
    ),
    Case(
        "csv-empty-text-cell-and-blank-lines",
        "csv",
        {"a.csv": table(HEADER + rows_of("c1")) + "\n\nempty,\n" + table(rows_of("c2"))},
        Built(("c1", "c2"), 3, (Reject("no_text", "a.csv:5", "^no clean or garbled text"),)),
    ),
]

CASES = PARQUET + CSV


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_tabular_input(case, tmp_path):
    run(case, tmp_path)
