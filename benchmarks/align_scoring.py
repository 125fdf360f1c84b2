"""Strict and lax precision, recall and F1 of sentence alignments, counted as vecalign's scorer counts them.

We count the way vecalign's ``score.py`` does (Thompson & Koehn 2019; bertalign ships the same scorer),
so our numbers can be set beside the published ones. An alignment is a list of groups
``(garbled indices, clean indices)``; the garbled side plays vecalign's "source".

- Precision runs over the predicted groups that are not empty on both sides, each counted once
  (duplicates collapse, as vecalign turns both lists into sets). A group equal to a gold group is a
  strict hit (and a lax hit). Any other group is a lax hit when one of its garbled sentences and one
  of its clean sentences lie in the same gold group. A predicted 1-0 or 0-1 group therefore only
  ever scores by an exact match.
- Recall is the same count with gold and prediction swapped, after the 1-0 and 0-1 groups are
  removed from both lists: it asks how many gold links were found.
- Counts are summed over every document of a set before dividing (micro-average); a ratio whose
  denominator is zero is ``value_for_div_by_0`` (0.0, as in vecalign).

Since vecalign's F1 ignores how well insertions and deletions are found (they only dent
precision), we also report precision and recall of the 1-0 and 0-1 groups on their own, by exact
match: a dropped sentence or an inserted caption is exactly what the builder must not pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

Group = tuple[tuple[int, ...], tuple[int, ...]]
Alignment = Sequence[tuple[Sequence[int], Sequence[int]]]


def _group_set(alignment: Alignment) -> set[Group]:
    """Groups as hashable tuples, without those empty on both sides (vecalign drops them too)."""
    return {(tuple(g), tuple(c)) for g, c in alignment if len(g) or len(c)}


def _links_only(alignment: Alignment) -> list[Group]:
    """Groups with sentences on both sides: recall is computed over these alone."""
    return [(tuple(g), tuple(c)) for g, c in alignment if len(g) and len(c)]


def _hits(reference: Alignment, predicted: Alignment) -> tuple[int, int, int]:
    """(groups, strict hits, lax hits) of ``predicted`` measured against ``reference``."""
    reference_set = _group_set(reference)
    linked: dict[int, set[int]] = defaultdict(set)  # garbled index -> clean indices in the same reference group
    for garbled, clean in reference_set:
        for g in garbled:
            linked[g].update(clean)
    groups = strict = lax = 0
    for group in _group_set(predicted):
        groups += 1
        if group in reference_set:
            strict += 1
            lax += 1
        else:
            garbled, clean = group
            reachable = set().union(*(linked.get(g, ()) for g in garbled))
            if reachable.intersection(clean):
                lax += 1
    return groups, strict, lax


def _indels(alignment: Alignment) -> set[Group]:
    """The 1-0 and 0-1 groups (exactly one side empty)."""
    return {group for group in _group_set(alignment) if not (group[0] and group[1])}


def _ratio(numerator: int, denominator: int, default: float) -> float:
    return numerator / denominator if denominator else default


def _f1(precision: float, recall: float, default: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else default


def score(golds: Sequence[Alignment], tests: Sequence[Alignment], value_for_div_by_0: float = 0.0) -> dict:
    """Score predicted alignments ``tests`` against ``golds``, one alignment per document, micro-averaged.

    Returns ``precision_strict``, ``recall_strict``, ``f1_strict``, the same three ``_lax``,
    ``indel_precision``, ``indel_recall``, ``indel_f1`` and the integer ``counts`` behind them.
    """
    if len(golds) != len(tests):
        # vecalign zips the two lists and would silently score only the shorter one.
        raise ValueError(f"{len(golds)} gold documents but {len(tests)} predicted ones")
    counts = dict.fromkeys(
        (
            "documents",
            "test_groups",
            "gold_groups",
            "precision_strict_hits",
            "precision_lax_hits",
            "test_links",
            "gold_links",
            "recall_strict_hits",
            "recall_lax_hits",
            "test_indels",
            "gold_indels",
            "indel_hits",
        ),
        0,
    )
    for gold, test in zip(golds, tests, strict=True):
        counts["documents"] += 1
        counts["gold_groups"] += len(_group_set(gold))
        groups, strict, lax = _hits(gold, test)
        counts["test_groups"] += groups
        counts["precision_strict_hits"] += strict
        counts["precision_lax_hits"] += lax
        gold_links, test_links = _links_only(gold), _links_only(test)
        groups, strict, lax = _hits(test_links, gold_links)
        counts["gold_links"] += groups
        counts["test_links"] += len(set(test_links))
        counts["recall_strict_hits"] += strict
        counts["recall_lax_hits"] += lax
        gold_indels, test_indels = _indels(gold), _indels(test)
        counts["gold_indels"] += len(gold_indels)
        counts["test_indels"] += len(test_indels)
        counts["indel_hits"] += len(gold_indels & test_indels)

    d = value_for_div_by_0
    result: dict = {
        "precision_strict": _ratio(counts["precision_strict_hits"], counts["test_groups"], d),
        "recall_strict": _ratio(counts["recall_strict_hits"], counts["gold_links"], d),
        "precision_lax": _ratio(counts["precision_lax_hits"], counts["test_groups"], d),
        "recall_lax": _ratio(counts["recall_lax_hits"], counts["gold_links"], d),
        "indel_precision": _ratio(counts["indel_hits"], counts["test_indels"], d),
        "indel_recall": _ratio(counts["indel_hits"], counts["gold_indels"], d),
    }
    result["f1_strict"] = _f1(result["precision_strict"], result["recall_strict"], d)
    result["f1_lax"] = _f1(result["precision_lax"], result["recall_lax"], d)
    result["indel_f1"] = _f1(result["indel_precision"], result["indel_recall"], d)
    result["counts"] = counts
    return result


def validate_alignment(alignment: Iterable[tuple[Sequence[int], Sequence[int]]], n_garbled: int, n_clean: int) -> None:
    """Raise ValueError unless every sentence of both sides appears exactly once, in order.

    The scorer does not need this, but a peer adapter that loses or repeats a sentence would
    otherwise be scored on a different problem than the others.
    """
    garbled_order: list[int] = []
    clean_order: list[int] = []
    for garbled, clean in alignment:
        if not (len(garbled) or len(clean)):
            raise ValueError("a group is empty on both sides")
        garbled_order.extend(garbled)
        clean_order.extend(clean)
    if garbled_order != list(range(n_garbled)):
        raise ValueError(f"garbled side is not 0..{n_garbled - 1} once each in order: {garbled_order}")
    if clean_order != list(range(n_clean)):
        raise ValueError(f"clean side is not 0..{n_clean - 1} once each in order: {clean_order}")
