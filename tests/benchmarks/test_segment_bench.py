"""The segmentation benchmark's comparison: our sentences against the reference's, timed apart."""

from __future__ import annotations

from benchmarks.segment import split_and_differences


def test_the_split_comparison_counts_differences_and_times_both_sides():
    docs = ["The council met on Monday. It voted 12 to 3.\nPhoto: AP", "Mr. Smith said so. “Yes.” Then he left."]
    out = split_and_differences(docs, rounds=2)
    for mode in ("line", "blank"):
        assert out[mode]["differences"] == 0
        assert out[mode]["sentences"] >= 4
        assert out[mode]["ours_s"] >= 0 and out[mode]["reference_s"] >= 0
