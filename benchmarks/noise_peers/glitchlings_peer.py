"""glitchlings 1.0: Typogre (keyboard typos) and Scannequin (OCR artifacts), on its Rust core.

Both take ``rate``; it is passed unchanged:

- Typogre: "probability of corrupting each character" (a keyboard-neighbour slip), default
  0.02, QWERTY layout, no shift slips, uniform motor weighting.
- Scannequin: "base probability of applying a confusion to any given candidate" (a
  character sequence in its OCR confusion table), default 0.02; bursts, document bias and
  space drops/inserts left at their defaults (all off), so only confusions are made.

Two paths each. The per-document one calls the glitchling on each text, as its users do
(``Typogre(rate=..., seed=...)(text)``); the Rust function runs on one thread. The batch one
is a ``Gaggle`` of that glitchling and ``corrupt_batch``, which releases the GIL and spreads
the texts over a rayon thread pool (one thread per core unless ``RAYON_NUM_THREADS`` says
otherwise): its speed is per process, not per core. Nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import ClassVar

from benchmarks.noise_peers.base import Peer


def _rayon_threads() -> int:
    value = os.environ.get("RAYON_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


class _GlitchlingsPeer(Peer):
    distribution = "glitchlings"
    modules = ("glitchlings", "glitchlings._corruption_engine")
    rate_name = "rate"
    glitchling: ClassVar[str] = ""

    def available(self) -> tuple[bool, str]:
        ok, reason = super().available()
        if not ok:
            return ok, reason
        try:  # the compiled core must load and run, not only import
            import glitchlings

            getattr(glitchlings, self.glitchling)(rate=0.5, seed=0)("glitchlings check")
        except Exception as exc:
            return False, f"glitchlings {self.glitchling} does not run here ({type(exc).__name__}: {exc})"
        return True, ""

    def garble(self, texts: Sequence[str], rate: float, seed: int) -> list[str]:
        import glitchlings

        glitch = getattr(glitchlings, self.glitchling)(rate=rate, seed=seed)
        return [glitch(text) for text in texts]


class _Batch(_GlitchlingsPeer):
    threads = _rayon_threads()

    def garble(self, texts: Sequence[str], rate: float, seed: int) -> list[str]:
        import glitchlings

        gaggle = glitchlings.Gaggle([getattr(glitchlings, self.glitchling)(rate=rate)], seed=seed)
        return gaggle.corrupt_batch(list(texts))


class Typogre(_GlitchlingsPeer):
    """Typogre(rate) called on each document: keyboard-neighbour slips per character (Rust)."""

    name = "glitchlings Typogre"
    family = "typo"
    glitchling = "Typogre"


class TypogreBatch(_Batch):
    """Gaggle([Typogre(rate)]).corrupt_batch(texts): the Rust pipeline on a rayon thread pool."""

    name = "glitchlings Typogre batch"
    family = "typo"
    glitchling = "Typogre"


class Scannequin(_GlitchlingsPeer):
    """Scannequin(rate) called on each document: OCR confusions from its table (Rust)."""

    name = "glitchlings Scannequin"
    family = "ocr"
    glitchling = "Scannequin"


class ScannequinBatch(_Batch):
    """Gaggle([Scannequin(rate)]).corrupt_batch(texts): the Rust pipeline on a rayon thread pool."""

    name = "glitchlings Scannequin batch"
    family = "ocr"
    glitchling = "Scannequin"


PEERS = (Typogre(), TypogreBatch(), Scannequin(), ScannequinBatch())
