"""The CSV reader lifts the csv module's field-size limit only while it parses a row:
the limit is process-wide, so importing or using the reader must leave it as it was."""

import csv
import importlib
import subprocess
import sys

from tests.paths import PROJECT_DIR
from tests.readers.support import good, read


def test_importing_the_reader_leaves_the_limit_alone():
    probe = "import csv; before = csv.field_size_limit(); import builder.pipeline.readers.csv; "
    probe += "print(before == csv.field_size_limit())"
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr


def test_a_field_beyond_the_default_limit_is_read_and_the_limit_is_restored(tmp_path):
    importlib.import_module("builder.pipeline.readers.csv")
    before = csv.field_size_limit()
    body = "The council met on Monday. " * (before // 27 + 100)  # longer than the default limit
    assert len(body) > before
    (tmp_path / "a.csv").write_text(f'id,text\nbig,"{body}"\nsmall,Fine text.\n', encoding="utf-8", newline="")
    docs = read("csv", tmp_path / "a.csv")
    assert [doc_id for doc_id, _ in good(docs)] == ["big", "small"]
    assert len(good(docs)[0][1]) >= len(body.strip())
    assert csv.field_size_limit() == before


def test_the_limit_is_restored_while_the_reader_waits_between_rows(tmp_path):
    from builder.pipeline.readers import make_reader
    from tests.readers.support import source_cfg

    before = csv.field_size_limit()
    rows = "".join(f"r{i},Article {i} says the council met on Monday.\n" for i in range(5))
    (tmp_path / "a.csv").write_text("id,text\n" + rows, encoding="utf-8", newline="")
    documents = make_reader(source_cfg("csv", tmp_path / "a.csv")).documents()
    next(documents)
    assert csv.field_size_limit() == before  # a suspended reader does not hold the limit lifted
    assert len([next(documents) for _ in range(4)]) == 4
    assert csv.field_size_limit() == before
