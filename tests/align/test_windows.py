"""Long documents aligned a bounded window at a time."""

from __future__ import annotations

import random

import pytest

from builder.align import Aligner
from builder.align.windows import align_in_windows

# fmt: off
_WORDS = [
    "minister", "council", "bank", "river", "storm", "police", "court", "market", "school", "hospital",
    "village", "army", "factory", "harbour", "election", "budget", "railway", "museum", "festival",
    "airport", "bridge", "union", "treaty", "border", "farmers", "doctors", "judges", "pilots", "miners",
    "students", "voters", "nurses", "workers", "teachers", "engineers", "fishermen", "traders",
]
_VERBS = ["said", "closed", "opened", "blamed", "praised", "visited", "rejected", "approved", "delayed", "announced"]
# fmt: on


def _sentences(n: int, seed: int = 0) -> list[str]:
    """Distinct news-like sentences: what a long article looks like to the aligner."""
    rnd = random.Random(seed)
    return [
        f"The {rnd.choice(_WORDS)} of {rnd.choice(_WORDS).title()} {rnd.choice(_VERBS)} {k + 3} "
        f"{rnd.choice(_WORDS)} on {rnd.choice(['Monday', 'Friday', 'Sunday'])}, the {rnd.choice(_WORDS)} said."
        for k in range(n)
    ]


def _typos(sentence: str, rnd: random.Random) -> str:
    return "".join(c * 2 if c.isalpha() and rnd.random() < 0.03 else c for c in sentence)


class SpyAligner(Aligner):
    """Records the characters of each side of every call."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[tuple[int, int]] = []

    def align(self, garbled, clean):
        self.sizes.append((sum(map(len, garbled)), sum(map(len, clean))))
        return super().align(garbled, clean)


def _pairs(groups) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(g.garbled, g.clean) for g in groups]


def test_a_document_within_one_window_is_aligned_as_a_whole():
    clean = _sentences(40)
    garbled = [_typos(s, random.Random(k)) for k, s in enumerate(clean)]
    spy = SpyAligner()
    assert _pairs(align_in_windows(spy, garbled, clean)) == _pairs(Aligner().align(garbled, clean))
    assert len(spy.sizes) == 1


@pytest.fixture(scope="module")
def long_pair() -> tuple[list[str], list[str], range, range]:
    """A long clean text, and its garbled side with a passage dropped and one inserted."""
    clean = _sentences(600)
    rnd = random.Random(1)
    garbled = [_typos(s, rnd) for s in clean]
    dropped = range(150, 180)
    inserted = [f"Photo caption {k}: crowds gather near the old stadium at dusk." for k in range(20)]
    garbled = garbled[: dropped.start] + garbled[dropped.stop : 400] + inserted + garbled[400:]
    at = 400 - len(dropped)
    return garbled, clean, dropped, range(at, at + len(inserted))


def test_windows_stay_bounded_and_find_the_dropped_and_inserted_passages(long_pair):
    garbled, clean, dropped, inserted = long_pair
    spy = SpyAligner()
    groups = align_in_windows(spy, garbled, clean, window_chars=6_000)
    assert len(spy.sizes) > 5 and max(max(s) for s in spy.sizes) <= 4 * 6_000
    assert [i for g in groups for i in g.garbled] == list(range(len(garbled)))
    assert [j for g in groups for j in g.clean] == list(range(len(clean)))
    expected = []
    for i in range(len(garbled)):
        if i in inserted:
            expected.append(((i,), ()))
            continue
        j = i if i < dropped.start else i + len(dropped) - (len(inserted) if i > inserted.start else 0)
        if j == dropped.stop:
            expected += [((), (d,)) for d in dropped]
        expected.append(((i,), (j,)))
    assert _pairs(groups) == expected
