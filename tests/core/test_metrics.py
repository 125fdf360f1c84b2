"""Stored rates: rounded, yet they give back the whole number of errors."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from builder.core.metrics import EXACT_LENGTH, RATE_DECIMALS, errors_from_rates, row_rate

ROW = st.integers(1, EXACT_LENGTH - 1).flatmap(lambda n: st.tuples(st.integers(0, 3 * n), st.just(n)))


@given(st.lists(ROW, min_size=1, max_size=20))
def test_stored_rates_give_back_their_errors(rows):
    errors, known = errors_from_rates([row_rate(r) for r in rows], np.array([n for _, n in rows]))
    assert known.all()
    assert errors.tolist() == [e for e, _ in rows]


def test_rows_without_a_rate_or_too_long_are_not_known():
    n = 10**RATE_DECIMALS  # two error counts one apart round to the same rate here
    assert row_rate((1, 10 * n)) == row_rate((2, 10 * n))
    _, known = errors_from_rates([row_rate((1, 10 * n)), None, 0.5], np.array([10 * n, 10, 10]))
    assert known.tolist() == [False, False, True]
