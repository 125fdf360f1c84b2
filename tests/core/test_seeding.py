"""Numbers fixed by their inputs: the batch form gives the numbers one at a time would."""

from hypothesis import given
from hypothesis import strategies as st

from builder.core.seeding import unit_interval, unit_interval_of, unit_intervals


@given(st.one_of(st.text(), st.integers()), st.lists(st.text(), max_size=20))
def test_unit_intervals_depend_on_each_value_alone_whatever_its_column(first, values):
    """One value's number is the same alone, in a list, or in an Arrow column (chunked)."""
    import pyarrow as pa

    together = unit_intervals(first, values)
    assert together.tolist() == [unit_intervals(first, [v])[0] for v in values]
    half = len(values) // 2
    chunked = pa.chunked_array([values[:half], values[half:]], pa.string())
    assert unit_intervals(first, chunked).tolist() == together.tolist()


def test_unit_intervals_are_fixed_numbers_in_zero_one_spread_evenly():
    ids = [f"doc-{k}/synthetic/{k % 7:04d}" for k in range(20_000)]
    values = unit_intervals("baseline", ids)
    assert ((values >= 0) & (values < 1)).all()
    assert values.tolist() == unit_intervals("baseline", ids).tolist()
    assert (values != unit_intervals("other", ids)).all()
    # the numbers the rows are sampled by: evenly spread (a tenth of the rows under 0.1)
    assert abs((values < 0.1).mean() - 0.1) < 0.01 and abs(values.mean() - 0.5) < 0.01
    # fixed: these come back on every machine (a change would change the sampled rows)
    assert [round(u, 12) for u in unit_intervals("baseline", ["a", "doc-1"]).tolist()] == [
        0.518628819145,
        0.016159139558,
    ]


@given(st.integers(0, 2**63), st.text(), st.text(), st.integers(0, 10**6))
def test_a_draw_with_its_first_parts_fixed_is_unit_interval(seed, purpose, key, index):
    assert unit_interval_of(seed, purpose)(key, index) == unit_interval(seed, purpose, key, index)
    assert unit_interval_of(seed)(purpose) == unit_interval(seed, purpose)
