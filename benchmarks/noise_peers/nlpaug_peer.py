"""nlpaug's character augmenters (KeyboardAug, OcrAug, RandomCharAug), character noise only.

nlpaug picks ``ceil(aug_word_p * tokens)`` tokens of a text, then ``aug_char_*`` characters
in each; its default tokenizer splits punctuation off and its detokenizer rejoins tokens with
single spaces, which changes spacing and line breaks the augmenter never chose to touch. So
every augmenter here is built with:

- a tokenizer that splits at whitespace and a detokenizer that puts the text's own
  whitespace back, so the only changes are the augmenter's own characters;
- exactly one character per chosen word (``aug_char_min = aug_char_max = 1``), as our
  character operations do;
- ``min_char=1`` and ``aug_word_min=0, aug_word_max=None``: any word may be chosen and the
  count of chosen words is not capped at nlpaug's default of 10 per text.

``rate`` is ``aug_word_p``, the share of words changed. Nothing is downloaded: the keyboard
and OCR tables ship inside the wheel. nlpaug seeds only globally (``random`` and
``numpy.random``), so ``garble`` seeds both once per call.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from benchmarks.noise_peers.base import Peer

_WHITESPACE = re.compile(r"(\s+)")


class KeepWhitespace:
    """A tokenizer/detokenizer pair for nlpaug that gives each text back its own whitespace.

    nlpaug calls the tokenizer once and the detokenizer once per text, in that order, and its
    character augmenters keep the number of tokens, so the gaps saved by ``split`` fit the
    tokens handed to ``join``.
    """

    def __init__(self) -> None:
        self._gaps: list[str] = []

    def split(self, text: str) -> list[str]:
        parts = _WHITESPACE.split(text)
        self._gaps = parts[1::2]
        return parts[0::2]

    def join(self, tokens: Sequence[str]) -> str:
        if len(tokens) != len(self._gaps) + 1:
            raise ValueError(f"{len(tokens)} tokens for {len(self._gaps)} gaps")
        out = [tokens[0]]
        for gap, token in zip(self._gaps, tokens[1:], strict=True):
            out.append(gap)
            out.append(token)
        return "".join(out)


class _NlpaugPeer(Peer):
    distribution = "nlpaug"
    modules = ("nlpaug.augmenter.char",)
    rate_name = "aug_word_p"
    augmenter: ClassVar[str] = ""
    extra: ClassVar[dict[str, Any]] = {}

    def parameters(self, rate: float) -> dict[str, Any]:
        return {
            "aug_word_p": rate,
            "aug_word_min": 0,
            "aug_word_max": None,
            "aug_char_min": 1,
            "aug_char_max": 1,
            "min_char": 1,
            **self.extra,
        }

    def garble(self, texts: Sequence[str], rate: float, seed: int) -> list[str]:
        import nlpaug.augmenter.char as nac

        words = KeepWhitespace()
        aug = getattr(nac, self.augmenter)(tokenizer=words.split, reverse_tokenizer=words.join, **self.parameters(rate))
        random.seed(seed)
        np.random.seed(seed % 2**32)
        return list(aug.augment(list(texts)))


class Keyboard(_NlpaugPeer):
    """KeyboardAug: one character of a word replaced by a QWERTY neighbour."""

    name = "nlpaug KeyboardAug"
    family = "typo"
    augmenter = "KeyboardAug"


class RandomChar(_NlpaugPeer):
    """RandomCharAug(action=substitute): one character of a word replaced by a random one."""

    name = "nlpaug RandomCharAug"
    family = "typo"
    augmenter = "RandomCharAug"
    extra: ClassVar[dict[str, Any]] = {"action": "substitute"}


class Ocr(_NlpaugPeer):
    """OcrAug: one character of a word replaced by an OCR look-alike from nlpaug's table."""

    name = "nlpaug OcrAug"
    family = "ocr"
    augmenter = "OcrAug"


PEERS = (Keyboard(), RandomChar(), Ocr())
