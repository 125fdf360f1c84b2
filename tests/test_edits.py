import pytest

from builder.core.edits import Edit, EditError, diff, replay, shift, within

PAIRS = [
    ("The Kremlin was noncommittal.", "The Kremlin was uncommitted."),
    ("Steve Witkoff is expected in Moscow.", "Steve Witkov is expected to see Moscow."),
    ("", "inserted text"),
    ("deleted text", ""),
    ("same", "same"),
    ("He said: “yes”.", 'He said: "yes" .'),
]


@pytest.mark.parametrize(("clean", "garbled"), PAIRS)
def test_diff_replays_to_the_garbled_text(clean, garbled):
    edits = diff(clean, garbled)
    assert replay(clean, edits) == garbled
    for e in edits:
        assert clean[e.start : e.end] == e.before
        assert e.op in ("insert", "delete", "replace")


def test_identical_texts_have_no_edits():
    assert diff("same text.", "same text.") == []


def test_replay_refuses_edits_that_do_not_match_the_text():
    with pytest.raises(EditError):
        replay("abc", [Edit("replace", 0, 1, "x", "y")])


def test_replay_refuses_overlapping_edits():
    with pytest.raises(EditError):
        replay("abcdef", [Edit("replace", 0, 3, "abc", "x"), Edit("replace", 2, 4, "cd", "y")])


def test_shift_and_within_rebase_edits_to_a_part_of_the_text():
    text = "One two. Three four."
    edits = [Edit("replace", 4, 7, "two", "too"), Edit("replace", 15, 19, "four", "for")]
    part = within(edits, 9, 20)
    assert part == [edits[1]]
    assert replay(text[9:20], shift(part, 9)) == "Three for."


def test_an_edits_column_reads_as_edit_rows_and_goes_to_arrow_as_it_is():
    import pyarrow as pa

    from builder.core.edits import Edit, EditsColumn
    from builder.runners.chunks import work_schema

    two = [Edit("char_insert", 2, 2, "", "x"), Edit("case_slip", 3, 4, "b", "B")]
    rows = [[Edit("keyboard", 0, 1, "a", "s")], [], two]
    edits_type = work_schema().field("edits").type
    column = EditsColumn(pa.array([[e._asdict() for e in row] for row in rows], edits_type))
    assert len(column) == 3 and column[2] == rows[2] and list(column) == rows and column == rows
    assert list(column[1:]) == rows[1:]
    assert pa.array(column, edits_type) is column.array  # no copy, no Python object on the way
    table = pa.Table.from_pydict({"edits": column}, schema=pa.schema([work_schema().field("edits")]))
    assert table.column("edits").to_pylist() == [[e._asdict() for e in row] for row in rows]
