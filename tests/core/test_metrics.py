"""Stored rates: rounded, yet they give back the whole number of errors."""

from hypothesis import given
from hypothesis import strategies as st

from builder.core.metrics import EXACT_LENGTH, RATE_DECIMALS, errors_from_rate, row_rate


@given(st.integers(1, EXACT_LENGTH - 1).flatmap(lambda n: st.tuples(st.integers(0, 3 * n), st.just(n))))
def test_a_stored_rate_gives_back_its_errors(errors_and_length):
    errors, length = errors_and_length
    assert errors_from_rate(row_rate(errors_and_length), length) == errors


def test_the_bound_is_where_rounding_could_hide_an_error():
    n = 10**RATE_DECIMALS  # two error counts one apart round to the same rate here
    assert row_rate((1, 10 * n)) == row_rate((2, 10 * n))
    assert errors_from_rate(row_rate((1, 10 * n)), 10 * n) is None
    assert errors_from_rate(None, 10) is None
