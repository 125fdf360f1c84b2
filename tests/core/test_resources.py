"""The reader of the package's word lists and tables, and the files it ships."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.core.resources import PACKAGE_DIR, RESOURCES_DIR, ResourceError, read_list, read_table, read_words

#: Files under resources/ that are not word lists or tables: the sample article pair is
#: text to reproduce byte for byte, profiles are JSON, READMEs are prose.
_NOT_TABLES = ("sample",)


def _shipped() -> list[Path]:
    return sorted(
        p
        for p in RESOURCES_DIR.rglob("*")
        if p.suffix in (".tsv", ".txt") and p.relative_to(RESOURCES_DIR).parts[0] not in _NOT_TABLES
    )


def _write(tmp_path: Path, text: str, name: str = "t.tsv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_comments_and_blank_lines_are_skipped_and_rows_keep_file_order(tmp_path: Path) -> None:
    text = (
        "# A table: word, rendering, weight.\n#\n# Source: a test.\n\n"
        "units\tlayers\t2\n  # an indented comment\n\t\n"
        'quote\t"#"\t0.5\r\n'  # '#' and '"' inside an entry are data; a CRLF line end is not
    )
    path = _write(tmp_path, text)
    assert read_table(path, str, str, float) == (("units", "layers", 2.0), ("quote", '"#"', 0.5))


def test_a_byte_order_mark_is_not_data(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff# header\nb\na\n".encode())
    assert read_list(str(path)) == ("b", "a")
    assert read_words(str(path)) == frozenset({"a", "b"})


def test_an_empty_column_is_data(tmp_path: Path) -> None:
    path = _write(tmp_path, "# rule, replacement, pattern\ne>\t\t(?<=\\w\\w)e$\n")
    assert read_table(path, str, str, str) == (("e>", "", r"(?<=\w\w)e$"),)


@pytest.mark.parametrize(
    ("text", "columns", "message"),
    [
        ("# header\nunits\tlayers\nunits layers\n", (str, str), r"bad\.tsv:3: 1 tab-separated columns, expected 2"),
        ("# header\n\nunits\tlayers\textra\n", (str, str), r"bad\.tsv:3: 3 tab-separated columns, expected 2"),
        ("# header\nunits\tlayers \n", (str, str), r"bad\.tsv:2: column 2 starts or ends with a space"),
        ("# header\nrn\tm\tfour\n", (str, str, float), r"bad\.tsv:2: column 3: could not convert"),
    ],
)
def test_a_malformed_line_is_an_error_naming_file_and_line(tmp_path: Path, text: str, columns, message: str) -> None:
    path = _write(tmp_path, text, "bad.tsv")
    with pytest.raises(ResourceError, match=message):
        read_table(path, *columns)


def test_a_list_line_with_a_tab_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "# header\nword\nwo\trd\n", "list.txt")
    with pytest.raises(ResourceError, match=r"list\.txt:3: 2 tab-separated columns, expected 1"):
        read_list(path)


def test_a_missing_or_undecodable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="cannot read"):
        read_list(str(tmp_path / "missing.txt"))
    path = tmp_path / "latin1.txt"
    path.write_bytes("# header\nna\xefve\n".encode("latin-1"))
    with pytest.raises(ResourceError, match="cannot read"):
        read_list(str(path))


def test_the_package_ships_its_word_lists_and_tables() -> None:
    names = {p.relative_to(RESOURCES_DIR).as_posix() for p in _shipped()}
    assert {"noise/wrong_senses.tsv", "noise/idioms.tsv", "noise/keyboard.tsv", "punkt_en/abbreviations.txt"} <= names


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: p.relative_to(RESOURCES_DIR).as_posix())
def test_every_shipped_file_has_a_header_and_parses(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("# "), "the file opens with a comment saying what it is"
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    text = "\n".join(header)
    for part in ("Format:", "Used by:", "Source:"):
        assert f"# {part}" in text, f"the header says {part}"
    name = path.relative_to(RESOURCES_DIR).as_posix()
    data = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert data, "the file holds entries"
    columns = data[0].count("\t") + 1
    rows = read_table(name, *([str] * columns))
    assert len(rows) == len(data)
    assert len(set(rows)) == len(rows), "no row is there twice"
    if path.suffix == ".txt":
        assert columns == 1, "a .txt file is a plain list"


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: p.relative_to(RESOURCES_DIR).as_posix())
def test_every_shipped_file_is_read_by_the_package(path: Path) -> None:
    name = path.relative_to(RESOURCES_DIR).as_posix()
    code = [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.joinpath("conf").rglob("*.yaml")]  # recipes name tables
    sources = (p.read_text(encoding="utf-8") for p in code)
    assert any(re.search(rf"[\"']{re.escape(name)}[\"']", s) for s in sources), f"nothing reads {name}"
