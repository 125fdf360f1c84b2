"""Optional sentence embeddings for heavily paraphrased text (off by default).

Character n-grams carry most garbling, but a translation that rewords everything
leaves little surface overlap. ``align.embedding=<model>`` adds the cosine of
sentence embeddings to each group's value. The model is loaded with
sentence-transformers from a local path or an installed package; nothing in the
default run or the tests needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from builder.core.errors import ConfigError

Encoder = Callable[[Sequence[str]], np.ndarray]


@lru_cache(maxsize=2)
def load_encoder(name: str) -> Encoder:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise ConfigError(
            f"align.embedding={name!r} needs sentence-transformers: pip install sentence-transformers"
        ) from e
    model = SentenceTransformer(name, device="cpu")

    def encode(sentences: Sequence[str]) -> np.ndarray:
        return np.asarray(model.encode(list(sentences), batch_size=64, show_progress_bar=False), dtype=np.float64)

    return encode


class GroupEmbeddings:
    """Cosine between the summed embeddings of a garbled group and a clean group."""

    def __init__(self, garbled: np.ndarray, clean: np.ndarray) -> None:
        self.g_cum = np.vstack([np.zeros((1, garbled.shape[1])), np.cumsum(garbled, axis=0)])
        self.c_cum = np.vstack([np.zeros((1, clean.shape[1])), np.cumsum(clean, axis=0)])

    def cosine(self, a: int, b: int, i0: int, r: int, j0: int, w: int) -> np.ndarray:
        g = self.g_cum[i0 + a : i0 + a + r] - self.g_cum[i0 : i0 + r]
        c = self.c_cum[j0 + b : j0 + b + w] - self.c_cum[j0 : j0 + w]
        g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
        c /= np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
        return g @ c.T
