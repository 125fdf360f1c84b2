"""Dates become ISO text when they read as dates; anything else stays as given, and no
value, however odd, stops a build."""

import json
from datetime import date, datetime, timezone

import pytest

from builder.pipeline.readers.base import normalize_date
from tests.readers.support import read


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-03-01T10:00:00Z", "2024-03-01"),
        ("2024-03-01 10:00 CET", "2024-03-01"),
        ("March 2, 2024", "2024-03-02"),
        ("2 Mar 2024", "2024-03-02"),
        (20240301, "2024-03-01"),
        (1_700_000_000, "2023-11-14"),
        (1_700_000_000.5, "2023-11-14"),
        (1_700_000_000_000, "2023-11-14"),
        (datetime(2024, 3, 1, 23, 0, tzinfo=timezone.utc), "2024-03-01"),
        (date(2024, 3, 1), "2024-03-01"),
    ],
)
def test_readable_dates_become_iso(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (99999999999999999999, "99999999999999999999"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (float("nan"), "nan"),
        (-(10**30), str(-(10**30))),
        (2**62, str(2**62)),
        (10**400, str(10**400)),
        ("2024-13-45", "2024-13-45"),
        ("0000-01-01", "0000-01-01"),
        ("yesterday", "yesterday"),
        (True, "True"),
        ("x" * 10_000, "x" * 10_000),
    ],
)
def test_values_that_are_no_date_stay_as_given_and_do_not_crash(value, kept):
    assert normalize_date(value) == kept


def test_an_integer_too_long_for_text_is_an_empty_date():
    assert normalize_date(10**5000) == ""  # Python refuses str() of it; still no crash


def test_odd_dates_in_records_do_not_cost_the_record(tmp_path):
    dates = ["2024-13-45", 99999999999999999999, None, 1_700_000_000, "0000-00-00", 1e308, -5]
    lines = [json.dumps({"id": f"d{i}", "text": "Text.", "date": d}) for i, d in enumerate(dates)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + '\n{"id": "inf", "text": "Text.", "date": Infinity}\n')
    docs = read("jsonl", tmp_path / "a.jsonl")
    assert not any(d["reject"] for d in docs)
    assert [d["date"] for d in docs] == [
        "2024-13-45",
        "99999999999999999999",
        "",
        "2023-11-14",
        "0000-00-00",
        "1e+308",
        "-5",
        "inf",
    ]
