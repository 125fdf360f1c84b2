"""Gale-Church (1993) length-based alignment, as NLTK ships it, in the benchmark's group form.

Gale-Church sees only sentence lengths in characters, so it is the floor any content-aware
aligner should clear. NLTK's ``align_blocks`` returns sentence *links* ``(garbled, clean)``, not
groups: a 2-2 bead comes back as four links, and a 1-0 or 0-1 bead as nothing at all. We rebuild
the groups as the connected components of the links (beads never share a sentence, so each
component is one bead) and give every sentence that no link mentions a group of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.align_scoring import Group, validate_alignment

NAME = "gale_church"


def available() -> tuple[bool, str]:
    """NLTK is a core dependency of the builder, so this only fails on a broken install."""
    try:
        from nltk.translate.gale_church import align_blocks  # noqa: F401
    except ImportError as exc:
        return False, f"nltk.translate.gale_church cannot be imported: {exc}"
    return True, ""


def groups_from_links(links: Sequence[tuple[int, int]], n_garbled: int, n_clean: int) -> list[Group]:
    """Turn sentence links into ordered groups; unlinked sentences become 1-0 and 0-1 groups.

    Between two linked groups, garbled-only sentences come before clean-only ones (the order of
    1-0 and 0-1 groups relative to each other carries no meaning). Raises ValueError when the
    links cross, since then no monotone grouping exists.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for g, c in links:
        parent[root(("g", g))] = root(("c", c))
    members: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for side, index in list(parent):
        garbled, clean = members.setdefault(root((side, index)), ([], []))
        (garbled if side == "g" else clean).append(index)
    group_of_garbled = {}
    for garbled, clean in members.values():
        group = (tuple(sorted(garbled)), tuple(sorted(clean)))
        for g in group[0]:
            group_of_garbled[g] = group
    linked_clean = {c for _, c in links}

    groups: list[Group] = []
    gi = ci = 0
    while gi < n_garbled or ci < n_clean:
        if gi < n_garbled and gi not in group_of_garbled:
            groups.append(((gi,), ()))
            gi += 1
        elif ci < n_clean and ci not in linked_clean:
            groups.append(((), (ci,)))
            ci += 1
        elif gi < n_garbled:
            group = group_of_garbled[gi]
            groups.append(group)
            gi, ci = group[0][-1] + 1, group[1][-1] + 1
        else:
            raise ValueError(f"clean sentence {ci} is linked but every garbled sentence is used")
    validate_alignment(groups, n_garbled, n_clean)  # crossing or gapped links end up here
    return groups


def align(garbled: Sequence[str], clean: Sequence[str]) -> list[Group]:
    """Align by character lengths with NLTK's Gale-Church defaults (one block: no paragraph anchors).

    Lengths are floored at 1: NLTK scores a bead whose two sides both have length 0 as
    infinitely good (a ZeroDivisionError it maps to -inf cost), which would pull empty
    sentences into arbitrary groups.
    """
    from nltk.translate.gale_church import align_blocks

    if not garbled or not clean:
        return [((i,), ()) for i in range(len(garbled))] + [((), (j,)) for j in range(len(clean))]
    links = align_blocks([max(1, len(s)) for s in garbled], [max(1, len(s)) for s in clean])
    return groups_from_links(links, len(garbled), len(clean))
