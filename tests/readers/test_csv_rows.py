"""CSV/TSV: a malformed row costs one line, not the rows after it; a file without a
header row keeps its first article; multi-line quoted text still reads as one field."""

import gzip
import logging
from itertools import pairwise

import pytest

from builder.core.errors import ConfigError
from tests.readers.support import good, read, rejects

LONG = [
    "The council met on Monday and approved a new budget for the roads of the city.",
    "Officials in the capital said three people were injured in the attack on Tuesday.",
    "Heavy rain flooded roads across the region and rescue teams worked through the night.",
    "The bank held its interest rate as markets had expected and hinted at a cut later.",
]


def _write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")


@pytest.mark.parametrize("content", ["", "\n\n", "id,text\n", "id,text"])
def test_an_empty_file_or_a_header_alone_gives_no_records(tmp_path, content):
    _write(tmp_path / "a.csv", content)
    assert read("csv", tmp_path / "a.csv") == []


def test_an_unclosed_quote_rejects_its_line_and_the_rows_after_it_are_read(tmp_path):
    rows = [
        "id,text",
        "r1,Fine text one.",
        'r2,"This quote is never closed.',
        "r3,Fine text three.",
        "r4,Fine text four.",
    ]
    _write(tmp_path / "a.csv", "\n".join(rows) + "\n")
    docs = read("csv", tmp_path / "a.csv")
    assert good(docs) == [("r1", "Fine text one."), ("r3", "Fine text three."), ("r4", "Fine text four.")]
    assert rejects(docs) == [
        (
            "malformed_row",
            "a.csv:3: unclosed quote: the quoted field runs to the end of the file "
            "(lines 3-5; parsing restarts at line 4)",
        )
    ]


def test_an_unclosed_quote_closed_by_a_later_quote_is_caught_too(tmp_path):
    rows = ["id,text", 'r1,"Unclosed here.', "r2,Fine.", 'r3,"Quoted," she said.', "r4,Also fine."]
    _write(tmp_path / "a.csv", "\n".join(rows) + "\n")
    docs = read("csv", tmp_path / "a.csv")
    assert good(docs) == [("r2", "Fine."), ("r4", "Also fine.")]
    assert [(r, d.split(":")[1]) for r, d in rejects(docs)] == [("malformed_row", "2"), ("malformed_row", "4")]
    assert "stray or unclosed quote" in rejects(docs)[0][1]


def test_a_row_past_the_size_bound_is_rejected_and_parsing_restarts(tmp_path):
    filler = "\n".join(f"line {i} of text without any quote in it at all" for i in range(40))
    rows = ["id,text", 'r1,"Never closed', filler, 'r2,"Quoted, and closed."', "r3,Plain."]
    _write(tmp_path / "a.csv", "\n".join(rows) + "\n")
    docs = read("csv", tmp_path / "a.csv", max_chars=100)  # bound: 2 x 100 + 64 KiB
    assert good(docs)[-2:] == [("r2", "Quoted, and closed."), ("r3", "Plain.")]
    assert rejects(docs)[0][1].startswith("a.csv:2: ")


def test_multi_line_quoted_article_text_is_one_field(tmp_path):
    text = 'First paragraph, with a comma.\n\nSecond paragraph with "quotes".\r\nThird.'
    quoted = '"' + text.replace('"', '""') + '"'
    _write(tmp_path / "a.csv", f"id,text\nm1,{quoted}\nm2,Next.\n")
    docs = read("csv", tmp_path / "a.csv")
    assert good(docs) == [("m1", text), ("m2", "Next.")] and not rejects(docs)


def test_a_multi_line_row_with_the_wrong_field_count_restarts_on_its_next_line(tmp_path):
    rows = ["id,text", 'r1,"Swallows,\nr2,Fine two.\nr3,Fine three.",extra', "r4,Fine four."]
    _write(tmp_path / "a.csv", "\n".join(rows) + "\n")
    docs = read("csv", tmp_path / "a.csv")
    assert good(docs) == [("r2", "Fine two."), ("r4", "Fine four.")]
    assert rejects(docs) == [
        ("malformed_row", "a.csv:2: 3 fields where the file has 2 (lines 2-4; parsing restarts at line 3)"),
        ("malformed_row", "a.csv:4: 3 fields where the file has 2"),
    ]


def test_bad_bytes_and_wrong_field_counts_are_rejects_of_their_row(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"id,text\nr1,Fine.\nr2,caf\xe9 au lait\nr3,too,many\nr4,Fine again.\n")
    docs = read("csv", tmp_path / "a.csv")
    assert good(docs) == [("r1", "Fine."), ("r4", "Fine again.")]
    assert rejects(docs) == [
        (
            "bad_encoding",
            "a.csv:3: byte 0xe9 is not valid utf-8; if the corpus is in another encoding, set source.encoding=cp1252",
        ),
        ("malformed_row", "a.csv:4: 3 fields where the file has 2"),
    ]
    latin = read("csv", tmp_path / "a.csv", encoding="cp1252")
    assert ("r2", "café au lait") in good(latin)


def test_a_headerless_file_keeps_its_first_article_and_names_its_columns(tmp_path, caplog):
    _write(tmp_path / "a.csv", "".join(f"n{i},{text}\n" for i, text in enumerate(LONG)))
    with caplog.at_level(logging.WARNING):
        docs = read("csv", tmp_path / "a.csv")
    assert good(docs) == [(f"n{i}", text) for i, text in enumerate(LONG)]
    assert "a.csv: no header row; columns guessed as ['doc_id', 'clean']" in caplog.text


def test_a_headerless_file_with_two_long_text_columns_asks_for_source_columns(tmp_path):
    _write(tmp_path / "a.csv", "".join(f'{i},"{a}","{b}"\n' for i, (a, b) in enumerate(pairwise(LONG))))
    with pytest.raises(ConfigError) as err:
        read("csv", tmp_path / "a.csv")
    assert str(err.value).startswith("a.csv has no header row and columns 2, 3 all look like the article text")
    assert "source.columns=[" in str(err.value) and "\n" not in str(err.value)
    docs = read("csv", tmp_path / "a.csv", columns=["id", "garbled", "clean"])
    assert [(d["doc_id"], d["garbled"], d["clean"]) for d in docs] == [
        (str(i), a, b) for i, (a, b) in enumerate(pairwise(LONG))
    ]


def test_header_detection_and_the_header_setting(tmp_path):
    body = "".join(f"k{i},{text}\n" for i, text in enumerate(LONG))
    _write(tmp_path / "with.csv", "key,body_text\n" + body)
    mapped = {"fields.doc_id": "key", "fields.clean": "body_text"}
    assert good(read("csv", tmp_path / "with.csv", **mapped)) == [(f"k{i}", t) for i, t in enumerate(LONG)]
    assert good(read("csv", tmp_path / "with.csv", header="true", **mapped)) == good(
        read("csv", tmp_path / "with.csv", **mapped)
    )
    _write(tmp_path / "without.csv", body)
    assert good(read("csv", tmp_path / "without.csv", header="false")) == [(f"k{i}", t) for i, t in enumerate(LONG)]
    # told there is a header, the first article is taken as the column names
    assert len(good(read("csv", tmp_path / "without.csv", header="true", **{"fields.clean": LONG[0]}))) == 3


def test_a_header_of_short_unknown_names_is_still_a_header(tmp_path):
    _write(tmp_path / "a.csv", "ref,story\n" + "".join(f"x{i},{t}\n" for i, t in enumerate(LONG)))
    docs = read("csv", tmp_path / "a.csv", **{"fields.doc_id": "ref", "fields.clean": "story"})
    assert good(docs) == [(f"x{i}", t) for i, t in enumerate(LONG)]


def test_tsv_gzip_with_a_bom_and_repeated_header_names(tmp_path):
    text = "\ufeffid\ttext\ttext\n" + "".join(f"t{i}\t{t}\tsecond\n" for i, t in enumerate(LONG))
    (tmp_path / "a.tsv.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    docs = read("csv", tmp_path / "a.tsv.gz")
    assert good(docs) == [(f"t{i}", t) for i, t in enumerate(LONG)]
    assert docs[0]["meta"] == '{"text_2": "second"}'
