"""Numbers fixed by their inputs: the batch form gives the numbers one at a time would."""

from hypothesis import given
from hypothesis import strategies as st

from builder.core.seeding import unit_interval, unit_interval_of, unit_intervals


@given(st.one_of(st.text(), st.integers()), st.lists(st.one_of(st.text(), st.integers()), max_size=20))
def test_unit_intervals_equal_unit_interval_one_at_a_time(first, values):
    assert unit_intervals(first, values) == [unit_interval(first, v) for v in values]


def test_unit_intervals_are_fixed_numbers_in_zero_one():
    values = unit_intervals("baseline", ["a", "b", "doc-1"])
    assert all(0 <= u < 1 for u in values)
    assert values == unit_intervals("baseline", ["a", "b", "doc-1"])
    assert values != unit_intervals("other", ["a", "b", "doc-1"])


@given(st.integers(0, 2**63), st.text(), st.text(), st.integers(0, 10**6))
def test_a_draw_with_its_first_parts_fixed_is_unit_interval(seed, purpose, key, index):
    assert unit_interval_of(seed, purpose)(key, index) == unit_interval(seed, purpose, key, index)
    assert unit_interval_of(seed)(purpose) == unit_interval(seed, purpose)
