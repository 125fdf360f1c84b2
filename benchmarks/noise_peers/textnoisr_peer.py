"""textnoisr's ``CharNoiseAugmenter``: character noise aimed at a target CER.

textnoisr is built around one number, ``noise_level``, which it corrects for its own
biases (several actions in a row, the limit of swaps) so that the CER of the output tends
to it. ``rate`` is that ``noise_level``; the benchmark still calibrates it like every other
knob, so all tools are compared at the CER they measurably reach. Each action visits every
character of the text (spaces and line breaks included), with characters for inserts and
substitutions drawn from ASCII letters. Pure Python, seeded per call with ``random.Random``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from benchmarks.noise_peers.base import Peer


class _TextnoisrPeer(Peer):
    distribution = "textnoisr"
    modules = ("textnoisr.noise",)
    rate_name = "noise_level"
    actions: ClassVar[tuple[str, ...]] = ()

    def parameters(self, rate: float) -> dict[str, Any]:
        return {"noise_level": rate, "actions": list(self.actions)}

    def garble(self, texts: Sequence[str], rate: float, seed: int) -> list[str]:
        from textnoisr.noise import CharNoiseAugmenter

        aug = CharNoiseAugmenter(noise_level=rate, actions=self.actions, seed=seed)
        return [aug.add_noise(text) for text in texts]


class Typing(_TextnoisrPeer):
    """CharNoiseAugmenter with all four actions (insert, swap, substitute, delete)."""

    name = "textnoisr (all actions)"
    family = "typo"
    actions = ("insert", "swap", "substitute", "delete")
    # textnoisr refuses a noise_level above MAX_SWAP_LEVEL / 1.052 (about 0.49) when swaps are on.
    rate_range = (0.0, 0.48)


class Scan(_TextnoisrPeer):
    """CharNoiseAugmenter with substitute and delete only (what an OCR engine does to letters)."""

    name = "textnoisr (substitute+delete)"
    family = "ocr"
    actions = ("substitute", "delete")


PEERS = (Typing(), Scan())
